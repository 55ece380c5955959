using System.ComponentModel;
using Ambassadors.Data;
using Ambassadors.Web.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using System.Security.Claims;

namespace Ambassadors.Web.Access;

public sealed record CreateApiKeyRequest(
    [property: Description("What the key is for, e.g. the shop's name.")] string? Name,
    [property: Description("admin, manager, finance or merchant.")] string? Role);

public sealed record CreatedApiKeyResponse(string Id, string Name, string Role, [property: Description("Shown once; only its hash is stored.")] string Key, DateTimeOffset CreatedAt);

public sealed record ApiKeyResponse(string Id, string Name, string Role, string Prefix, DateTimeOffset CreatedAt, DateTimeOffset? RevokedAt);

public sealed record CreateUserRequest(string? Email, string? Password, [property: Description("admin, manager or finance.")] string? Role);

public sealed record UserResponse(
    string Id, string Email, string Role, DateTimeOffset CreatedAt,
    [property: Description("False once an admin deactivated the account: it cannot sign in and its sessions have ended.")] bool Active,
    DateTimeOffset? DeactivatedAt,
    [property: Description("The last successful sign-in to the pages, if any.")] DateTimeOffset? LastSignInAt)
{
    public static UserResponse From(StaffMember member) =>
        new(member.Id, member.Email, member.Role, member.CreatedAt, member.Active, member.DeactivatedAt, member.LastSignInAt);

    public static UserResponse From(AppUser user) =>
        new(user.Id, user.Email ?? "", user.Role, user.CreatedAt, user.DeactivatedAt is null, user.DeactivatedAt, null);
}

public sealed record ChangeUserRoleRequest([property: Description("admin, manager or finance.")] string? Role);

/// <summary>API keys and staff accounts: admin only.</summary>
public static class AccessApi
{
    public static IEndpointRouteBuilder MapAccess(this IEndpointRouteBuilder routes)
    {
        var keys = routes.MapGroup("/api/v1/api-keys").WithTags("Access").RequireAuthorization(ApiPolicies.Admin);
        keys.MapPost("/", CreateKeyAsync)
            .WithName("CreateApiKey")
            .Refuses(400, 422)
            .WithSummary("Create an API key")
            .WithDescription("The key is in the response once; only its SHA-256 is stored.");
        keys.MapGet("/", ListKeysAsync)
            .WithName("ListApiKeys")
            .Refuses()
            .WithSummary("List API keys")
            .WithDescription("Names, roles, the first characters of each key and when it was revoked; never the keys themselves.");
        keys.MapDelete("/{id}", RevokeKeyAsync)
            .WithName("RevokeApiKey")
            .Refuses(404)
            .WithSummary("Revoke an API key")
            .WithDescription("The key stops working at once. Revoking again changes nothing.");

        var users = routes.MapGroup("/api/v1/users").WithTags("Access").RequireAuthorization(ApiPolicies.Admin);
        users.MapGet("/", ListUsersAsync)
            .WithName("ListUsers")
            .Refuses()
            .WithSummary("List the staff accounts")
            .WithDescription("Email, role, when created, whether active (and since when deactivated), the last sign-in; never a password hash.");
        users.MapPost("/{id}/deactivate", DeactivateUserAsync)
            .WithName("DeactivateUser")
            .Refuses(404, 409)
            .WithSummary("Deactivate a staff account")
            .WithDescription("It cannot sign in any more and its sessions end at once. The last active admin cannot be deactivated (409). Again: 200, no change.");
        users.MapPost("/{id}/reactivate", ReactivateUserAsync)
            .WithName("ReactivateUser")
            .Refuses(404)
            .WithSummary("Reactivate a staff account")
            .WithDescription("It can sign in again. Again: 200, no change.");
        users.MapPut("/{id}/role", ChangeUserRoleAsync)
            .WithName("ChangeUserRole")
            .Refuses(400, 404, 409, 422)
            .WithSummary("Change a staff account's role")
            .WithDescription("admin, manager or finance; its sessions end, so the new role applies from the next sign-in. The last active admin keeps the role (409).");
        users.MapPost("/", CreateUserAsync)
            .WithName("CreateUser")
            .Refuses(400, 409, 422)
            .WithSummary("Create a staff account for the web pages")
            .WithDescription("Passwords need at least 12 characters with upper- and lower-case letters and a digit; weaker ones get 422.");
        return routes;
    }

