using System.Net.Mail;

namespace Ambassadors.Data;

/// <summary>The one rule for an email address, shared by the API and the command line.</summary>
public static class EmailAddresses
{
    public const int MaxLength = 254;

    /// <summary>A single plain address (no display name) with a dotted domain, at most 254 characters.</summary>
    public static bool IsValid(string text) =>
        text.Length <= MaxLength
        && MailAddress.TryCreate(text, out var address)
        && address.Address == text
        && text.Contains('.', StringComparison.Ordinal);
}
