using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum WorkbookExportState { Queued, Running, Done, Failed, Downloaded }

/// <summary>
/// A payout workbook written in the background for the person who asked, on whichever node took the request; its
/// progress and, once written, the file are in the database, so any node can answer the polling and the download.
/// </summary>
public sealed class WorkbookExport
{
    public required string Id { get; init; }
    public required string BatchId { get; init; }
    /// <summary>The user id of who started it; nobody else sees it.</summary>
    public required string StartedBy { get; init; }
    public DateTimeOffset StartedAt { get; init; }
    /// <summary>Moved on by the writing node at least every few seconds; a queued or running export left behind is failed.</summary>
    public DateTimeOffset UpdatedAt { get; set; }
    public WorkbookExportState State { get; set; }
    public long RowsWritten { get; set; }
    public long TotalRows { get; set; }
    public string? FileName { get; set; }
    public string? Error { get; set; }
    /// <summary>The .xlsx once written; cleared when downloaded.</summary>
    public byte[]? Content { get; set; }
}

internal sealed class WorkbookExportConfiguration : IEntityTypeConfiguration<WorkbookExport>
{
    public void Configure(EntityTypeBuilder<WorkbookExport> export)
    {
        export.HasKey(e => e.Id);
        export.Property(e => e.Id).HasMaxLength(40);
        export.Property(e => e.BatchId).HasMaxLength(40);
        export.Property(e => e.StartedBy).HasMaxLength(450);
        export.Property(e => e.State).HasConversion<LowerCaseEnumConverter<WorkbookExportState>>().HasMaxLength(20);
        export.Property(e => e.FileName).HasMaxLength(260);
        export.Property(e => e.Error).HasMaxLength(500);
        export.HasIndex(e => e.StartedAt);
    }
}
