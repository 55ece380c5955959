using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>One redirect through a tracked link (append-only, written in batches).</summary>
public sealed class Click
{
    /// <summary>"clk_" + 26 base-32 characters whose first ten carry the time in milliseconds.</summary>
    public required string Id { get; init; }
    public required string Code { get; init; }
    public required string AmbassadorId { get; init; }
    public required string CampaignId { get; init; }
    public string? ContentId { get; init; }
    public required string VisitorId { get; init; }
    public DateTimeOffset At { get; init; }
    /// <summary>A known bot, link-preview fetcher or HEAD request: redirected, not counted as a click.</summary>
    public bool IsBot { get; init; }
    /// <summary>Many clicks from one address in a short time: counted, but flagged for review.</summary>
    public bool Flagged { get; init; }
    /// <summary>SHA-256 of the client address (hex, first 32 characters); the address itself is not kept.</summary>
    public string? AddressHash { get; init; }
    public string? UserAgent { get; init; }
}

internal sealed class ClickConfiguration : IEntityTypeConfiguration<Click>
{
    public void Configure(EntityTypeBuilder<Click> click)
    {
        click.HasKey(c => c.Id);
        click.Property(c => c.Id).HasMaxLength(40);
        click.Property(c => c.Code).HasMaxLength(32);
        click.Property(c => c.AmbassadorId).HasMaxLength(40);
        click.Property(c => c.CampaignId).HasMaxLength(40);
        click.Property(c => c.ContentId).HasMaxLength(40);
        click.Property(c => c.VisitorId).HasMaxLength(40);
        click.Property(c => c.AddressHash).HasMaxLength(32);
        click.Property(c => c.UserAgent).HasMaxLength(512);
        click.HasIndex(c => c.At);
    }
}
