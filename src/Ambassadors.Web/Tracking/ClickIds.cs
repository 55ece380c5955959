namespace Ambassadors.Web.Tracking;

/// <summary>
/// Click ids: "clk_" and 26 base-32 characters encoding 128 bits, the first 48 of them the click's time in
/// Unix milliseconds and the rest random. The time in the id lets a conversion tell a click that is merely
/// not written yet (the collector flushes every second) from one that never existed.
/// </summary>
public static class ClickIds
{
    public const string Prefix = "clk_";
    public const int Length = 30;
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    public static string New(DateTimeOffset at)
    {
        Span<byte> random = stackalloc byte[10];
        RandomBytes.Fill(random);
        var value = (UInt128)(ulong)at.ToUnixTimeMilliseconds() << 80;
        for (var i = 0; i < random.Length; i++) value |= (UInt128)random[i] << (8 * (9 - i));

        Span<char> chars = stackalloc char[Length];
        Prefix.CopyTo(chars);
        for (var i = 0; i < 26; i++) chars[Prefix.Length + i] = Alphabet[(int)(ulong)((value >> (125 - 5 * i)) & 31)];
        return new string(chars);
    }

    /// <summary>True for a well-formed click id; <paramref name="at"/> is the time it was issued.</summary>
    public static bool TryParse(string? id, out DateTimeOffset at)
    {
        at = default;
        if (id is not { Length: Length } || !id.StartsWith(Prefix, StringComparison.Ordinal)) return false;
        UInt128 value = 0;
        for (var i = 0; i < 26; i++)
        {
            var digit = Alphabet.IndexOf(id[Prefix.Length + i]);
            if (digit < 0 || (i == 0 && digit > 7)) return false;
            value = (value << 5) | (uint)digit;
        }
        var milliseconds = (long)(ulong)(value >> 80);
        if (milliseconds > DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()) return false;
        at = DateTimeOffset.FromUnixTimeMilliseconds(milliseconds);
        return true;
    }
}
