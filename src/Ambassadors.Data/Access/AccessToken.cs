using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum AccessTokenPurpose { Invitation, PasswordReset }

/// <summary>
/// A single-use, expiring link's token (an ambassador's invitation, a password reset). Only its SHA-256 is stored; the
/// token itself is in the link, shown once (in the outbox).
/// </summary>
public sealed class AccessToken
{
    public required string Id { get; init; }
    public AccessTokenPurpose Purpose { get; init; }
    /// <summary>SHA-256 of the token, lower-case hex.</summary>
    public required string TokenHash { get; init; }
    /// <summary>The ambassador the link is for (invitations; resets of an ambassador's password).</summary>
    public string? AmbassadorId { get; init; }
    /// <summary>The user whose password a reset link sets.</summary>
    public string? UserId { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset ExpiresAt { get; init; }
    /// <summary>When the link was used; a used link opens nothing.</summary>
    public DateTimeOffset? UsedAt { get; set; }
}

internal sealed class AccessTokenConfiguration : IEntityTypeConfiguration<AccessToken>
{
    public void Configure(EntityTypeBuilder<AccessToken> token)
    {
        token.HasKey(t => t.Id);
        token.Property(t => t.Id).HasMaxLength(40);
        token.Property(t => t.Purpose).HasConversion<LowerCaseEnumConverter<AccessTokenPurpose>>().HasMaxLength(20);
        token.Property(t => t.TokenHash).HasMaxLength(64);
        token.Property(t => t.AmbassadorId).HasMaxLength(40);
        token.Property(t => t.UserId).HasMaxLength(450);
        token.HasIndex(t => t.TokenHash).IsUnique();
        token.HasIndex(t => t.AmbassadorId);
    }
}
