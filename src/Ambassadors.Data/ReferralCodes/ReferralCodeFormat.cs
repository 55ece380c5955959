using System.Security.Cryptography;

namespace Ambassadors.Data;

/// <summary>
/// Referral codes: unique across the system, case-insensitive (stored upper-case), and when generated,
/// made from characters nobody confuses when reading them aloud or copying them (no 0/O, 1/I/L).
/// </summary>
public static class ReferralCodeFormat
{
    public const string Alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
    public const int GeneratedLength = 7;
    public const int MinLength = 3;
    public const int MaxLength = 32;

    public static string Generate()
    {
        Span<char> code = stackalloc char[GeneratedLength];
        for (var i = 0; i < code.Length; i++) code[i] = Alphabet[RandomNumberGenerator.GetInt32(Alphabet.Length)];
        return new string(code);
    }

    public static string Normalize(string code) => code.Trim().ToUpperInvariant();

    /// <summary>Why a code someone chose cannot be used, or null when it can.</summary>
    public static string? Problem(string code)
    {
        // Checked as sent: trimming would turn "CODE\r\n" into a code (API.md, "Input rules": no control characters).
        if (PlainText.HasControlCharacters(code)) return "A referral code has only letters, digits, '-' and '_' (no control characters).";
        var trimmed = code.Trim();
        if (trimmed.Length < MinLength || trimmed.Length > MaxLength)
        {
            return $"A referral code has {MinLength} to {MaxLength} characters.";
        }
        if (!trimmed.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !char.IsAsciiLetterOrDigit(trimmed[0]))
        {
            return "A referral code may hold only letters A-Z, digits, '-' and '_', and starts with a letter or digit.";
        }
        return null;
    }
}
