using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum SubmissionStatus { Submitted, Accepted, Rejected }

/// <summary>
/// A member's proof for a mission (a link and a note), and its review. One per member and mission: a rejected one may be
/// sent again (it goes back to submitted); an accepted one is final and its bonus is one ledger entry
/// (<see cref="LedgerEntry.SubmissionId"/> is unique).
/// </summary>
public sealed class MissionSubmission
{
    public required string Id { get; init; }
    public required string MissionId { get; init; }
    public required string CampaignId { get; init; }
    public required string AmbassadorId { get; init; }
    public required string ProofUrl { get; set; }
    public string? Note { get; set; }
    public SubmissionStatus Status { get; set; }
    public DateTimeOffset SubmittedAt { get; set; }
    public DateTimeOffset? ReviewedAt { get; set; }
    /// <summary>Who reviewed it (a staff account's or API key's name), as the audit log names actors.</summary>
    public string? ReviewedBy { get; set; }
    /// <summary>Why it was rejected, shown to the ambassador.</summary>
    public string? RejectionReason { get; set; }
}

internal sealed class MissionSubmissionConfiguration : IEntityTypeConfiguration<MissionSubmission>
{
    public void Configure(EntityTypeBuilder<MissionSubmission> submission)
    {
        submission.HasKey(s => s.Id);
        submission.Property(s => s.Id).HasMaxLength(40);
        submission.Property(s => s.MissionId).HasMaxLength(40);
        submission.Property(s => s.CampaignId).HasMaxLength(40);
        submission.Property(s => s.AmbassadorId).HasMaxLength(40);
        submission.Property(s => s.ProofUrl).HasMaxLength(2048);
        submission.Property(s => s.Note).HasMaxLength(4000);
        submission.Property(s => s.Status).HasConversion<LowerCaseEnumConverter<SubmissionStatus>>().HasMaxLength(20);
        submission.Property(s => s.ReviewedBy).HasMaxLength(200);
        submission.Property(s => s.RejectionReason).HasMaxLength(500);
        submission.HasIndex(s => new { s.MissionId, s.AmbassadorId }).IsUnique();
        submission.HasIndex(s => new { s.MissionId, s.Status, s.SubmittedAt });
        submission.HasIndex(s => new { s.AmbassadorId, s.MissionId });
        submission.HasOne<Mission>().WithMany().HasForeignKey(s => s.MissionId).OnDelete(DeleteBehavior.Restrict);
        submission.HasOne<Ambassador>().WithMany().HasForeignKey(s => s.AmbassadorId).OnDelete(DeleteBehavior.Restrict);
    }
}