    private static async Task<Results<Created<CreatedApiKeyResponse>, ProblemHttpResult>> CreateKeyAsync(
        CreateApiKeyRequest request, AppDbContext db, TimeProvider clock, ClaimsPrincipal user, CancellationToken cancellationToken)
    {
        var check = new Validation();
        var name = check.Required("name", request.Name, 200);
        if (!ApiKeys.TryParseRole(request.Role, out var role))
        {
            check.Add("role", $"'role' must be one of: {string.Join(", ", ApiKeys.RoleNames)}.");
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        var (record, secret) = ApiKeys.Create(name, role, clock);
        db.ApiKeys.Add(record);
        db.AuditLog.Add(new AuditEntry
        {
            At = clock.GetUtcNow(), Actor = user.Actor(), Action = "api-key.created",
            EntityType = "api-key", EntityId = record.Id, Details = $"{record.Name} ({role.Name()})",
        });
        await db.SaveChangesAsync(cancellationToken);
        return TypedResults.Created($"/api/v1/api-keys/{record.Id}",
            new CreatedApiKeyResponse(record.Id, record.Name, role.Name(), secret, record.CreatedAt));
    }

    private static async Task<Ok<List<ApiKeyResponse>>> ListKeysAsync(AppDbContext db, CancellationToken cancellationToken)
    {
        var keys = await db.ApiKeys.AsNoTracking().ToListAsync(cancellationToken);
        return TypedResults.Ok(keys
            .OrderBy(k => k.CreatedAt)
            .Select(k => new ApiKeyResponse(k.Id, k.Name, k.Role.Name(), k.Prefix, k.CreatedAt, k.RevokedAt))
            .ToList());
    }

    private static async Task<Results<NoContent, ProblemHttpResult>> RevokeKeyAsync(
        string id, AppDbContext db, TimeProvider clock, ClaimsPrincipal user, ApiKeyCache cache, CancellationToken cancellationToken)
    {
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null) return Problems.NotFound($"No API key {id}.");
        if (key.RevokedAt is null)
        {
            key.RevokedAt = clock.GetUtcNow();
            db.AuditLog.Add(new AuditEntry
            {
                At = clock.GetUtcNow(), Actor = user.Actor(), Action = "api-key.revoked", EntityType = "api-key", EntityId = id,
            });
            await db.SaveChangesAsync(cancellationToken);
        }
        cache.Clear(); // this node at once; the others within ApiKeyCache.Lifetime

        return TypedResults.NoContent();
    }

    private static async Task<Ok<List<UserResponse>>> ListUsersAsync(StaffAdministration staff, CancellationToken cancellationToken) =>
        TypedResults.Ok((await staff.ListAsync(cancellationToken)).Select(UserResponse.From).ToList());

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> DeactivateUserAsync(
        string id, StaffAdministration staff, ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Answer(id, await staff.DeactivateAsync(id, StaffActor.Of(principal), cancellationToken));

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ReactivateUserAsync(
        string id, StaffAdministration staff, ClaimsPrincipal principal, CancellationToken cancellationToken) =>
        Answer(id, await staff.ReactivateAsync(id, StaffActor.Of(principal), cancellationToken));

    private static async Task<Results<Ok<UserResponse>, ProblemHttpResult>> ChangeUserRoleAsync(
        string id, ChangeUserRoleRequest request, StaffAdministration staff, ClaimsPrincipal principal, CancellationToken cancellationToken)
    {
        if (request.Role is null || !StaffAccounts.Roles.Contains(request.Role))
        {
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["role"] = [$"'role' must be one of: {string.Join(", ", StaffAccounts.Roles)}."],
            });
        }
        return Answer(id, await staff.ChangeRoleAsync(id, request.Role, StaffActor.Of(principal), cancellationToken));
    }

    private static Results<Ok<UserResponse>, ProblemHttpResult> Answer(string id, (StaffChange Change, AppUser? User) outcome) => outcome.Change switch
    {
        StaffChange.Changed or StaffChange.Unchanged => TypedResults.Ok(UserResponse.From(outcome.User!)),
        StaffChange.NotFound => Problems.NotFound($"No staff account {id}."),
        StaffChange.LastAdmin => Problems.Conflict($"{outcome.User!.Email} is the last active admin; make another admin first."),
        _ => Problems.Conflict("An admin cannot deactivate or demote their own account."),
    };

    private static async Task<Results<Created<UserResponse>, ProblemHttpResult>> CreateUserAsync(
        CreateUserRequest request, UserManager<AppUser> users, StaffAdministration staff, ClaimsPrincipal principal)
    {
        var check = new Validation();
        var email = check.Email("email", request.Email);
        if (string.IsNullOrEmpty(request.Password)) check.Add("password", "'password' is required.");
        else check.Length("password", request.Password, 200);
        if (request.Role is null || !StaffAccounts.Roles.Contains(request.Role))
        {
            check.Add("role", $"'role' must be one of: {string.Join(", ", StaffAccounts.Roles)}.");
        }
        if (!check.IsValid) return Problems.Invalid(check.Errors);

        if (await users.FindByEmailAsync(email) is not null)
        {
            return Problems.Conflict($"A user with email {email} already exists.");
        }
        var (result, user) = await staff.CreateAsync(email, request.Password!, request.Role!, StaffActor.Of(principal));
        if (!result.Succeeded)
        {
            if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
            {
                return Problems.Conflict($"A user with email {email} already exists.");
            }
            return Problems.Invalid(new Dictionary<string, string[]>
            {
                ["password"] = result.Errors.Select(e => e.Description).ToArray(),
            }, "The password is too weak.");
        }
        return TypedResults.Created($"/api/v1/users/{user!.Id}", UserResponse.From(user));
    }
}
