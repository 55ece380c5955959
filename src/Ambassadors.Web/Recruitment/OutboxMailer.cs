using Ambassadors.Data;
using MailKit.Net.Smtp;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using MimeKit;

namespace Ambassadors.Web.Recruitment;

/// <summary>
/// The optional SMTP sender of the outbox: <c>Ambassadors:Smtp:Host</c>, <c>Port</c> (587), <c>User</c>, <c>Password</c>,
/// <c>From</c>. Off unless a host and a sender address are set; without it the outbox is only shown (page and API).
/// </summary>
public sealed record SmtpSettings(string? Host, int Port, string? User, string? Password, string? From)
{
    public bool Enabled => !string.IsNullOrWhiteSpace(Host) && !string.IsNullOrWhiteSpace(From);

    public static SmtpSettings Read(IConfiguration configuration)
    {
        var smtp = configuration.GetSection("Ambassadors:Smtp");
        return new(smtp["Host"], smtp.GetValue("Port", 587), smtp["User"], smtp["Password"], smtp["From"]);
    }
}

/// <summary>Sends unsent outbox messages every 30 seconds when SMTP is configured, and marks each one sent (or its error).</summary>
public sealed class OutboxMailer(SmtpSettings settings, IDbContextFactory<AppDbContext> contexts, TimeProvider clock, ILogger<OutboxMailer> logger)
    : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!settings.Enabled) return;
        using var timer = new PeriodicTimer(Interval, clock);
        do
        {
            try
            {
                await SendPendingAsync(stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "Sending the outbox through {Host} failed; trying again in {Interval}.", settings.Host, Interval);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    private async Task SendPendingAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var pending = await db.Outbox.Where(m => m.SentAt == null).OrderBy(m => m.CreatedAt).Take(100).ToListAsync(cancellationToken);
        if (pending.Count == 0) return;
        using var client = new SmtpClient();
        await client.ConnectAsync(settings.Host!, settings.Port, SecureSocketOptions.Auto, cancellationToken);
        if (!string.IsNullOrEmpty(settings.User)) await client.AuthenticateAsync(settings.User, settings.Password ?? "", cancellationToken);
        foreach (var message in pending)
        {
            try
            {
                var mail = new MimeMessage();
                mail.From.Add(MailboxAddress.Parse(settings.From!));
                mail.To.Add(MailboxAddress.Parse(message.To));
                mail.Subject = message.Subject;
                mail.Body = new TextPart("plain") { Text = message.Body };
                await client.SendAsync(mail, cancellationToken);
                message.SentAt = clock.GetUtcNow();
                message.LastError = null;
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                message.LastError = e.Message.Length <= 2000 ? e.Message : e.Message[..2000];
            }
            await db.SaveChangesAsync(cancellationToken);
        }
        await client.DisconnectAsync(quit: true, cancellationToken);
    }
}
