using Ambassadors.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Access;

/// <summary>What a single-use link is when it is opened.</summary>
public enum LinkState { Usable, Used, Expired, Unknown }

/// <summary>An opened link: its state, and for a usable one the account's email and name to greet.</summary>
public sealed record OpenedLink(LinkState State, AccessToken? Token, string? Email, string? Name);

/// <summary>The outcome of setting a password through a link: the account signed in, or why not.</summary>
public sealed record PasswordSet(LinkState State, AppUser? User, IReadOnlyList<IdentityError> Errors)
{
    public bool Succeeded => State == LinkState.Usable && User is not null && Errors.Count == 0;
}

/// <summary>
/// Invitation and password-reset links (<see cref="AccessToken"/>): opening one only reads it; setting the password
/// consumes it in the same transaction that creates the ambassador's account or changes its password, by a conditional
/// update, so two posts of one link set one password. Setting a password also retires every other open link of the
/// account, and changes its security stamp, so older sessions end.
/// </summary>
public sealed class PasswordLinks(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public const string OnboardedAction = "ambassador.onboarded";
    public const string PasswordResetAction = "user.password-reset";

    public async Task<OpenedLink> OpenAsync(string? token, AccessTokenPurpose purpose, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100) return new(LinkState.Unknown, null, null, null);
        var hash = AccessTokens.Hash(token);
        var row = await db.AccessTokens.AsNoTracking().SingleOrDefaultAsync(t => t.TokenHash == hash && t.Purpose == purpose, cancellationToken);
        if (row is null) return new(LinkState.Unknown, null, null, null);
        var now = clock.GetUtcNow();
        if (row.UsedAt is not null) return new(LinkState.Used, row, null, null);
        if (now >= row.ExpiresAt) return new(LinkState.Expired, row, null, null);
        if (row.AmbassadorId is { } ambassadorId)
        {
            var ambassador = await db.Ambassadors.AsNoTracking().Where(a => a.Id == ambassadorId)
                .Select(a => new { a.Email, a.Name }).SingleOrDefaultAsync(cancellationToken);
            if (ambassador is null) return new(LinkState.Unknown, null, null, null);
            return new(LinkState.Usable, row, ambassador.Email, ambassador.Name);
        }
        var user = row.UserId is null ? null : await users.FindByIdAsync(row.UserId);
        return user is null || user.DeactivatedAt is not null
            ? new(LinkState.Unknown, null, null, null)
            : new(LinkState.Usable, row, user.Email, null);
    }

    /// <summary>
    /// Sets the password of the link's account (an invitation creates the ambassador's account the first time) and
    /// consumes the link. A weak password changes nothing and leaves the link usable.
    /// </summary>
    public async Task<PasswordSet> SetPasswordAsync(string? token, AccessTokenPurpose purpose, string password, CancellationToken cancellationToken)
    {
        var opened = await OpenAsync(token, purpose, cancellationToken);
        if (opened.State != LinkState.Usable) return new(opened.State, null, []);
        var link = opened.Token!;
        var user = link.AmbassadorId is { } ambassadorId
            ? await db.Users.SingleOrDefaultAsync(u => u.AmbassadorId == ambassadorId, cancellationToken)
            : await db.Users.SingleOrDefaultAsync(u => u.Id == link.UserId, cancellationToken);
        var creating = user is null;
        user ??= new AppUser
        {
            UserName = opened.Email, Email = opened.Email, Role = UserRole.Ambassador.Name(),
            AmbassadorId = link.AmbassadorId, CreatedAt = clock.GetUtcNow(),
        };
        var weak = new List<IdentityError>();
        foreach (var validator in users.PasswordValidators)
        {
            var check = await validator.ValidateAsync(users, user, password);
            if (!check.Succeeded) weak.AddRange(check.Errors);
        }
        if (weak.Count > 0) return new(LinkState.Usable, null, weak);

        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        var now = clock.GetUtcNow();
        var consumed = await db.AccessTokens
            .Where(t => t.Id == link.Id && t.UsedAt == null && t.ExpiresAt > now)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        if (consumed != 1) return new(LinkState.Used, null, []);

        var result = creating ? await users.CreateAsync(user, password) : await ReplacePasswordAsync(user, password);
        if (!result.Succeeded) return new(LinkState.Usable, null, result.Errors.ToList());
        // Every other open link of the account stops working: the password is set. A reset link names the user, an
        // invitation the ambassador: an ambassador's account retires both kinds.
        var userId = user.Id;
        var accountAmbassadorId = user.AmbassadorId;
        await db.AccessTokens
            .Where(t => t.UsedAt == null && t.Id != link.Id
                && (t.UserId == userId || (accountAmbassadorId != null && t.AmbassadorId == accountAmbassadorId)))
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.UsedAt, now), cancellationToken);
        db.AuditLog.Add(new AuditEntry
        {
            At = now, Actor = $"user:{user.Id}", ActorName = user.Email,
            Action = purpose == AccessTokenPurpose.Invitation && creating ? OnboardedAction : PasswordResetAction,
            EntityType = "user", EntityId = user.Id, Details = $"link {link.Id}",
        });
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new(LinkState.Usable, user, []);
    }

    private async Task<IdentityResult> ReplacePasswordAsync(AppUser user, string password)
    {
        // Removing the password changes the security stamp, so every session of the account ends.
        var removed = await users.RemovePasswordAsync(user);
        if (!removed.Succeeded) return removed;
        var added = await users.AddPasswordAsync(user, password);
        if (!added.Succeeded) return added;
        await users.SetLockoutEndDateAsync(user, null);
        return await users.ResetAccessFailedCountAsync(user);
    }
}
