using System.Text;
using Microsoft.EntityFrameworkCore;

namespace Ambassadors.Data;

/// <summary>
/// Keeps <see cref="ConversionCount"/> rows: one upsert (the same SQL on SQLite and PostgreSQL) per recorded or reversed
/// conversion, inside the caller's transaction, so a conversion counts exactly when it is stored and stops counting
/// exactly when it is reversed.
/// </summary>
public static class ConversionCounts
{
    private const int RowsPerStatement = 200;

    /// <summary>
    /// Adds (<paramref name="sign"/> 1, when recorded) or takes away (-1, when reversed) the conversion from its subjects'
    /// rows, for its day and for all time. <paramref name="referrer"/>: who earns an override on it, if anyone.
    /// </summary>
    public static Task ApplyAsync(AppDbContext db, Conversion conversion, string? referrer, int sign, CancellationToken cancellationToken) =>
        ApplyAsync(db, [(conversion, referrer, sign)], cancellationToken);

    /// <summary>As above for several conversions (a group commit): their changes to a row are added up first, one upsert per row.</summary>
    public static async Task ApplyAsync(AppDbContext db, IEnumerable<(Conversion Conversion, string? Referrer, int Sign)> changes, CancellationToken cancellationToken)
    {
        var deltas = new Dictionary<(string Subject, string Id, DateOnly Day, string Kind, string Currency), (long Count, long Amount, long Overridden)>();
        foreach (var (conversion, referrer, sign) in changes)
        {
            var kind = conversion.Kind.Name();
            foreach (var (subject, id) in Subjects(conversion, referrer))
            {
                foreach (var day in new[] { ConversionCount.AllTime, conversion.OccurredOn })
                {
                    var key = (subject, id, day, kind, conversion.Currency);
                    var (count, amount, overridden) = deltas.GetValueOrDefault(key);
                    deltas[key] = (count + sign, amount + sign * (conversion.AmountMinor ?? 0), overridden + (referrer is null ? 0 : sign));
                }
            }
        }
        // Always in the same order (by subject, id, day, kind, currency), so concurrent writers on PostgreSQL lock shared rows in one order.
        var rows = deltas.OrderBy(d => d.Key.Subject, StringComparer.Ordinal).ThenBy(d => d.Key.Id, StringComparer.Ordinal)
            .ThenBy(d => d.Key.Day).ThenBy(d => d.Key.Kind, StringComparer.Ordinal).ThenBy(d => d.Key.Currency, StringComparer.Ordinal).ToList();
        foreach (var chunk in rows.Chunk(RowsPerStatement))
        {
            var sql = new StringBuilder(
                """INSERT INTO "ConversionCounts" ("Subject", "SubjectId", "Day", "Kind", "Currency", "Count", "AmountMinor", "Overridden") VALUES """);
            var parameters = new List<object>(chunk.Length * 8);
            foreach (var ((subject, id, day, kind, currency), (count, amount, overridden)) in chunk)
            {
                if (parameters.Count > 0) sql.Append(", ");
                sql.Append('(').AppendJoin(", ", Enumerable.Range(parameters.Count, 8).Select(i => $"{{{i}}}")).Append(')');
                parameters.AddRange([subject, id, day, kind, currency, count, amount, overridden]);
            }
            sql.Append("""
                 ON CONFLICT ("Subject", "SubjectId", "Day", "Kind", "Currency") DO UPDATE SET
                 "Count" = "ConversionCounts"."Count" + excluded."Count",
                 "AmountMinor" = "ConversionCounts"."AmountMinor" + excluded."AmountMinor",
                 "Overridden" = "ConversionCounts"."Overridden" + excluded."Overridden"
                """);
            await db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
        }
    }

    private static IEnumerable<(string Subject, string Id)> Subjects(Conversion conversion, string? referrer)
    {
        yield return (ConversionSubject.Ambassador, conversion.AmbassadorId);
        yield return (ConversionSubject.Campaign, conversion.CampaignId);
        if (conversion.ContentId is { } content) yield return (ConversionSubject.Content, content);
        if (referrer is not null) yield return (ConversionSubject.Referrer, referrer);
    }

    /// <summary>
    /// The rows recounted from the conversions and the ledger (the same SQL on both engines): what the migration that
    /// introduced the table ran once, and what tools that bulk-load conversions run after them. Expects an empty table.
    /// </summary>
    public static IReadOnlyList<string> Recount { get; } = Statements();

    private static List<string> Statements()
    {
        const string overridden = """
            SUM(CASE WHEN EXISTS (SELECT 1 FROM "Ledger" l WHERE l."ConversionId" = c."Id" AND l."Kind" = 'seconddegree') THEN 1 ELSE 0 END)
            """;
        var statements = new List<string>();
        foreach (var (subject, column, join) in new[]
                 {
                     (ConversionSubject.Ambassador, "c.\"AmbassadorId\"", ""),
                     (ConversionSubject.Campaign, "c.\"CampaignId\"", ""),
                     (ConversionSubject.Content, "c.\"ContentId\"", ""),
                     (ConversionSubject.Referrer, "r.\"AmbassadorId\"", "JOIN \"Ledger\" r ON r.\"ConversionId\" = c.\"Id\" AND r.\"Kind\" = 'seconddegree'"),
                 })
        {
            foreach (var day in new[] { "c.\"OccurredOn\"", $"'{ConversionCount.AllTime:yyyy-MM-dd}'" })
            {
                var grouping = day.StartsWith('\'') ? column : $"{column}, {day}";
                statements.Add($"""
                    INSERT INTO "ConversionCounts" ("Subject", "SubjectId", "Day", "Kind", "Currency", "Count", "AmountMinor", "Overridden")
                    SELECT '{subject}', {column}, {day}, c."Kind", c."Currency", COUNT(*), SUM(COALESCE(c."AmountMinor", 0)), {overridden}
                    FROM "Conversions" c {join}
                    WHERE c."ReversedAt" IS NULL AND {column} IS NOT NULL
                    GROUP BY {grouping}, c."Kind", c."Currency"
                    """);
            }
        }
        return statements;
    }
}
