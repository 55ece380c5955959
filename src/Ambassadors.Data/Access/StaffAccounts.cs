using Microsoft.AspNetCore.Identity;

namespace Ambassadors.Data;

/// <summary>Password rules and account creation shared by the web host and the command line.</summary>
public static class StaffAccounts
{
    /// <summary>The names of <see cref="UserRoles.Staff"/>: admin, manager, finance.</summary>
    public static readonly IReadOnlyList<string> Roles = UserRoles.Staff.Select(r => r.Name()).ToArray();

    public static void ConfigurePasswords(IdentityOptions options)
    {
        options.Password.RequiredLength = 12;
        options.Password.RequireDigit = true;
        options.Password.RequireLowercase = true;
        options.Password.RequireUppercase = true;
        options.Password.RequireNonAlphanumeric = false;
        options.Password.RequiredUniqueChars = 5;
        options.User.RequireUniqueEmail = true;
        options.Lockout.MaxFailedAccessAttempts = 10;
    }

    /// <summary>Creates a staff account; the result lists what is wrong (weak password, taken email).</summary>
    public static async Task<(IdentityResult Result, AppUser? User)> CreateAsync(
        UserManager<AppUser> users, string email, string password, string role, TimeProvider clock)
    {
        if (!Roles.Contains(role))
        {
            return (IdentityResult.Failed(new IdentityError
            {
                Code = "role",
                Description = $"Role must be one of: {string.Join(", ", Roles)}.",
            }), null);
        }
        var user = new AppUser { UserName = email, Email = email, Role = role, CreatedAt = clock.GetUtcNow() };
        var result = await users.CreateAsync(user, password);
        return (result, result.Succeeded ? user : null);
    }
}
