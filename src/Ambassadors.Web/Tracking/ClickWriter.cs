using Ambassadors.Data;
using Ambassadors.Data.Model;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Web.Tracking;

/// <summary>Appends raw clicks in batches (one transaction per collector flush).</summary>
public sealed class ClickWriter(IDbContextFactory<AppDbContext> contexts)
{
    public async Task WriteAsync(IReadOnlyList<Click> clicks)
    {
        try
        {
            await InsertAsync(clicks);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A retried batch whose first attempt was in fact stored: insert only what is missing.
            var ids = clicks.Select(c => c.Id).ToList();
            await using var db = await contexts.CreateDbContextAsync();
            var stored = (await db.Clicks.Where(c => ids.Contains(c.Id)).Select(c => c.Id).ToListAsync()).ToHashSet();
            await InsertAsync(clicks.Where(c => !stored.Contains(c.Id)).ToList());
        }
    }

    private async Task InsertAsync(IReadOnlyList<Click> clicks)
    {
        if (clicks.Count == 0) return;
        await using var db = await contexts.CreateDbContextAsync();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        db.Clicks.AddRange(clicks);
        await db.SaveChangesAsync();
    }
}
