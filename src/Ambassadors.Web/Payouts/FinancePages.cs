using Microsoft.AspNetCore.Mvc.RazorPages;
using Ambassadors.Web.Access;

namespace Ambassadors.Web.Payouts;

/// <summary>The Razor Pages of the web host (sign-in and the /finance workspace) and the export runner behind them.</summary>
public static class FinancePages
{
    public static IServiceCollection AddFinancePages(this IServiceCollection services)
    {
        services.Configure<RazorPagesOptions>(options =>
            options.Conventions.AuthorizeFolder("/Payouts/Pages", StaffPolicies.Finance));
        services.AddSingleton<ExportJobs>();
        services.AddHostedService(provider => provider.GetRequiredService<ExportJobs>());
        return services;
    }

    public static IEndpointRouteBuilder MapFinancePages(this IEndpointRouteBuilder routes)
    {
        routes.MapRazorPages();
        routes.MapFinanceExports();
        return routes;
    }
}
