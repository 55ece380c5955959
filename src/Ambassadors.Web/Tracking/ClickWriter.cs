using System.Data.Common;
using Ambassadors.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using NpgsqlTypes;

namespace Ambassadors.Web.Tracking;

/// <summary>
/// Appends raw clicks in batches, one transaction per collector flush, below EF Core (it costs several times
/// more per row): PostgreSQL takes them by binary COPY, SQLite by one prepared INSERT reused for every row.
/// A retried batch whose first attempt was in fact stored adds nothing twice. The collector runs it on a thread of its
/// own, not the thread pool's (see <see cref="ClickCollector"/>).
/// </summary>
public sealed class ClickWriter(IDbContextFactory<AppDbContext> contexts)
{
    private const string Columns = "\"Id\", \"Code\", \"AmbassadorId\", \"CampaignId\", \"ContentId\", \"VisitorId\", \"At\", \"IsBot\", \"Flagged\", \"AddressHash\", \"UserAgent\"";
    private static readonly ValueConverter<DateTimeOffset, long> SqliteTime = new DateTimeOffsetToBinaryConverter();

    public async Task WriteAsync(IReadOnlyList<Click> clicks)
    {
        if (clicks.Count == 0) return;
        await using var db = await contexts.CreateDbContextAsync();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync();
        switch (connection)
        {
            case NpgsqlConnection postgres:
                try
                {
                    await CopyAsync(postgres, clicks);
                }
                catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation)
                {
                    await CopyAsync(postgres, await NotYetStoredAsync(postgres, clicks));
                }
                break;
            case SqliteConnection sqlite:
                Insert(sqlite, clicks);
                break;
            default:
                throw new NotSupportedException($"No click writer for {connection.GetType().Name}.");
        }
    }

    private static async Task CopyAsync(NpgsqlConnection connection, IReadOnlyList<Click> clicks)
    {
        if (clicks.Count == 0) return;
        await using var import = await connection.BeginBinaryImportAsync($"COPY \"Clicks\" ({Columns}) FROM STDIN (FORMAT BINARY)");
        foreach (var click in clicks)
        {
            await import.StartRowAsync();
            await import.WriteAsync(click.Id, NpgsqlDbType.Varchar);
            await import.WriteAsync(click.Code, NpgsqlDbType.Varchar);
            await import.WriteAsync(click.AmbassadorId, NpgsqlDbType.Varchar);
            await import.WriteAsync(click.CampaignId, NpgsqlDbType.Varchar);
            await WriteNullableAsync(import, click.ContentId);
            await import.WriteAsync(click.VisitorId, NpgsqlDbType.Varchar);
            await import.WriteAsync(click.At.ToUniversalTime(), NpgsqlDbType.TimestampTz);
            await import.WriteAsync(click.IsBot, NpgsqlDbType.Boolean);
            await import.WriteAsync(click.Flagged, NpgsqlDbType.Boolean);
            await WriteNullableAsync(import, click.AddressHash);
            await WriteNullableAsync(import, click.UserAgent);
        }
        await import.CompleteAsync();
    }

    private static async Task WriteNullableAsync(NpgsqlBinaryImporter import, string? value)
    {
        if (value is null) await import.WriteNullAsync();
        else await import.WriteAsync(value, NpgsqlDbType.Varchar);
    }

    private static async Task<List<Click>> NotYetStoredAsync(NpgsqlConnection connection, IReadOnlyList<Click> clicks)
    {
        await using var command = new NpgsqlCommand("SELECT \"Id\" FROM \"Clicks\" WHERE \"Id\" = ANY(@ids)", connection);
        command.Parameters.AddWithValue("ids", clicks.Select(c => c.Id).ToArray());
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        return clicks.Where(c => !stored.Contains(c.Id)).ToList();
    }

    /// <summary>
    /// Rows per SQLite transaction. SQLite has one writer per file, and a grain's state write that finds the file locked
    /// waits inside SQLite, blocking its thread: one transaction per flush (up to 30,000 rows, 0.1-0.5 s under load)
    /// kept those writers waiting that long. Each chunk is committed on its own; a failed batch is retried whole and
    /// INSERT OR IGNORE skips the chunks already stored.
    /// </summary>
    public const int SqliteRowsPerTransaction = 2_048;

    /// <summary>Synchronous on purpose: Microsoft.Data.Sqlite does its I/O synchronously; the caller keeps it off the thread pool.</summary>
    private static void Insert(SqliteConnection connection, IReadOnlyList<Click> clicks)
    {
        using var command = connection.CreateCommand();
        command.CommandText = $"INSERT OR IGNORE INTO \"Clicks\" ({Columns}) VALUES ($id, $code, $ambassador, $campaign, $content, $visitor, $at, $bot, $flagged, $address, $agent)";
        var parameters = new[] { "$id", "$code", "$ambassador", "$campaign", "$content", "$visitor", "$at", "$bot", "$flagged", "$address", "$agent" }
            .Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        for (var first = 0; first < clicks.Count; first += SqliteRowsPerTransaction)
        {
            using var transaction = connection.BeginTransaction();
            command.Transaction = transaction;
            command.Prepare();
            var end = Math.Min(clicks.Count, first + SqliteRowsPerTransaction);
            for (var row = first; row < end; row++)
            {
                var click = clicks[row];
                object?[] values =
                [
                    click.Id, click.Code, click.AmbassadorId, click.CampaignId, click.ContentId, click.VisitorId,
                    SqliteTime.ConvertToProvider(click.At), click.IsBot, click.Flagged, click.AddressHash, click.UserAgent,
                ];
                for (var i = 0; i < values.Length; i++) parameters[i].Value = values[i] ?? DBNull.Value;
                command.ExecuteNonQuery();
            }
            transaction.Commit();
        }
    }
}
