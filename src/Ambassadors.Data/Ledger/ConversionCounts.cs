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
    /// <summary>
    /// Adds (<paramref name="sign"/> 1, when recorded) or takes away (-1, when reversed) the conversion from its subjects'
    /// rows, for its day and for all time. <paramref name="referrer"/>: who earns an override on it, if anyone.
    /// </summary>
    public static Task ApplyAsync(AppDbContext db, Conversion conversion, string? referrer, int sign, CancellationToken cancellationToken)
    {
        var subjects = new List<(string Subject, string Id)>
        {
            (ConversionSubject.Ambassador, conversion.AmbassadorId),
            (ConversionSubject.Campaign, conversion.CampaignId),
        };
        if (conversion.ContentId is { } content) subjects.Add((ConversionSubject.Content, content));
        if (referrer is not null) subjects.Add((ConversionSubject.Referrer, referrer));
        // Always in the same order (by subject, id, day), so concurrent conversions on PostgreSQL lock shared rows in one order.
        var rows = subjects.OrderBy(s => s.Subject, StringComparer.Ordinal).ThenBy(s => s.Id, StringComparer.Ordinal)
            .SelectMany(s => new[] { (s.Subject, s.Id, Day: ConversionCount.AllTime), (s.Subject, s.Id, Day: conversion.OccurredOn) })
            .ToList();

        var sql = new StringBuilder(
            """INSERT INTO "ConversionCounts" ("Subject", "SubjectId", "Day", "Kind", "Currency", "Count", "AmountMinor", "Overridden") VALUES """);
        var parameters = new List<object>();
        foreach (var (subject, id, day) in rows)
        {
            if (parameters.Count > 0) sql.Append(", ");
            var at = parameters.Count;
            sql.Append('(').AppendJoin(", ", Enumerable.Range(at, 8).Select(i => $"{{{i}}}")).Append(')');
            parameters.AddRange([subject, id, day, conversion.Kind.Name(), conversion.Currency, (long)sign,
                sign * (conversion.AmountMinor ?? 0), referrer is null ? 0L : sign]);
        }
        sql.Append("""
             ON CONFLICT ("Subject", "SubjectId", "Day", "Kind", "Currency") DO UPDATE SET
             "Count" = "ConversionCounts"."Count" + excluded."Count",
             "AmountMinor" = "ConversionCounts"."AmountMinor" + excluded."AmountMinor",
             "Overridden" = "ConversionCounts"."Overridden" + excluded."Overridden"
            """);
        return db.Database.ExecuteSqlRawAsync(sql.ToString(), parameters, cancellationToken);
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
