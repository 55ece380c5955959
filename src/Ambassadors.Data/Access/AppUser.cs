using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Ambassadors.Data;

/// <summary>Someone who signs in to the web pages: staff, or an ambassador in the portal.</summary>
public sealed class AppUser : IdentityUser
{
    /// <summary>A <see cref="UserRole"/>'s name: admin, manager, finance or ambassador.</summary>
    public required string Role { get; set; }
    public string? AmbassadorId { get; set; }
    public DateTimeOffset CreatedAt { get; init; }
    /// <summary>When an admin deactivated the account: it cannot sign in and its sessions end at once.</summary>
    public DateTimeOffset? DeactivatedAt { get; set; }
    /// <summary>The pages' language the person chose in their profile ("en" or "nl"); the switch's cookie is set from it at sign-in.</summary>
    public string? Language { get; set; }
    /// <summary>An ambassador's latest visit to the portal's home (a visit is a first view after 30 minutes away).</summary>
    public DateTimeOffset? PortalVisitAt { get; set; }
    /// <summary>The visit before <see cref="PortalVisitAt"/>: the home page tells what happened since then.</summary>
    public DateTimeOffset? PortalPreviousVisitAt { get; set; }
}

/// <summary>Our columns on the ASP.NET Core Identity user table (Identity configures the rest).</summary>
internal sealed class AppUserConfiguration : IEntityTypeConfiguration<AppUser>
{
    public void Configure(EntityTypeBuilder<AppUser> user)
    {
        user.Property(u => u.Role).HasMaxLength(20);
        user.Property(u => u.AmbassadorId).HasMaxLength(40);
        user.HasIndex(u => u.AmbassadorId).IsUnique();
        user.Property(u => u.Language).HasMaxLength(5);
    }
}
