using Ambassadors.Web.Access;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Ambassadors.Web.Portal;

/// <summary>The ambassadors' portal (/portal): every page under Portal/Pages needs an ambassador's session unless it says otherwise (the invitation's link).</summary>
public static class PortalSetup
{
    public static IServiceCollection AddPortal(this IServiceCollection services)
    {
        services.Configure<RazorPagesOptions>(options => options.Conventions.AuthorizeFolder("/Portal/Pages", StaffPolicies.Portal));
        return services;
    }
}
