using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public sealed class ContentPiece
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    public required string Title { get; set; }
    public string? Body { get; set; }
    public string? MediaUrl { get; set; }
    /// <summary>Null means the campaign's destination.</summary>
    public string? DestinationUrl { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? UpdatedAt { get; set; }
    /// <summary>
    /// An exclusive preview until this moment: before it, only the campaign's members see the piece (and their links to it
    /// work); from it on, the piece is public. Null: public from the start.
    /// </summary>
    public DateTimeOffset? EmbargoUntil { get; set; }
}

internal sealed class ContentPieceConfiguration : IEntityTypeConfiguration<ContentPiece>
{
    public void Configure(EntityTypeBuilder<ContentPiece> content)
    {
        content.HasKey(c => c.Id);
        content.Property(c => c.Id).HasMaxLength(40);
        content.Property(c => c.CampaignId).HasMaxLength(40);
        content.Property(c => c.Title).HasMaxLength(200);
        content.Property(c => c.Body).HasMaxLength(20000);
        content.Property(c => c.MediaUrl).HasMaxLength(2048);
        content.Property(c => c.DestinationUrl).HasMaxLength(2048);
        content.HasIndex(c => c.CampaignId);
        content.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Restrict);
    }
}
