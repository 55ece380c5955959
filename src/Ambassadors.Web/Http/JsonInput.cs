using System.Collections;
using System.ComponentModel;
using System.Globalization;
using System.Numerics;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Ambassadors.Data;
using Microsoft.OpenApi;

namespace Ambassadors.Web.Http;

/// <summary>
/// A value in a request body that is present but cannot be read. Its message is plain words about the value (the field
/// is named by <see cref="ProblemExceptionHandler"/> from the JSON path the serializer adds), so the client gets a 422.
/// </summary>
public sealed class JsonFieldException(string problem) : JsonException(problem);

/// <summary>
/// How request bodies read numbers and dates (API.md, "Input rules"). Numbers are read from the text the client sent,
/// never through a binary floating point or a silently rounding parse: <c>1e-30</c> has 30 decimals and is refused, not
/// read as 0. A number sent as a string matches <c>^-?(0|[1-9][0-9]*)(\.[0-9]+)?$</c> (no exponent, no '+'), as the
/// OpenAPI document says. Dates are YYYY-MM-DD within <see cref="IsoDates"/>' range.
/// </summary>
public static partial class JsonInput
{
    public static void Configure(JsonSerializerOptions options)
    {
        options.Converters.Add(new DecimalConverter());
        options.Converters.Add(new Int32Converter());
        options.Converters.Add(new Int64Converter());
        options.Converters.Add(new DateConverter());
    }

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)(\.[0-9]+)?$")]
    public static partial Regex DecimalString();

    [GeneratedRegex(@"^-?(0|[1-9][0-9]*)$")]
    private static partial Regex IntegerString();

    /// <summary>
    /// The exact value of a JSON number or decimal string (sign, digits, fraction, exponent), or why it cannot be a
    /// <see cref="decimal"/> without rounding: too many decimals (more than 28) or too large.
    /// </summary>
    public static bool TryParseExact(string text, out decimal value, out string? problem)
    {
        value = 0;
        var match = JsonNumber().Match(text);
        if (!match.Success)
        {
            problem = "is not a number";
            return false;
        }
        var negative = match.Groups["sign"].Success;
        var digits = match.Groups["int"].Value + match.Groups["frac"].Value;
        long exponent = 0;
        if (match.Groups["exp"].Success && !long.TryParse(match.Groups["exp"].Value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exponent))
        {
            problem = match.Groups["exp"].Value.StartsWith('-') ? "has more decimals than any amount may have" : "is too large";
            return false;
        }
        // value = digits × 10^(exponent - fraction length): decimals are what is left after the point, trailing zeros aside.
        var scale = match.Groups["frac"].Value.Length - exponent;
        digits = digits.TrimStart('0');
        while (digits.Length > 0 && scale > 0 && digits[^1] == '0')
        {
            digits = digits[..^1];
            scale--;
        }
        if (digits.Length == 0)
        {
            problem = null;
            return true;
        }
        if (scale > 28)
        {
            problem = $"has {scale} decimals, more than any amount may have";
            return false;
        }
        if (scale < 0)
        {
            if (digits.Length - scale > 29)
            {
                problem = "is too large";
                return false;
            }
            digits += new string('0', (int)-scale);
            scale = 0;
        }
        var mantissa = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (mantissa > MaxMantissa)
        {
            problem = digits.Length - scale > 28 ? "is too large" : "has too many digits to be read exactly";
            return false;
        }
        var bytes = new byte[12];
        mantissa.TryWriteBytes(bytes, out _, isUnsigned: true);
        value = new decimal(BitConverter.ToInt32(bytes, 0), BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 8), negative, (byte)scale);
        problem = null;
        return true;
    }

    private static readonly BigInteger MaxMantissa = (BigInteger.One << 96) - 1;

    [GeneratedRegex(@"^(?<sign>-)?(?<int>0|[1-9][0-9]*)(\.(?<frac>[0-9]+))?([eE](?<exp>[+-]?[0-9]+))?$")]
    private static partial Regex JsonNumber();

    private static string RawText(ref Utf8JsonReader reader) =>
        Encoding.UTF8.GetString(reader.HasValueSequence ? System.Buffers.BuffersExtensions.ToArray(reader.ValueSequence) : reader.ValueSpan.ToArray());

    private sealed class DecimalConverter : JsonConverter<decimal>
    {
        public override decimal Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            string text;
            if (reader.TokenType == JsonTokenType.Number) text = RawText(ref reader);
            else if (reader.TokenType == JsonTokenType.String && DecimalString().IsMatch(text = reader.GetString()!)) { }
            else if (reader.TokenType == JsonTokenType.String)
            {
                throw new JsonFieldException("must be a number; as a string it is written like 12.50 (digits, an optional '-' and '.', no exponent or '+')");
            }
            else throw new JsonFieldException("must be a number");
            return TryParseExact(text, out var value, out var problem) ? value : throw new JsonFieldException(problem!);
        }

        public override void Write(Utf8JsonWriter writer, decimal value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class Int32Converter : JsonConverter<int>
    {
        public override int Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            (int)ReadWhole(ref reader, int.MinValue, int.MaxValue);

        public override void Write(Utf8JsonWriter writer, int value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private sealed class Int64Converter : JsonConverter<long>
    {
        public override long Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            ReadWhole(ref reader, long.MinValue, long.MaxValue);

        public override void Write(Utf8JsonWriter writer, long value, JsonSerializerOptions options) => writer.WriteNumberValue(value);
    }

    private static long ReadWhole(ref Utf8JsonReader reader, long min, long max)
    {
        string text;
        if (reader.TokenType == JsonTokenType.Number) text = RawText(ref reader);
        else if (reader.TokenType == JsonTokenType.String && IntegerString().IsMatch(text = reader.GetString()!)) { }
        else throw new JsonFieldException("must be a whole number");
        if (!TryParseExact(text, out var value, out _) || decimal.Truncate(value) != value) throw new JsonFieldException("must be a whole number");
        if (value < min || value > max) throw new JsonFieldException($"must be a whole number between {min} and {max}");
        return (long)value;
    }

    private sealed class DateConverter : JsonConverter<DateOnly>
    {
        public override DateOnly Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String && IsoDates.TryParse(reader.GetString(), out var date)
                ? date
                : throw new JsonFieldException($"must be {IsoDates.Described}");

        public override void Write(Utf8JsonWriter writer, DateOnly value, JsonSerializerOptions options) =>
            writer.WriteStringValue(value.ToString(IsoDates.Format, CultureInfo.InvariantCulture));
    }

    /// <summary>
    /// The OpenAPI schema of a number or date read by these converters (the generator leaves a custom converter's schema
    /// empty): JSON numbers in any form, or strings of the contract's pattern; dates as strings of format date.
    /// </summary>
    public static void DescribeSchema(OpenApiSchema schema, Type type, JsonPropertyInfo? property)
    {
        var nullable = Nullable.GetUnderlyingType(type) is not null;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        var nullType = nullable ? JsonSchemaType.Null : 0;
        if (underlying == typeof(decimal))
        {
            schema.Type = JsonSchemaType.Number | JsonSchemaType.String | nullType;
            schema.Pattern = DecimalString().ToString();
        }
        else if (underlying == typeof(int) || underlying == typeof(long))
        {
            schema.Type = JsonSchemaType.Integer | JsonSchemaType.String | nullType;
            schema.Pattern = IntegerString().ToString();
            schema.Format = underlying == typeof(int) ? "int32" : "int64";
        }
        else if (underlying == typeof(DateOnly))
        {
            schema.Type = JsonSchemaType.String | nullType;
            schema.Format = "date";
        }
        else return;
        if (property?.AttributeProvider?.GetCustomAttributes(typeof(DescriptionAttribute), inherit: true)
                .OfType<DescriptionAttribute>().FirstOrDefault() is { } description)
        {
            schema.Description = description.Description;
        }
    }

    /// <summary>"$.rewards.perSale" → "rewards.perSale", "$['odd name']" → "odd name"; null for the body itself.</summary>
    public static string? FieldName(string? path)
    {
        if (string.IsNullOrEmpty(path) || path == "$") return null;
        var name = new StringBuilder();
        foreach (Match part in PathPart().Matches(path))
        {
            if (part.Groups["index"].Success) name.Append('[').Append(part.Groups["index"].Value).Append(']');
            else
            {
                if (name.Length > 0) name.Append('.');
                name.Append(part.Groups["dot"].Success ? part.Groups["dot"].Value : part.Groups["quoted"].Value.Replace("\\'", "'"));
            }
        }
        return name.Length == 0 ? null : name.ToString();
    }

    [GeneratedRegex(@"\.(?<dot>[^.\[]+)|\['(?<quoted>(?:[^'\\]|\\.)*)'\]|\[(?<index>[0-9]+)\]")]
    private static partial Regex PathPart();

    /// <summary>What a field of <paramref name="body"/> holds, in words ("a whole number"), from its C# type; null when unknown.</summary>
    public static string? Expected(Type? body, string field)
    {
        var type = body;
        foreach (Match part in FieldPart().Matches(field))
        {
            if (type is null) return null;
            if (part.Groups["index"].Success)
            {
                type = ElementType(type);
                continue;
            }
            var name = part.Groups["name"].Value;
            type = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
                .FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))?.PropertyType;
        }
        if (type is null) return null;
        type = Nullable.GetUnderlyingType(type) ?? type;
        if (type == typeof(string)) return "text (a JSON string)";
        if (type == typeof(int) || type == typeof(long)) return "a whole number";
        if (type == typeof(decimal)) return "a number";
        if (type == typeof(bool)) return "true or false";
        if (type == typeof(DateOnly)) return IsoDates.Described;
        if (type == typeof(DateTimeOffset)) return "a date and time with an offset, e.g. 2026-05-31T14:30:00Z";
        if (ElementType(type) is not null) return "a list (a JSON array)";
        return "an object";
    }

    [GeneratedRegex(@"(?<name>[^.\[\]]+)|\[(?<index>[0-9]+)\]")]
    private static partial Regex FieldPart();

    private static Type? ElementType(Type type) =>
        type == typeof(string) ? null
        : type.IsArray ? type.GetElementType()
        : type.GetInterfaces().Append(type).FirstOrDefault(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>))
            ?.GetGenericArguments()[0] ?? (typeof(IEnumerable).IsAssignableFrom(type) ? typeof(object) : null);
}

