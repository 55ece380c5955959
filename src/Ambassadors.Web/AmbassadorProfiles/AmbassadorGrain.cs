using Ambassadors.Data;
using Ambassadors.Web.Http;
using Ambassadors.Web.Tracking;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.AmbassadorProfiles;

[GenerateSerializer, Immutable]
public sealed record SocialProfileRecord(
    [property: Id(0)] string Network,
    [property: Id(1)] string Handle,
    [property: Id(2)] long Followers);

[GenerateSerializer, Immutable]
public sealed record AmbassadorDraft(
    [property: Id(0)] string Name,
    [property: Id(1)] string Email,
    [property: Id(2)] IReadOnlyList<SocialProfileRecord> SocialProfiles,
    [property: Id(3)] string? Country = null);

/// <summary>What an edit changes: a null field stays as it is; <see cref="ClearCountry"/> clears the country.</summary>
[GenerateSerializer, Immutable]
public sealed record AmbassadorChanges(
    [property: Id(0)] string? Name,
    [property: Id(1)] string? Email,
    [property: Id(2)] string? Country,
    [property: Id(3)] bool ClearCountry,
    [property: Id(4)] IReadOnlyList<SocialProfileRecord>? SocialProfiles);

/// <summary>Who changes a profile, for the audit log ("user:…" or "key:…", and a readable name).</summary>
[GenerateSerializer, Immutable]
public sealed record ChangedBy([property: Id(0)] string Actor, [property: Id(1)] string? Name);

/// <summary>An ambassador as their grain keeps and returns them. Property names are the stored JSON's.</summary>
[GenerateSerializer, Immutable]
public sealed record AmbassadorRecord(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Email,
    [property: Id(3)] IReadOnlyList<SocialProfileRecord> SocialProfiles,
    [property: Id(4)] long PotentialReach,
    [property: Id(5)] DateTimeOffset CreatedAt,
    [property: Id(6)] string? Country = null)
{
    public static AmbassadorRecord From(Ambassador a)
    {
        var profiles = a.SocialProfiles.Select(p => new SocialProfileRecord(p.Network, p.Handle, p.Followers)).ToList();
        return new(a.Id, a.Name, a.Email, profiles, profiles.Sum(p => p.Followers), a.CreatedAt, a.Country);
    }

    /// <summary>Value equality, the profiles included (a record compares lists by reference).</summary>
    public bool SameAs(AmbassadorRecord? other) =>
        other is not null && this with { SocialProfiles = [] } == other with { SocialProfiles = [] }
        && SocialProfiles.SequenceEqual(other.SocialProfiles);
}

public interface IAmbassadorGrain : ITrafficGrain
{
    Task<AmbassadorRecord?> GetAsync();
    Task<Result<AmbassadorRecord>> CreateAsync(AmbassadorDraft draft);

    /// <summary>Changes the profile (email stays unique) and writes what changed to the audit log, in one transaction.</summary>
    Task<Result<AmbassadorRecord>> UpdateAsync(AmbassadorChanges changes, ChangedBy by);
}

[GenerateSerializer]
public sealed class AmbassadorState : IHoldTraffic
{
    /// <summary>Cache of the relational record, so reads need no database round trip (docs/decisions.md, "Grains that cache records").</summary>
    [Id(0)] public AmbassadorRecord? Profile { get; set; }
    [Id(1)] public TrafficCounters Traffic { get; set; } = new();
}

[GrainType(TrafficGrains.AmbassadorType)]
public sealed class AmbassadorGrain(
    [PersistentState("ambassador", "grains")] IPersistentState<AmbassadorState> state,
    IDbContextFactory<AppDbContext> contexts,
    TimeProvider clock) : TrafficGrain<AmbassadorState>(state), IAmbassadorGrain
{
    private string Id => this.GetPrimaryKeyString();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var ambassador = await db.Ambassadors.AsNoTracking().SingleOrDefaultAsync(a => a.Id == Id, cancellationToken);
        if (ambassador is null || AmbassadorRecord.From(ambassador).SameAs(Stored.State.Profile)) return;
        Stored.State.Profile = AmbassadorRecord.From(ambassador);
        await Stored.WriteStateAsync(cancellationToken);
    }

    public Task<AmbassadorRecord?> GetAsync() => Task.FromResult(Stored.State.Profile);

    public async Task<Result<AmbassadorRecord>> CreateAsync(AmbassadorDraft draft)
    {
        if (Stored.State.Profile is not null) return Fail.Conflict($"Ambassador {Id} already exists.");
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
            Country = draft.Country,
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
        Stored.State.Profile = AmbassadorRecord.From(ambassador);
        await Stored.WriteStateAsync();
        return Result<AmbassadorRecord>.Ok(Stored.State.Profile, created: true);
    }

    public async Task<Result<AmbassadorRecord>> UpdateAsync(AmbassadorChanges changes, ChangedBy by)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var ambassador = await db.Ambassadors.SingleOrDefaultAsync(a => a.Id == Id);
        if (ambassador is null) return Fail.NotFound($"No ambassador {Id}.");
        var before = AmbassadorRecord.From(ambassador);
        if (changes.Email is { } email && !string.Equals(email, ambassador.Email, StringComparison.Ordinal))
        {
            var normalized = email.ToLowerInvariant();
            if (await db.Ambassadors.AnyAsync(a => a.NormalizedEmail == normalized && a.Id != Id))
            {
                return Fail.Conflict($"An ambassador with email {email} already exists.", "email");
            }
            ambassador.Email = email;
            ambassador.NormalizedEmail = normalized;
        }
        ambassador.Name = changes.Name ?? ambassador.Name;
        ambassador.Country = changes.ClearCountry ? null : changes.Country ?? ambassador.Country;
        if (changes.SocialProfiles is { } profiles)
        {
            ambassador.SocialProfiles = profiles.Select(p => new SocialProfile { Network = p.Network, Handle = p.Handle, Followers = p.Followers }).ToList();
        }
        var after = AmbassadorRecord.From(ambassador);
        if (after.SameAs(before)) return Result<AmbassadorRecord>.Ok(after);

        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = by.Actor, ActorName = by.Name, Action = "ambassador.updated",
            EntityType = "ambassador", EntityId = Id, Details = AmbassadorAudit.Difference(before, after),
        });
        try
        {
            await db.SaveChangesAsync();
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            return Fail.Conflict($"An ambassador with email {changes.Email} already exists.", "email");
        }
        Stored.State.Profile = after;
        await Stored.WriteStateAsync();
        return Result<AmbassadorRecord>.Ok(after);
    }
}
