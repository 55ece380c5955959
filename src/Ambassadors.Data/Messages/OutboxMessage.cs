using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

public enum OutboxKind { Invitation, PasswordReset, Declined, Other }

/// <summary>
/// A message for a mail sender to send (invitations, password resets, kind declines). No mail server is needed to run:
/// the outbox page and <c>GET /api/v1/outbox</c> show them; an optional SMTP sender marks them sent.
/// </summary>
public sealed class OutboxMessage
{
    public required string Id { get; init; }
    public OutboxKind Kind { get; init; }
    public required string To { get; init; }
    public required string Subject { get; init; }
    public required string Body { get; init; }
    /// <summary>The link the message is about (an invitation's), when there is one.</summary>
    public string? Link { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? SentAt { get; set; }
    /// <summary>The last sending error, when the SMTP sender failed.</summary>
    public string? LastError { get; set; }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> message)
    {
        message.HasKey(m => m.Id);
        message.Property(m => m.Id).HasMaxLength(40);
        message.Property(m => m.Kind).HasConversion<LowerCaseEnumConverter<OutboxKind>>().HasMaxLength(20);
        message.Property(m => m.To).HasMaxLength(254);
        message.Property(m => m.Subject).HasMaxLength(300);
        message.Property(m => m.Body).HasMaxLength(20000);
        message.Property(m => m.Link).HasMaxLength(2048);
        message.Property(m => m.LastError).HasMaxLength(2000);
        message.HasIndex(m => m.CreatedAt);
        message.HasIndex(m => m.SentAt);
    }
}
