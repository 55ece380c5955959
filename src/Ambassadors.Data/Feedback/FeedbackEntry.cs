using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>A member's rating (1-5) and comment on a campaign, or on one of its content pieces (<see cref="ContentId"/>).</summary>
public sealed class FeedbackEntry
{
    public required string Id { get; init; }
    public required string CampaignId { get; init; }
    /// <summary>The piece it is about; null for the campaign itself.</summary>
    public string? ContentId { get; init; }
    public required string AmbassadorId { get; init; }
    public int Rating { get; set; }
    public string? Comment { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
}

internal sealed class FeedbackEntryConfiguration : IEntityTypeConfiguration<FeedbackEntry>
{
    public void Configure(EntityTypeBuilder<FeedbackEntry> feedback)
    {
        feedback.ToTable("Feedback", t => t.HasCheckConstraint("CK_Feedback_Rating", "\"Rating\" BETWEEN 1 AND 5"));
        feedback.HasKey(f => f.Id);
        feedback.Property(f => f.Id).HasMaxLength(40);
        feedback.Property(f => f.CampaignId).HasMaxLength(40);
        feedback.Property(f => f.ContentId).HasMaxLength(40);
        feedback.Property(f => f.AmbassadorId).HasMaxLength(40);
        feedback.Property(f => f.Comment).HasMaxLength(4000);
        feedback.HasIndex(f => new { f.CampaignId, f.CreatedAt });
        feedback.HasIndex(f => new { f.ContentId, f.CreatedAt });
        feedback.HasIndex(f => new { f.AmbassadorId, f.CampaignId });
        feedback.HasOne<Campaign>().WithMany().HasForeignKey(f => f.CampaignId).OnDelete(DeleteBehavior.Restrict);
        feedback.HasOne<ContentPiece>().WithMany().HasForeignKey(f => f.ContentId).OnDelete(DeleteBehavior.Restrict);
        feedback.HasOne<Ambassador>().WithMany().HasForeignKey(f => f.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
    }
}
