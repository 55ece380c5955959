using Ambassadors.Web.Access;

namespace Ambassadors.Web.Finance;

/// <summary>The Razor Pages of the web host (sign-in and the /finance workspace) and the export runner behind them.</summary>
public static class FinancePages
{
    public static IServiceCollection AddFinancePages(this IServiceCollection services)
    {
        services.AddRazorPages(options =>
        {
            options.Conventions.AuthorizeFolder("/Finance", StaffPolicies.Finance);
        });
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
