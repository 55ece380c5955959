using Ambassadors.Data;
using Ambassadors.Payouts;
using Ambassadors.Web.Access;
using Ambassadors.Web.Recruitment;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Ambassadors.Cli.Demo;

/// <summary>An account to look around with, and its password (printed at the end of the load).</summary>
internal sealed record DemoAccount(string Role, string Email, string Password, string Opens);

/// <summary>
/// The accounts to sign in with: staff made like <c>ambassadors users create</c> makes them, and one ambassador per
/// programme whose invitation is used the way the onboarding page uses it (the password set through the link).
/// </summary>
internal static class DemoAccounts
{
    public static async Task<List<DemoAccount>> StaffAsync(DemoRun run, CancellationToken cancellationToken)
    {
        var accounts = new List<DemoAccount>();
        foreach (var (role, opens) in new[] { ("admin", "/manage"), ("manager", "/manage"), ("finance", "/finance") })
        {
            var email = run.World.Account(role);
            var password = $"Demo-{char.ToUpperInvariant(role[0])}{role[1..]}-2026";
            await using var scope = run.Services.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                var (result, created) = await StaffAccounts.CreateAsync(users, email, password, role, run.Get<TimeProvider>());
                if (!result.Succeeded) throw new InvalidOperationException($"{email}: {string.Join(" ", result.Errors.Select(e => e.Description))}");
                user = created!;
                db.AuditLog.Add(new AuditEntry
                {
                    At = run.Now, Actor = "cli", ActorName = "demo", Action = "user.created", EntityType = "user",
                    EntityId = user.Id, Details = $"{email} ({role})",
                });
                await db.SaveChangesAsync(cancellationToken);
            }
            accounts.Add(new DemoAccount(role, email, password, opens));
            var actor = new Actor($"user:{user.Id}", email);
            if (role == "manager") run.Manager = actor;
            if (role == "finance") run.Finance = actor;
        }
        return accounts;
    }

    /// <summary>The ambassador's account, through an invitation link as the onboarding page uses it.</summary>
    public static async Task<DemoAccount> AmbassadorAsync(DemoRun run, string ambassadorId, string email, string password, string role,
        CancellationToken cancellationToken)
    {
        var invitation = DemoRun.Ok(await run.Get<Decisions>().InviteAsync(ambassadorId, cancellationToken), "invitation");
        var token = invitation.Url[(invitation.Url.LastIndexOf('/') + 1)..];
        await using var scope = run.Services.CreateAsyncScope();
        var set = await scope.ServiceProvider.GetRequiredService<PasswordLinks>()
            .SetPasswordAsync(token, AccessTokenPurpose.Invitation, password, cancellationToken);
        if (!set.Succeeded && set.Errors.Count > 0) throw new InvalidOperationException(string.Join(" ", set.Errors.Select(e => e.Description)));
        return new DemoAccount(role, email, password, "/portal");
    }
}
