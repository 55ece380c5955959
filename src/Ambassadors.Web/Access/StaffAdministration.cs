using System.Security.Claims;
using Ambassadors.Data;
using Ambassadors.Payouts;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Access;

/// <summary>A staff account as an admin sees it.</summary>
public sealed record StaffMember(string Id, string Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset? DeactivatedAt, DateTimeOffset? LastSignInAt)
{
    public bool Active => DeactivatedAt is null;
}

/// <summary>What became of a change to a staff account.</summary>
public enum StaffChange
{
    Changed,
    /// <summary>It already was so; nothing written.</summary>
    Unchanged,
    NotFound,
    /// <summary>An admin may not deactivate or demote themselves.</summary>
    Self,
    /// <summary>The last active admin may not be deactivated or demoted.</summary>
    LastAdmin,
}

/// <summary>Who asks for a change: the audit's actor, and the account they are signed in with (none for an API key).</summary>
public sealed record StaffActor(Actor Audit, string? UserId)
{
    public static StaffActor Of(ClaimsPrincipal user) => user.FindFirstValue(ClaimTypes.NameIdentifier) is { } id
        ? new StaffActor(user.PageActor(), id)
        : new StaffActor(new Actor(user.Actor(), user.Identity?.Name ?? user.Actor()), null);
}

/// <summary>
/// Admins list, create, deactivate, reactivate and re-role staff accounts (the /manage/staff page and /api/v1/users).
/// Every change is audited. A deactivated account's security stamp changes, so its cookies open nothing on the next
/// request (the stamp is checked on every request, see <see cref="StaffSignIn"/>), and it cannot sign in again.
/// Nobody removes their own admin role or the last active admin's: changes that could are serialised (an advisory lock
/// on PostgreSQL; SQLite has one writer), so two admins demoting each other at once leave one.
/// </summary>
public sealed class StaffAdministration(AppDbContext db, UserManager<AppUser> users, TimeProvider clock)
{
    public const string SignedInAction = "user.signed-in";
    private const string UserEntity = "user";
    private const long AdminLock = 0x5A4D_4954; // "ZMIT": any constant other locks do not use

    public async Task<IReadOnlyList<StaffMember>> ListAsync(CancellationToken cancellationToken)
    {
        var staff = await db.Users.AsNoTracking().Where(u => StaffAccounts.Roles.Contains(u.Role)).ToListAsync(cancellationToken);
        var lastIds = await db.AuditLog.AsNoTracking().Where(e => e.Action == SignedInAction && e.EntityType == UserEntity)
            .GroupBy(e => e.EntityId).Select(g => g.Max(e => e.Id)).ToListAsync(cancellationToken);
        var lastSignIns = await db.AuditLog.AsNoTracking().Where(e => lastIds.Contains(e.Id))
            .Select(e => new { e.EntityId, e.At }).ToListAsync(cancellationToken);
        var last = lastSignIns.ToDictionary(e => e.EntityId, e => (DateTimeOffset?)e.At, StringComparer.Ordinal);
        return staff.OrderBy(u => u.Email, StringComparer.OrdinalIgnoreCase)
            .Select(u => new StaffMember(u.Id, u.Email ?? "", u.Role, u.CreatedAt, u.DeactivatedAt, last.GetValueOrDefault(u.Id)))
            .ToList();
    }

    /// <summary>Creates an account with the password rules of <see cref="StaffAccounts"/>; the errors are Identity's (by code).</summary>
    public async Task<(IdentityResult Result, AppUser? User)> CreateAsync(string email, string password, string role, StaffActor actor)
    {
        var (result, user) = await StaffAccounts.CreateAsync(users, email, password, role, clock);
        if (user is null) return (result, null);
        Audit(actor, "user.created", user.Id, $"{email} ({role})");
        await db.SaveChangesAsync();
        return (result, user);
    }

    /// <summary>Notes a successful sign-in (the staff page's "last sign-in").</summary>
    public async Task SignedInAsync(AppUser user, CancellationToken cancellationToken)
    {
        Audit(new StaffActor(new Actor($"user:{user.Id}", user.Email ?? user.Id), user.Id), SignedInAction, user.Id, null);
        await db.SaveChangesAsync(cancellationToken);
    }

