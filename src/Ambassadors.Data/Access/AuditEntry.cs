using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>Append-only record of who changed what.</summary>
public sealed class AuditEntry
{
    public long Id { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>"key:{id}", "user:{id}", "cli" or "bootstrap".</summary>
    public required string Actor { get; init; }
    /// <summary>The actor as people read it when the entry was written (an email, a key's name).</summary>
    public string? ActorName { get; init; }
    public required string Action { get; init; }
    public required string EntityType { get; init; }
    public required string EntityId { get; init; }
    public string? Details { get; init; }
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> entry)
    {
        entry.HasKey(e => e.Id);
        entry.Property(e => e.Actor).HasMaxLength(80);
        entry.Property(e => e.ActorName).HasMaxLength(254);
        entry.Property(e => e.Action).HasMaxLength(80);
        entry.Property(e => e.EntityType).HasMaxLength(40);
        entry.Property(e => e.EntityId).HasMaxLength(80);
        entry.HasIndex(e => new { e.EntityType, e.EntityId });
    }
}
