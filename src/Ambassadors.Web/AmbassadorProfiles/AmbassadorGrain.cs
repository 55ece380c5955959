using Ambassadors.Data;
using Ambassadors.Web.Http;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

[GenerateSerializer, Immutable]
public sealed record SocialProfileView(
    [property: Id(0)] string Network,
    [property: Id(1)] string Handle,
    [property: Id(2)] long Followers);

[GenerateSerializer, Immutable]
public sealed record AmbassadorDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] IReadOnlyList<SocialProfileView> SocialProfiles);

[GenerateSerializer, Immutable]
public sealed record AmbassadorView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] IReadOnlyList<SocialProfileView> SocialProfiles,
    [property: Id(4)] long PotentialReach,
    [property: Id(5)] DateTimeOffset CreatedAt)
{
    public static AmbassadorView From(Ambassador a)
    {
        var profiles = a.SocialProfiles.Select(p => new SocialProfileView(p.Network, p.Handle, p.Followers)).ToList();
        return new(a.Id, a.Name, a.Email, profiles, profiles.Sum(p => p.Followers), a.CreatedAt);
    }
}

public interface IAmbassadorGrain : IGrainWithStringKey
{
    Task<AmbassadorView?> GetAsync();
    Task<Result<AmbassadorView>> CreateAsync(AmbassadorDraft draft);

    /// <summary>Adds a collector's flush to the traffic counters (written behind, once per flush).</summary>
    Task RecordTrafficAsync(TrafficDelta delta);

    Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo);
}

[GenerateSerializer]
public sealed class AmbassadorState
{
    /// <summary>Cache of the relational record, so reads need no database round trip.</summary>
    [Id(0)] public AmbassadorView? Profile { get; set; }
    [Id(1)] public TrafficCounters Traffic { get; set; } = new();
}

public sealed class AmbassadorGrain(
    [PersistentState("ambassador", "grains")] IPersistentState<AmbassadorState> state,
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock) : Grain, IAmbassadorGrain
{
    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (state.State.Profile is not null) return;
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ambassador = await db.Ambassadors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == Id, cancellationToken);
        if (ambassador is null) return;
        state.State.Profile = AmbassadorView.From(ambassador);
        await state.WriteStateAsync(cancellationToken);
    }

    public Task<AmbassadorView?> GetAsync() => Task.FromResult(state.State.Profile);

    public Task RecordTrafficAsync(TrafficDelta delta) => TrafficWrites.ApplyAsync(state, s => s.Traffic, delta);

    public Task<TrafficSummary> GetTrafficAsync(DateOnly? from, DateOnly? to, DateOnly dailyFrom, DateOnly dailyTo) =>
        Task.FromResult(state.State.Traffic.Summarize(from, to, dailyFrom, dailyTo));

    public async Task<Result<AmbassadorView>> CreateAsync(AmbassadorDraft draft)
    {
        if (state.State.Profile is not null) return Fail.Conflict($"Ambassador {Id} already exists.");
        var normalizedEmail = draft.Email.ToLowerInvariant();
        var ambassador = new Ambassador
        {
            Id = Id,
            Name = draft.Name,
            Email = draft.Email,
            NormalizedEmail = normalizedEmail,
            SocialProfiles = draft.SocialProfiles
                .Select(p => new SocialProfile { Network = p.Network, Handle = p.Handle, Followers = p.Followers })
                .ToList(),
            CreatedAt = clock.GetUtcNow(),
        };
        await using var db = await contexts.CreateDbContextAsync();
        if (await db.Ambassadors.AnyAsync(a => a.NormalizedEmail == normalizedEmail))
        {
            return Fail.Conflict($"An ambassador with email {draft.Email} already exists.", "email");
        }
        db.Ambassadors.Add(ambassador);
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Fail.Conflict($"An ambassador with email {draft.Email} already exists.", "email");
        }
        state.State.Profile = AmbassadorView.From(ambassador);
        await state.WriteStateAsync();
        return Result<AmbassadorView>.Ok(state.State.Profile, created: true);
    }
}
