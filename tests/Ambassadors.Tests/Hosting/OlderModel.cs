using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// The model before the Recruitment migration: the upgrade tests write and compare rows through it, so an INSERT names
/// only the columns the old schema has. A migration that adds a column to a table those tests write (campaigns,
/// ambassadors, memberships) adds the property here too.
/// </summary>
internal sealed class OlderModel(ModelCustomizerDependencies dependencies) : RelationalModelCustomizer(dependencies)
{
    public static void Use(DbContextOptionsBuilder options) => options.ReplaceService<IModelCustomizer, OlderModel>();

    public override void Customize(ModelBuilder modelBuilder, DbContext context)
    {
        base.Customize(modelBuilder, context);
        modelBuilder.Entity<Campaign>(campaign =>
        {
            campaign.Ignore(c => c.KpiMetric);
            campaign.Ignore(c => c.KpiTarget);
            campaign.Ignore(c => c.Description);
            campaign.Ignore(c => c.Terms);
            campaign.Ignore(c => c.TargetCountries);
            campaign.Ignore(c => c.Scoring);
        });
        modelBuilder.Entity<Ambassador>().Ignore(a => a.Country);
        modelBuilder.Entity<Membership>().Ignore(m => m.RemovedAt);
    }
}