    public Task<(StaffChange Change, AppUser? User)> DeactivateAsync(string id, StaffActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, user => user.DeactivatedAt is not null, removesAdmin: user => user.Role == UserRole.Admin.Name(), user =>
        {
            user.DeactivatedAt = clock.GetUtcNow();
            user.SecurityStamp = Guid.NewGuid().ToString("N"); // every cookie of the account stops at its next request
            return ("user.deactivated", user.Email);
        }, cancellationToken);

    public Task<(StaffChange Change, AppUser? User)> ReactivateAsync(string id, StaffActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, user => user.DeactivatedAt is null, removesAdmin: _ => false, user =>
        {
            user.DeactivatedAt = null;
            return ("user.reactivated", user.Email);
        }, cancellationToken);

    /// <summary>Gives the account another staff role (the caller checks that <paramref name="role"/> is one).</summary>
    public Task<(StaffChange Change, AppUser? User)> ChangeRoleAsync(string id, string role, StaffActor actor, CancellationToken cancellationToken) =>
        ChangeAsync(id, actor, user => user.Role == role,
            removesAdmin: user => user.Role == UserRole.Admin.Name() && role != UserRole.Admin.Name(), user =>
            {
                var before = user.Role;
                user.Role = role;
                user.SecurityStamp = Guid.NewGuid().ToString("N"); // the role is in the cookie: sign in again to get the new one
                return ("user.role-changed", $"{user.Email}: {before} -> {role}");
            }, cancellationToken);

    private async Task<(StaffChange, AppUser?)> ChangeAsync(string id, StaffActor actor, Func<AppUser, bool> alreadySo,
        Func<AppUser, bool> removesAdmin, Func<AppUser, (string Action, string? Details)> change, CancellationToken cancellationToken)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
        if (db.Engine == StorageEngine.Postgres)
        {
            await db.Database.ExecuteSqlRawAsync($"SELECT pg_advisory_xact_lock({AdminLock})", cancellationToken);
        }
        var user = await db.Users.SingleOrDefaultAsync(u => u.Id == id && StaffAccounts.Roles.Contains(u.Role), cancellationToken);
        if (user is null) return (StaffChange.NotFound, null);
        if (alreadySo(user)) return (StaffChange.Unchanged, user);
        if (removesAdmin(user))
        {
            if (user.Id == actor.UserId) return (StaffChange.Self, user);
            var otherAdmins = await db.Users.CountAsync(
                u => u.Id != user.Id && u.Role == UserRole.Admin.Name() && u.DeactivatedAt == null, cancellationToken);
            if (user.DeactivatedAt is null && otherAdmins == 0) return (StaffChange.LastAdmin, user);
        }
        var (action, details) = change(user);
        user.ConcurrencyStamp = Guid.NewGuid().ToString();
        Audit(actor, action, user.Id, details);
        await db.SaveChangesAsync(cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return (StaffChange.Changed, user);
    }

    private void Audit(StaffActor actor, string action, string userId, string? details) => db.AuditLog.Add(new AuditEntry
    {
        At = clock.GetUtcNow(), Actor = actor.Audit.Id, ActorName = actor.Audit.Name, Action = action,
        EntityType = UserEntity, EntityId = userId, Details = details,
    });
}

/// <summary>
/// The sign-in manager of the pages, refusing deactivated accounts: at sign-in (as if the password were wrong, see the
/// Login page) and in the check of the session cookie that runs on every request.
/// </summary>
public sealed class StaffSignInManager(
    UserManager<AppUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<AppUser> claimsFactory,
    Microsoft.Extensions.Options.IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<AppUser>> logger,
    Microsoft.AspNetCore.Authentication.IAuthenticationSchemeProvider schemes,
    IUserConfirmation<AppUser> confirmation)
    : SignInManager<AppUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    public override async Task<bool> CanSignInAsync(AppUser user) => user.DeactivatedAt is null && await base.CanSignInAsync(user);

    public override async Task<AppUser?> ValidateSecurityStampAsync(ClaimsPrincipal? principal) =>
        await base.ValidateSecurityStampAsync(principal) is { DeactivatedAt: null } user ? user : null;
}
