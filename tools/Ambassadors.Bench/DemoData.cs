using System.Diagnostics;
using System.Globalization;
using Ambassadors.Data;
using Microsoft.Data.Sqlite;

namespace Ambassadors.Bench;

/// <summary>
/// The demo's data for the pages benchmark: loaded by the demo loader (<c>ambassadors demo</c>, in this process, into an SQLite
/// file), then multiplied in bulk in the product's own shape: every ambassador of the demo copied <c>factor - 1</c> times with
/// their memberships, links, payout details, applications, conversions, ledger entries, mission proofs, feedback, payout lines
/// and raw clicks (ids, emails and codes suffixed), the kept counts recounted from the copied rows as the migrations do.
/// </summary>
public static class DemoData
{
    /// <summary>The demo's objects the measured pages are about.</summary>
    public sealed record Programme(string FordId, string VogueId, string AgentId, string BatchId);

    /// <summary>How much a database holds, for the report.</summary>
    public sealed record Counts(long Applications, long Ambassadors, long Clicks, long Conversions, long LedgerEntries, long BatchLines);

    public static async Task LoadAsync(string database, string size, CancellationToken cancellationToken)
    {
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var exitCode = await Ambassadors.Cli.Cli.RunAsync(
            ["--database", "sqlite", "--connection-string", ConnectionString(database), "demo", "--size", size], stdout, stderr, TextReader.Null);
        SqliteConnection.ClearAllPools();
        if (exitCode != 0) throw new InvalidOperationException($"The demo loader exited with {exitCode}:\n{stdout}\n{stderr}");
    }

    public static string ConnectionString(string database) => $"Data Source={database}";

