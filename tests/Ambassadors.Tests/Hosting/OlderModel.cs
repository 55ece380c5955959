using Ambassadors.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;

namespace Ambassadors.Tests.Hosting;

/// <summary>
/// The model before the Recruitment migration: the upgrade tests write and compare rows through it, so an INSERT names
/// only the columns the old schema has. A migration that adds a column to a table those tests write (campaigns,
/// ambassadors, memberships, content, ledger) adds the property here too.
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
        modelBuilder.Entity<Ambassador>(ambassador =>
        {
            ambassador.Ignore(a => a.Country);
            ambassador.Ignore(a => a.Followers); // the Followers migration
        });
        modelBuilder.Entity<Membership>().Ignore(m => m.RemovedAt);
        // The Missions migration: an embargo and an edit time on content; ledger entries without a conversion.
        modelBuilder.Entity<ContentPiece>(content =>
        {
            content.Ignore(c => c.EmbargoUntil);
            content.Ignore(c => c.UpdatedAt);
        });
        modelBuilder.Ignore<FeedbackEntry>();
        modelBuilder.Ignore<MissionSubmission>();
        modelBuilder.Ignore<Mission>();
        modelBuilder.Entity<Application>(application =>
        {
            application.Ignore(a => a.Followers); // the ApplicationScoreInputs migration
            application.Ignore(a => a.Engagement);
        });
        modelBuilder.Entity<LedgerEntry>(entry =>
        {
            entry.Ignore(e => e.SubmissionId);
            entry.Ignore(e => e.EarnedOn);
            entry.Ignore(e => e.CountsOn); // the LedgerStatsDay migration
            entry.Ignore(e => e.SecondDegree);
        });
    }
}
