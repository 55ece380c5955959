namespace Ambassadors.Data;

/// <summary>What someone who signs in to the pages may do; stored in <see cref="AppUser.Role"/> as its name.</summary>
public enum UserRole { Admin, Manager, Finance, Ambassador }

/// <summary>A user role as it is stored, put in the sign-in cookie and typed on the command line.</summary>
public static class UserRoles
{
    /// <summary>The roles a staff account is made with (an ambassador's account is not a staff account).</summary>
    public static readonly IReadOnlyList<UserRole> Staff = [UserRole.Admin, UserRole.Manager, UserRole.Finance];

    /// <summary>Exactly a role's name, lowercase.</summary>
    public static bool TryParse(string? name, out UserRole role) => EnumNames.TryParse(name, out role);
}
