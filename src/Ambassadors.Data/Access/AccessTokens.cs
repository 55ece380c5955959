using System.Security.Cryptography;

namespace Ambassadors.Data;

/// <summary>Issues single-use, expiring link tokens (<see cref="AccessToken"/>): the token goes into the link, only its SHA-256 is stored.</summary>
public static class AccessTokens
{
    /// <summary>How long an invitation link works.</summary>
    public static readonly TimeSpan InvitationLifetime = TimeSpan.FromDays(7);

    /// <summary>How long a password-reset link works (/login/forgot sends it).</summary>
    public static readonly TimeSpan PasswordResetLifetime = TimeSpan.FromHours(1);

    /// <summary>A new token (43 URL-safe characters, 256 random bits) and the row that stores its hash; the caller adds and saves the row.</summary>
    public static (string Token, AccessToken Row) Issue(AccessTokenPurpose purpose, string? ambassadorId, string? userId,
        DateTimeOffset now, TimeSpan lifetime)
    {
        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        return (token, new AccessToken
        {
            Id = Ids.New("tok"),
            Purpose = purpose,
            TokenHash = Hash(token),
            AmbassadorId = ambassadorId,
            UserId = userId,
            CreatedAt = now,
            ExpiresAt = now + lifetime,
        });
    }

    /// <summary>SHA-256 of the token as lower-case hex: what is stored and looked up.</summary>
    public static string Hash(string token) => ApiKeys.Hash(token);

    /// <summary>Whether the stored token still opens something at <paramref name="now"/>: not used, not expired.</summary>
    public static bool IsUsable(AccessToken token, DateTimeOffset now) => token.UsedAt is null && now < token.ExpiresAt;
}
