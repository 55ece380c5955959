namespace Ambassadors.Web.Tracking;

/// <summary>
/// Click ids: "clk_" and 26 base-32 characters encoding 128 bits, the first 48 of them the click's time in
/// Unix milliseconds and the rest random. The time in the id lets a conversion tell a click that is merely
/// not written yet (the collector flushes every second) from one that never existed. The collector keeps a click's id
/// as its 128-bit value and makes the text only when it writes the row (<see cref="ClickRecord"/>).
/// </summary>
public static class ClickIds
{
    public const string Prefix = "clk_";
    public const int Length = 30;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(DateTimeOffset at) => Format(NewValue(at));

    /// <summary>A new click id's 128-bit value: the time in milliseconds, then 80 random bits.</summary>
    public static UInt128 NewValue(DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[10];
        RandomBytes.Fill(random);
        var value = (UInt128)(ulong)at.ToUnixTimeMilliseconds() << 80;
        for (var i = 0; i < random.Length; i++) value |= (UInt128)random[i] << (8 * (9 - i));
        return value;
    }

    public static string Format(UInt128 value)
    {
        Span<char> chars = stackalloc char[Length];
        Format(value, chars);
        return new string(chars);
    }

    /// <summary>Writes the id's <see cref="Length"/> characters to the start of <paramref name="destination"/>.</summary>
    public static void Format(UInt128 value, Span<char> destination)
    {
        Prefix.CopyTo(destination);
        for (var i = 0; i < 26; i++) destination[Prefix.Length + i] = Alphabet[(int)(ulong)((value >> (125 - 5 * i)) & 31)];
    }

    /// <summary>True for a well-formed click id; <paramref name="at"/> is the time it was issued.</summary>
    public static bool TryParse(string? id, out DateTimeOffset at)
    {
        at = default;
        if (!TryParseValue(id, out var value)) return false;
        var milliseconds = (long)(ulong)(value >> 80);
        if (milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return false;
        at = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }

    /// <summary>True for a well-formed click id; <paramref name="value"/> is its 128-bit value.</summary>
    public static bool TryParseValue(string? id, out UInt128 value)
    {
        value = 0;
        if (id is not { Length: Length } || !id.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        for (var i = 0; i < 26; i++)
        {
            var digit = Alphabet.IndexOf(id[Prefix.Length + i]);
            if (digit < 0 || (i == 0 && digit > 7)) return false;
            value = (value << 5) | (uint)digit;
        }
        return true;
    }
}