/// <summary>
/// A JSON Merge Patch body (RFC 7396) read into its request type, with which members were sent and which of them were
/// null (dotted paths, "rewards.perSale"): a member left out keeps its value, a null clears it.
/// </summary>
public sealed record MergePatch<T>(T Value, IReadOnlySet<string> Present, IReadOnlySet<string> Nulls)
{
    public bool Sent(string field) => Present.Contains(field);

    public bool Cleared(string field) => Nulls.Contains(field);
}

public static class MergePatch
{
    public const string ContentType = "application/merge-patch+json";

    /// <summary>Reads the body as the framework would (same problems for no body, bad JSON or a wrong type), keeping what was sent.</summary>
    public static async Task<MergePatch<T>> ReadAsync<T>(HttpRequest request, JsonSerializerOptions options)
    {
        using var body = new MemoryStream();
        await request.Body.CopyToAsync(body, request.HttpContext.RequestAborted);
        if (body.Length == 0) throw new BadHttpRequestException("Required body was not provided from body.");
        if (!request.HasJsonContentType())
        {
            throw new BadHttpRequestException("Unsupported content type.", StatusCodes.Status415UnsupportedMediaType);
        }
        body.Position = 0;
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(body, cancellationToken: request.HttpContext.RequestAborted);
        }
        catch (JsonException reader)
        {
            throw new BadHttpRequestException("The body is not JSON.", new JsonException(reader.Message, null, reader.LineNumber, reader.BytePositionInLine, reader));
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new BadHttpRequestException("The body is not a JSON object.", new JsonException("The body is not a JSON object."));
            }
            T value;
            try
            {
                value = document.RootElement.Deserialize<T>(options)!;
            }
            catch (JsonException field)
            {
                throw new BadHttpRequestException("A field cannot be read.", field);
            }
            var present = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            var nulls = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            Collect(document.RootElement, "", present, nulls);
            return new MergePatch<T>(value, present, nulls);
        }
    }

    private static void Collect(JsonElement element, string prefix, HashSet<string> present, HashSet<string> nulls)
    {
        foreach (var member in element.EnumerateObject())
        {
            var path = prefix + member.Name;
            present.Add(path);
            if (member.Value.ValueKind == JsonValueKind.Null) nulls.Add(path);
            else if (member.Value.ValueKind == JsonValueKind.Object) Collect(member.Value, path + ".", present, nulls);
        }
    }
}
