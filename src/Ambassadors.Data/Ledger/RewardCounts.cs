using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Data;

/// <summary>A ledger entry as <see cref="RewardCount"/> rows count it, with its conversion's day and ambassador.</summary>
public sealed record CountedEntry(string AmbassadorId, string CampaignId, string? ContentId, string Currency, long AmountMinor,
    DateTimeOffset AvailableAt, DateOnly ConversionDay, string ConvertingAmbassadorId)
{
    public static CountedEntry Of(LedgerEntry entry, Conversion conversion) => new(entry.AmbassadorId, entry.CampaignId, entry.ContentId,
        entry.Currency, entry.AmountMinor, entry.AvailableAt, conversion.OccurredOn, conversion.AmbassadorId);

    /// <summary>An entry without a conversion (a mission bonus): it counts on its <see cref="LedgerEntry.EarnedOn"/> day, as its ambassador's own.</summary>
    public static CountedEntry OfBonus(LedgerEntry entry) => new(entry.AmbassadorId, entry.CampaignId, entry.ContentId,
        entry.Currency, entry.AmountMinor, entry.AvailableAt,
        entry.EarnedOn ?? throw new ArgumentException("An entry without a conversion needs the day it was earned.", nameof(entry)), entry.AmbassadorId);
}

/// <summary>
/// Keeps <see cref="RewardCount"/> rows inside the caller's transaction: an entry made adds to its open rows, a void takes
/// it away, a payment moves it from open to paid. Upserts in the same SQL on SQLite and PostgreSQL, in key order (so
/// concurrent transactions on PostgreSQL lock shared rows in one order).
/// </summary>
public static class RewardCounts
{
    private const int RowsPerStatement = 200;

    public static async Task ApplyAsync(AppDbContext db, IEnumerable<(CountedEntry Entry, LedgerEntryState State, int Sign)> changes,
        CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<(string Subject, string Id, DateOnly Day, string Currency, bool Second, string State, DateOnly AvailableOn), (long Amount, long Entries)>();
        foreach (var (entry, state, sign) in changes)
        {
            var second = entry.AmbassadorId != entry.ConvertingAmbassadorId;
            var availableOn = DateOnly.FromDateTime(entry.AvailableAt.UtcDateTime);
            var subjects = new List<(string, string)> { (ConversionSubject.Ambassador, entry.AmbassadorId), (ConversionSubject.Campaign, entry.CampaignId) };
            if (entry.ContentId is { } content) subjects.Add((ConversionSubject.Content, content));
            foreach (var (subject, id) in subjects)
            {
                foreach (var day in new[] { ConversionCount.AllTime, entry.ConversionDay })
                {
                    var key = (subject, id, day, entry.Currency, second, state.Name(), availableOn);
                    var (amount, entries) = deltas.GetValueOrDefault(key);
                    deltas[key] = (amount + sign * entry.AmountMinor, entries + sign);
                }
            }
        }
        var rows = deltas.OrderBy(d => d.Key.Subject, StringComparer.Ordinal).ThenBy(d => d.Key.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Day).ThenBy(d => d.Key.Currency, StringComparer.Ordinal).ThenBy(d => d.Key.Second)
            .ThenBy(d => d.Key.State, StringComparer.Ordinal).ThenBy(d => d.Key.AvailableOn).ToList();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(
                """INSERT INTO "RewardCounts" ("Subject", "SubjectId", "Day", "Currency", "SecondDegree", "State", "AvailableOn", "AmountMinor", "Entries") VALUES """);
            var parameters = new List<object>();
            foreach (var ((subject, id, day, currency, second, state, availableOn), (amount, entries)) in chunk)
            {
                if (parameters.Count > 0) sql.Append(", ");
                sql.Append('(').AppendJoin(", ", Enumerable.Range(parameters.Count, 9).Select(i => $"{{{i}}}")).Append(')');
                parameters.AddRange([subject, id, day, currency, second, state, availableOn, amount, entries]);
            }
            sql.Append("""
                 ON CONFLICT ("Subject", "SubjectId", "Day", "Currency", "SecondDegree", "State", "AvailableOn")
                 DO UPDATE SET "AmountMinor" = "RewardCounts"."AmountMinor" + excluded."AmountMinor",
                 "Entries" = "RewardCounts"."Entries" + excluded."Entries"
                """);
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
    }

    /// <summary>
    /// The rows recounted from the ledger and the conversions: what the migration that introduced the table ran once, and
    /// what tools that bulk-load entries run after them. Expects an empty table. The day an entry's holding ends is
    /// computed in each engine's SQL (SQLite stores instants as <c>DateTimeOffsetToBinaryConverter</c>'s tick counts).
    /// </summary>
    public static IReadOnlyList<string> Recount(StorageEngine engine) => Statements(engine, withoutConversions: true);

    /// <summary>
    /// The recount as the migration RewardCounts ran it, before ledger entries without a conversion (mission bonuses) and
    /// their <c>EarnedOn</c> column existed: a migration keeps its SQL as it ran, so a fresh database replays the same history.
    /// </summary>
    public static IReadOnlyList<string> RecountBeforeMissions(StorageEngine engine) => Statements(engine, withoutConversions: false);

    private static List<string> Statements(StorageEngine engine, bool withoutConversions)
    {
        var availableOn = engine == StorageEngine.Sqlite
            ? """date('0001-01-01', '+' || ((((l."AvailableAt" >> 11) * 1000) - (((l."AvailableAt" << 53) >> 53) * 600000000)) / 864000000000) || ' days')"""
            : """CAST(l."AvailableAt" AT TIME ZONE 'UTC' AS date)""";
        var statements = new List<string>();
        foreach (var (subject, column) in new[]
                 {
                     (ConversionSubject.Ambassador, "l.\"AmbassadorId\""), (ConversionSubject.Campaign, "l.\"CampaignId\""),
                     (ConversionSubject.Content, "l.\"ContentId\""),
                 })
        {
            // A mission bonus has no conversion: it counts on its EarnedOn day, as its own ambassador's (first degree).
            var (join, conversionDay, second) = withoutConversions
                ? ("LEFT JOIN", "COALESCE(c.\"OccurredOn\", l.\"EarnedOn\")", "l.\"AmbassadorId\" <> COALESCE(c.\"AmbassadorId\", l.\"AmbassadorId\")")
                : ("JOIN", "c.\"OccurredOn\"", "l.\"AmbassadorId\" <> c.\"AmbassadorId\"");
            foreach (var day in new[] { conversionDay, $"'{ConversionCount.AllTime:yyyy-MM-dd}'" })
            {
                var grouping = day.StartsWith('\'') ? column : $"{column}, {day}";
                statements.Add($"""
                    INSERT INTO "RewardCounts" ("Subject", "SubjectId", "Day", "Currency", "SecondDegree", "State", "AvailableOn", "AmountMinor", "Entries")
                    SELECT '{subject}', {column}, {day}, l."Currency", {second}, l."State", {availableOn}, SUM(l."AmountMinor"), COUNT(*)
                    FROM "Ledger" l {join} "Conversions" c ON c."Id" = l."ConversionId"
                    WHERE l."State" <> 'voided' AND {column} IS NOT NULL
                    GROUP BY {grouping}, l."Currency", {second}, l."State", {availableOn}
                    """);
            }
        }
        return statements;
    }
}
