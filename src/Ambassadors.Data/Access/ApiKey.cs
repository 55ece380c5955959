using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum ApiKeyRole { Admin, Manager, Finance, Merchant }

public sealed class ApiKey
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public ApiKeyRole Role { get; init; }
    /// <summary>SHA-256 of the key, hex; the key itself is shown once and never stored.</summary>
    public required string KeyHash { get; init; }
    /// <summary>The first characters of the key, to recognise it in lists.</summary>
    public required string Prefix { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? RevokedAt { get; set; }
}

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> key)
    {
        key.HasKey(k => k.Id);
        key.Property(k => k.Id).HasMaxLength(40);
        key.Property(k => k.Name).HasMaxLength(200);
        key.Property(k => k.Role).HasConversion<LowerCaseEnumConverter<ApiKeyRole>>().HasMaxLength(20);
        key.Property(k => k.KeyHash).HasMaxLength(64);
        key.Property(k => k.Prefix).HasMaxLength(16);
        key.HasIndex(k => k.KeyHash).IsUnique();
    }
}
