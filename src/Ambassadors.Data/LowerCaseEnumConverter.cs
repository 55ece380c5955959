using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace Ambassadors.Data;

/// <summary>Stores an enum as its lower-case name ("active", "secondDegree" as "seconddegree"); reads any casing back.</summary>
internal sealed class LowerCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    value => value.Name(),
    stored => Enum.Parse<TEnum>(stored, true))
    where TEnum : struct, Enum;
