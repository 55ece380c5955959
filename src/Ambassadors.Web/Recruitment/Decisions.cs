using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Recruitment;

/// <summary>
/// Told when members were enrolled or a campaign's record changed outside its grain, so the grain's cache reads the record
/// again. Implemented by the campaigns (which import recruitment, not the other way round).
/// </summary>
public interface ICampaignChanged
{
    Task ChangedAsync(string campaignId);
}

/// <summary>A new invitation: the link (with its token, shown once) and when it stops working.</summary>
public sealed record Invitation(string Url, DateTimeOffset ExpiresAt);

/// <summary>
/// The manager's decisions on applications, each all or nothing for the whole selection: accept (make or find the
/// ambassador by email, enrol them with codes and links within capacity, record the decision, put an invitation in the
/// outbox), decline (optionally with a kind message) and waitlist. The same decision again changes nothing; another
/// decision after accept is refused.
/// </summary>
public sealed class Decisions(
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock,
    PublicLinks links,
    IEnumerable<ICampaignChanged> listeners,
    ILogger<Decisions> logger)
{
    private const int Attempts = 5;

    /// <summary>The field of a refusal for want of places; the detail carries the numbers.</summary>
    public const string CapacityField = "capacity";

    public async Task<Result<IReadOnlyList<Application>>> AcceptAsync(string? campaignId, IReadOnlyCollection<string> ids, string actor,
        CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var result = await TryAcceptAsync(campaignId, ids, actor, cancellationToken);
                if (result.Succeeded && result.Changed) await NotifyAsync(result.Value![0].CampaignId);
                return result;
            }
            catch (DbUpdateException e) when (attempt < Attempts && (e is DbUpdateConcurrencyException || DbErrors.IsUniqueViolation(e)))
            {
                // Another decision on one of these applications, a generated code that was taken, or the same person made an
                // ambassador by another accept at the same moment: nothing was kept; read again and decide again.
                logger.LogInformation("Accept of {Count} applications retried ({Attempt}): {Error}", ids.Count, attempt, e.InnerException?.Message ?? e.Message);
            }
        }
    }

    private async Task<Result<IReadOnlyList<Application>>> TryAcceptAsync(string? campaignId, IReadOnlyCollection<string> ids, string actor,
        CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (applications, failure) = await LoadAsync(db, campaignId, ids, cancellationToken);
        if (failure is not null) return failure;
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == applications[0].CampaignId, cancellationToken);
        var pending = applications.Where(a => a.Status != ApplicationStatus.Accepted).ToList();
        if (pending.Count == 0) return Result<IReadOnlyList<Application>>.Unchanged(applications);
        if (campaign.Status == CampaignStatus.Ended) return Fail.Conflict("The campaign has ended; nobody can join it.");

        var emails = pending.Select(a => a.NormalizedEmail).ToList();
        var ambassadors = await db.Ambassadors.Where(a => emails.Contains(a.NormalizedEmail)).ToDictionaryAsync(a => a.NormalizedEmail, cancellationToken);
        var existingIds = ambassadors.Values.Select(a => a.Id).ToList();
        var members = (await db.Memberships.AsNoTracking()
            .Where(m => m.CampaignId == campaign.Id && existingIds.Contains(m.AmbassadorId))
            .Select(m => m.AmbassadorId).ToListAsync(cancellationToken)).ToHashSet(StringComparer.Ordinal);
        var contentIds = await db.Content.AsNoTracking().Where(c => c.CampaignId == campaign.Id).Select(c => c.Id).ToListAsync(cancellationToken);
        var places = pending.Count(a => !ambassadors.TryGetValue(a.NormalizedEmail, out var known) || !members.Contains(known.Id));

        var now = clock.GetUtcNow();
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (!await Enrolment.ReservePlacesAsync(db, campaign.Id, places, cancellationToken))
        {
            await transaction.RollbackAsync(cancellationToken);
            var count = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaign.Id).Select(c => c.MemberCount).SingleAsync(cancellationToken);
            var left = Math.Max(0, (campaign.Capacity ?? 0) - count);
            return Fail.Conflict($"The campaign is full for this selection: {left} {(left == 1 ? "place" : "places")} left " +
                $"(capacity {campaign.Capacity}, {count} members), {places} selected. Nothing was accepted.", CapacityField);
        }
        foreach (var application in pending)
        {
            if (!ambassadors.TryGetValue(application.NormalizedEmail, out var ambassador))
            {
                ambassador = NewAmbassador(application, now);
                db.Ambassadors.Add(ambassador);
                ambassadors[application.NormalizedEmail] = ambassador;
            }
            if (!members.Contains(ambassador.Id))
            {
                Enrolment.Add(db, campaign.Id, ambassador.Id, ReferralCodeFormat.Generate(), null, contentIds, now);
                members.Add(ambassador.Id);
            }
            Decide(application, ApplicationStatus.Accepted, actor, now);
            application.AmbassadorId = ambassador.Id;
            AddInvitation(db, ambassador, campaign, now);
        }
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        await ContentLinks.BackfillAsync(contexts, campaign.Id, now, cancellationToken);
        return Result<IReadOnlyList<Application>>.Ok(applications);
    }

    /// <summary>Decline or waitlist: refused (409) for the whole selection when one of them was already accepted.</summary>
    public async Task<Result<IReadOnlyList<Application>>> DecideAsync(string? campaignId, IReadOnlyCollection<string> ids, ApplicationStatus decision,
        bool notify, string actor, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var (applications, failure) = await LoadAsync(db, campaignId, ids, cancellationToken);
        if (failure is not null) return failure;
        if (applications.FirstOrDefault(a => a.Status == ApplicationStatus.Accepted) is { } accepted)
        {
            return Fail.Conflict(applications.Count == 1
                ? $"Application {accepted.Id} was accepted; it cannot be {decision.Name()} any more."
                : $"Application {accepted.Id} ({accepted.Name}) was accepted; nothing was {decision.Name()}.");
        }
        var changing = applications.Where(a => a.Status != decision).ToList();
        if (changing.Count == 0) return Result<IReadOnlyList<Application>>.Unchanged(applications);
        var campaign = await db.Campaigns.AsNoTracking().SingleAsync(c => c.Id == applications[0].CampaignId, cancellationToken);
        var now = clock.GetUtcNow();
        foreach (var application in changing)
        {
            Decide(application, decision, actor, now);
            if (notify && decision == ApplicationStatus.Declined) db.Outbox.Add(DeclineMessage(application, campaign, now));
        }
        try
        {
            await db.SaveChangesAsync(cancellationToken);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Fail.Conflict("One of these applications was decided by someone else meanwhile; nothing was changed. Look again and retry.");
        }
        return Result<IReadOnlyList<Application>>.Ok(applications);
    }

    /// <summary>A new invitation link for an ambassador (<c>POST /api/v1/ambassadors/{id}/invitation</c>), also put in the outbox.</summary>
    public async Task<Result<Invitation>> InviteAsync(string ambassadorId, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ambassador = await db.Ambassadors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == ambassadorId, cancellationToken);
        if (ambassador is null) return Fail.NotFound($"No ambassador {ambassadorId}.");
        var invitation = AddInvitation(db, ambassador, null, clock.GetUtcNow());
        await db.SaveChangesAsync(cancellationToken);
        return Result<Invitation>.Ok(invitation, created: true);
    }

    /// <summary>Sets the campaign's score weights (each 0 or more).</summary>
    public async Task<Result<ScoringWeights>> SetWeightsAsync(string campaignId, ScoringWeights weights, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Campaigns.Where(c => c.Id == campaignId).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.Scoring.Reach, weights.Reach)
            .SetProperty(c => c.Scoring.Engagement, weights.Engagement)
            .SetProperty(c => c.Scoring.Motivation, weights.Motivation)
            .SetProperty(c => c.Scoring.CountryFit, weights.CountryFit)
            .SetProperty(c => c.Scoring.PastResults, weights.PastResults)
            .SetProperty(c => c.Version, c => c.Version + 1), cancellationToken);
        if (changed == 0) return Fail.NotFound($"No campaign {campaignId}.");
        await NotifyAsync(campaignId);
        return Result<ScoringWeights>.Ok(weights);
    }

    /// <summary>The manager's rating of an application's motivation (0-5), or none.</summary>
    public async Task<Result<int?>> RateAsync(string campaignId, string applicationId, int? rating, CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var changed = await db.Applications.Where(a => a.Id == applicationId && a.CampaignId == campaignId)
            .ExecuteUpdateAsync(s => s.SetProperty(a => a.MotivationRating, rating).SetProperty(a => a.Version, a => a.Version + 1), cancellationToken);
        return changed == 0 ? Fail.NotFound($"No application {applicationId} in campaign {campaignId}.") : Result<int?>.Ok(rating);
    }

    private static async Task<(List<Application> Applications, Failure? Failure)> LoadAsync(AppDbContext db, string? campaignId,
        IReadOnlyCollection<string> ids, CancellationToken cancellationToken)
    {
        var wanted = ids.Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0) return ([], Fail.Invalid("ids", "Select at least one application."));
        var applications = await db.Applications.Where(a => wanted.Contains(a.Id)).ToListAsync(cancellationToken);
        var missing = wanted.Except(applications.Where(a => campaignId is null || a.CampaignId == campaignId).Select(a => a.Id)).FirstOrDefault();
        if (missing is not null) return ([], Fail.NotFound($"No application {missing}."));
        if (applications.Select(a => a.CampaignId).Distinct().Count() > 1)
        {
            return ([], Fail.Invalid("ids", "The applications belong to different campaigns; decide on one campaign at a time."));
        }
        return (applications.OrderBy(a => wanted.IndexOf(a.Id)).ToList(), null);
    }

    private static void Decide(Application application, ApplicationStatus status, string actor, DateTimeOffset now)
    {
        application.Status = status;
        application.DecidedAt = now;
        application.DecidedBy = actor.Length <= 254 ? actor : actor[..254];
        application.Version++;
    }

    /// <summary>The ambassador an accepted applicant becomes: their name, email, country and stated social profiles.</summary>
    private static Ambassador NewAmbassador(Application application, DateTimeOffset now) => new()
    {
        Id = Ids.New("amb"),
        Name = application.Name,
        Email = application.Email,
        NormalizedEmail = application.NormalizedEmail,
        Country = application.Country,
        SocialProfiles = application.SocialProfiles
            .Select(p => new SocialProfile { Network = p.Network, Handle = p.Handle, Followers = p.Followers }).ToList(),
        CreatedAt = now,
    };

    private Invitation AddInvitation(AppDbContext db, Ambassador ambassador, Campaign? campaign, DateTimeOffset now)
    {
        var (token, row) = AccessTokens.Issue(AccessTokenPurpose.Invitation, ambassador.Id, null, now, AccessTokens.InvitationLifetime);
        db.AccessTokens.Add(row);
        var url = links.Absolute($"/portal/onboarding/{token}");
        db.Outbox.Add(new OutboxMessage
        {
            Id = Ids.New("msg"),
            Kind = OutboxKind.Invitation,
            To = ambassador.Email,
            Subject = campaign is null ? "Your invitation to the ambassadors' portal" : $"Welcome to {campaign.Name}",
            Body = $"Hello {ambassador.Name},\n\n" +
                   (campaign is null ? "You are invited to the ambassadors' portal." : $"Your application to {campaign.Name} was accepted: welcome!") +
                   $"\nOpen this link to set your password and see your links and results (it works once, until {row.ExpiresAt.UtcDateTime:yyyy-MM-dd HH:mm} UTC):\n\n{url}\n",
            Link = url,
            CreatedAt = now,
        });
        return new Invitation(url, row.ExpiresAt);
    }

    private static OutboxMessage DeclineMessage(Application application, Campaign campaign, DateTimeOffset now) => new()
    {
        Id = Ids.New("msg"),
        Kind = OutboxKind.Declined,
        To = application.Email,
        Subject = $"Your application to {campaign.Name}",
        Body = $"Hello {application.Name},\n\nThank you for applying to {campaign.Name}. We had many more applications than places, " +
               "and this time we cannot offer you one. We were glad to read about you, and we hope to see you apply again.\n",
        CreatedAt = now,
    };

    private async Task NotifyAsync(string campaignId)
    {
        foreach (var listener in listeners) await listener.ChangedAsync(campaignId);
    }
}