    public static async Task<Programme> ProgrammeAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        return new Programme(
            await ScalarAsync<string>(connection, """SELECT "Id" FROM "Campaigns" WHERE "Name" = 'Fiesta Movement'""", cancellationToken),
            await ScalarAsync<string>(connection, """SELECT "Id" FROM "Campaigns" WHERE "Name" = 'Insiders Circle'""", cancellationToken),
            await ScalarAsync<string>(connection, """SELECT "Id" FROM "Ambassadors" WHERE "Email" = 'agent@demo.example'""", cancellationToken),
            // The largest batch: the page that lists a batch's lines.
            await ScalarAsync<string>(connection, """SELECT "Id" FROM "PayoutBatches" ORDER BY "LineCount" DESC, "PeriodEnd" DESC LIMIT 1""", cancellationToken));
    }

    public static async Task<Counts> CountAsync(string database, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(database, cancellationToken);
        async Task<long> Count(string table) => await ScalarAsync<long>(connection, $"""SELECT COUNT(*) FROM "{table}" """, cancellationToken);
        return new Counts(await Count("Applications"), await Count("Ambassadors"), await Count("Clicks"), await Count("Conversions"),
            await Count("Ledger"), await Count("PayoutLines"));
    }

    /// <summary>Each copied table and the columns a copy changes (the others are copied as they are); <c>k.n</c> numbers the copy.</summary>
    private static (string Table, Dictionary<string, string> Changed)[] Copies(long ledgerSpan, long lineSpan, long numberSpan) =>
    [
        ("Ambassadors", new() { ["Id"] = Suffixed("Id"), ["Email"] = Email("Email"), ["NormalizedEmail"] = Email("NormalizedEmail") }),
        ("Memberships", new() { ["AmbassadorId"] = Suffixed("AmbassadorId"), ["ReferralCode"] = Code("ReferralCode"), ["ReferredBy"] = Suffixed("ReferredBy") }),
        ("ReferralCodes", new() { ["Code"] = Code("Code"), ["AmbassadorId"] = Suffixed("AmbassadorId") }),
        ("PayoutDetails", new() { ["AmbassadorId"] = Suffixed("AmbassadorId") }),
        ("Applications", new()
        {
            ["Id"] = Suffixed("Id"), ["Email"] = Email("Email"), ["NormalizedEmail"] = Email("NormalizedEmail"), ["AmbassadorId"] = Suffixed("AmbassadorId"),
        }),
        ("Conversions", new()
        {
            ["Id"] = Suffixed("Id"), ["ExternalId"] = Suffixed("ExternalId"), ["AmbassadorId"] = Suffixed("AmbassadorId"), ["ClickId"] = Suffixed("ClickId"),
            ["ReferralCode"] = Code("ReferralCode"),
        }),
        ("MissionSubmissions", new() { ["Id"] = Suffixed("Id"), ["AmbassadorId"] = Suffixed("AmbassadorId") }),
        ("Feedback", new() { ["Id"] = Suffixed("Id"), ["AmbassadorId"] = Suffixed("AmbassadorId") }),
        ("Ledger", new()
        {
            ["Id"] = Shifted("Id", ledgerSpan), ["AmbassadorId"] = Suffixed("AmbassadorId"), ["ConversionId"] = Suffixed("ConversionId"),
            ["ReversesEntryId"] = Shifted("ReversesEntryId", ledgerSpan), ["SubmissionId"] = Suffixed("SubmissionId"),
        }),
        ("PayoutLines", new()
        {
            ["Id"] = Shifted("Id", lineSpan), ["Number"] = Shifted("Number", numberSpan), ["AmbassadorId"] = Suffixed("AmbassadorId"),
            ["PaymentReference"] = Suffixed("PaymentReference"),
        }),
        ("Clicks", new()
        {
            ["Id"] = Suffixed("Id"), ["Code"] = Code("Code"), ["AmbassadorId"] = Suffixed("AmbassadorId"), ["VisitorId"] = Suffixed("VisitorId"),
        }),
    ];

    // NULL || 'x' is NULL in SQLite, so optional references stay empty.
    private static string Suffixed(string column) => $"\"{column}\" || 'x' || k.n";
    private static string Code(string column) => $"\"{column}\" || 'X' || k.n";
    private static string Email(string column) => $"replace(\"{column}\", '@', '+x' || k.n || '@')";
    private static string Shifted(string column, long span) => $"\"{column}\" + k.n * {span}";

    /// <summary>
    /// Multiplies the demo by <paramref name="factor"/> (see the class). Not copied: grain state (the campaigns' and pieces'
    /// traffic counters stay the demo's, the copies have no traffic counters of their own), staff, audit log, outbox.
    /// </summary>
    public static async Task<TimeSpan> MultiplyAsync(string database, int factor, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await using var connection = await OpenAsync(database, cancellationToken);
        await ExecuteAsync(connection, "PRAGMA synchronous = OFF", cancellationToken);
        var ledgerSpan = await ScalarAsync<long>(connection, """SELECT COALESCE(MAX("Id"), 0) FROM "Ledger" """, cancellationToken);
        var lineSpan = await ScalarAsync<long>(connection, """SELECT COALESCE(MAX("Id"), 0) FROM "PayoutLines" """, cancellationToken);
        var numberSpan = await ScalarAsync<long>(connection, """SELECT COALESCE(MAX("Number"), 0) FROM "PayoutLines" """, cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        var copies = $"WITH RECURSIVE k(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM k WHERE n < {factor - 1}) ";
        foreach (var (table, changed) in Copies(ledgerSpan, lineSpan, numberSpan))
        {
            var columns = new List<string>();
            await using (var read = connection.CreateCommand())
            {
                read.CommandText = $"SELECT name FROM pragma_table_info('{table}')";
                await using var reader = await read.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken)) columns.Add(reader.GetString(0));
            }
            var select = string.Join(", ", columns.Select(c => changed.TryGetValue(c, out var expression) ? expression : $"\"{c}\""));
            await ExecuteAsync(connection,
                $"{copies}INSERT INTO \"{table}\" ({string.Join(", ", columns.Select(c => $"\"{c}\""))}) SELECT {select} FROM \"{table}\", k",
                cancellationToken, transaction);
        }
        await ExecuteAsync(connection, $"""
            UPDATE "Campaigns" SET "MemberCount" = "MemberCount" * {factor}, "Capacity" = "Capacity" * {factor}, "Version" = "Version" + 1;
            UPDATE "PayoutBatches" SET "LineCount" = "LineCount" * {factor}, "RewardCount" = "RewardCount" * {factor};
            DELETE FROM "ConversionCounts";
            DELETE FROM "RewardCounts";
            """, cancellationToken, transaction);
        foreach (var statement in ConversionCounts.Recount.Concat(RewardCounts.Recount(StorageEngine.Sqlite)))
        {
            await ExecuteAsync(connection, statement, cancellationToken, transaction);
        }
        await transaction.CommitAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA wal_checkpoint(TRUNCATE)", cancellationToken);
        SqliteConnection.ClearAllPools();
        return clock.Elapsed;
    }

    private static async Task<SqliteConnection> OpenAsync(string database, CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(ConnectionString(database));
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken, SqliteTransaction? transaction = null)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        command.CommandTimeout = 0;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<T> ScalarAsync<T>(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        var value = await command.ExecuteScalarAsync(cancellationToken) ?? throw new InvalidOperationException($"No row: {sql}");
        return (T)Convert.ChangeType(value, typeof(T), CultureInfo.InvariantCulture);
    }
}
