using System.Collections.Frozen;

namespace Ambassadors.Data;

/// <summary>
/// The one way an enum of ours is written: its name in lower case, as the database stores it and the API, pages and
/// command line spell it ("active", "draft", "finance"). Parsing takes exactly such a name: no numbers, no other casing.
/// </summary>
public static class EnumNames
{
    public static string Name<TEnum>(this TEnum value) where TEnum : struct, Enum =>
        Of<TEnum>.ByValue.TryGetValue(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, null);

    /// <summary>Every name, in declaration order.</summary>
    public static IReadOnlyList<string> Names<TEnum>() where TEnum : struct, Enum => Of<TEnum>.Names;

    /// <summary>The names as a list reads: "draft, recruiting, active, paused, ended".</summary>
    public static string Listed<TEnum>() where TEnum : struct, Enum => string.Join(", ", Of<TEnum>.Names);

    public static bool TryParse<TEnum>(string? name, out TEnum value) where TEnum : struct, Enum
    {
        if (name is not null && Of<TEnum>.ByName.TryGetValue(name, out value)) return true;
        value = default;
        return false;
    }

    private static class Of<TEnum> where TEnum : struct, Enum
    {
        public static readonly string[] Names = Enum.GetValues<TEnum>().Select(v => v.ToString().ToLowerInvariant()).ToArray();
        public static readonly FrozenDictionary<TEnum, string> ByValue =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v, v => v.ToString().ToLowerInvariant());
        public static readonly FrozenDictionary<string, TEnum> ByName =
            Enum.GetValues<TEnum>().ToFrozenDictionary(v => v.ToString().ToLowerInvariant(), v => v, StringComparer.Ordinal);
    }
}
