using System.Data.Common;
using System.Text;
using Ambassadors.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql;
using SQLitePCL;
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
    private static readonly Func<DateTimeOffset, long> SqliteTimeOf = SqliteTime.ConvertToProviderTyped;

    public async Task WriteAsync(ClickBatch clicks)
    {
        if (clicks.Count == 0) return;
        await using var db = await contexts.CreateDbContextAsync();
        // Opened through EF Core, so the context closes it when it goes back to the pool.
        await db.Database.OpenConnectionAsync();
        var connection = db.Database.GetDbConnection();
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

    /// <summary>The ids' text is made row by row, as each row is copied: it dies young (see <see cref="ClickRecord"/>).</summary>
    private static async Task CopyAsync(NpgsqlConnection connection, ClickBatch clicks)
    {
        if (clicks.Count == 0) return;
        await using var import = await connection.BeginBinaryImportAsync($"COPY \"Clicks\" ({Columns}) FROM STDIN (FORMAT BINARY)");
        for (var row = 0; row < clicks.Count; row++)
        {
            var click = clicks[row];
            var target = click.Target;
            await import.StartRowAsync();
            await import.WriteAsync(ClickIds.Format(click.ClickId), NpgsqlDbType.Varchar);
            await import.WriteAsync(target.Code, NpgsqlDbType.Varchar);
            await import.WriteAsync(target.AmbassadorId, NpgsqlDbType.Varchar);
            await import.WriteAsync(target.CampaignId, NpgsqlDbType.Varchar);
            await WriteNullableAsync(import, target.ContentId);
            await import.WriteAsync(VisitorIds.Format(click.VisitorId), NpgsqlDbType.Varchar);
            await import.WriteAsync(click.At, NpgsqlDbType.TimestampTz);
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

    private static async Task<ClickBatch> NotYetStoredAsync(NpgsqlConnection connection, ClickBatch clicks)
    {
        await using var command = new NpgsqlCommand("SELECT \"Id\" FROM \"Clicks\" WHERE \"Id\" = ANY(@ids)", connection);
        var ids = new string[clicks.Count];
        for (var row = 0; row < ids.Length; row++) ids[row] = ClickIds.Format(clicks[row].ClickId);
        command.Parameters.AddWithValue("ids", ids);
        var stored = new HashSet<string>(StringComparer.Ordinal);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync()) stored.Add(reader.GetString(0));
        }
        var missing = new ClickBatch(clicks.Count);
        for (var row = 0; row < ids.Length; row++)
        {
            if (!stored.Contains(ids[row])) missing.Add(clicks[row]);
        }
        return missing;
    }

    /// <summary>
    /// Rows per SQLite transaction. SQLite has one writer per file, and a grain's state write that finds the file locked
    /// waits inside SQLite, blocking its thread: one transaction per flush (up to 30,000 rows, 0.1-0.5 s under load)
    /// kept those writers waiting that long. Each chunk is committed on its own; a failed batch is retried whole and
    /// INSERT OR IGNORE skips the chunks already stored.
    /// </summary>
    public const int SqliteRowsPerTransaction = 2_048;

    private const int YieldEveryRows = 256;

    /// <summary>How long one insert waits for SQLite's write lock (held briefly by grain-state and conversion writes).</summary>
    private const int SqliteBusyTimeoutMilliseconds = 30_000;

    /// <summary>
    /// Synchronous on purpose: Microsoft.Data.Sqlite does its I/O synchronously; the caller keeps it off the thread pool.
    /// One statement prepared once and bound by position through SQLitePCL: Microsoft.Data.Sqlite's own command looked each
    /// parameter up by name and converted it to UTF-8 for every row, which made the raw-click insert a quarter of everything a
    /// redirect allocated (docs/decisions.md, "Redirect: the path").
    /// </summary>
    private static void Insert(SqliteConnection connection, ClickBatch clicks)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        Span<char> clickId = stackalloc char[ClickIds.Length];
        Span<char> visitorId = stackalloc char[VisitorIds.Length];
        Span<byte> clickIdUtf8 = stackalloc byte[ClickIds.Length];
        Span<byte> visitorIdUtf8 = stackalloc byte[VisitorIds.Length];
        var text = new Utf8Texts();
        var sql = $"INSERT OR IGNORE INTO \"Clicks\" ({Columns}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)";
        Check(raw.sqlite3_prepare_v2(db, sql, out var statement), db);
        raw.sqlite3_busy_timeout(db, SqliteBusyTimeoutMilliseconds);
        try
        {
            for (var first = 0; first < clicks.Count; first += SqliteRowsPerTransaction)
            {
                using var transaction = connection.BeginTransaction();
                var end = Math.Min(clicks.Count, first + SqliteRowsPerTransaction);
                for (var row = first; row < end; row++)
                {
                    ref readonly var click = ref clicks[row];
                    var target = click.Target;
                    ClickIds.Format(click.ClickId, clickId);
                    VisitorIds.Format(click.VisitorId, visitorId);
                    Encoding.ASCII.GetBytes(clickId, clickIdUtf8);
                    Encoding.ASCII.GetBytes(visitorId, visitorIdUtf8);
                    Check(raw.sqlite3_reset(statement), db);
                    // UTF-8, the database's encoding, bound from the stack or from one encoding per distinct string of this
                    // write: SQLite copies it (SQLITE_TRANSIENT), and has no UTF-16 to translate (7% of the flush's time).
                    Check(raw.sqlite3_bind_text(statement, 1, clickIdUtf8), db);
                    text.Bind(statement, 2, target.Code);
                    text.Bind(statement, 3, target.AmbassadorId);
                    text.Bind(statement, 4, target.CampaignId);
                    text.Bind(statement, 5, target.ContentId);
                    Check(raw.sqlite3_bind_text(statement, 6, visitorIdUtf8), db);
                    raw.sqlite3_bind_int64(statement, 7, SqliteTimeOf(click.At));
                    raw.sqlite3_bind_int(statement, 8, click.IsBot ? 1 : 0);
                    raw.sqlite3_bind_int(statement, 9, click.Flagged ? 1 : 0);
                    text.Bind(statement, 10, click.AddressHash);
                    text.Bind(statement, 11, click.UserAgent);
                    var done = raw.sqlite3_step(statement);
                    if (done != raw.SQLITE_DONE) Check(done, db);
                    // Every few hundred rows (about a millisecond) the core goes back to whoever waits for it: on a busy node
                    // the redirects queued behind this thread, which would otherwise wait out its whole time slice.
                    if (row % YieldEveryRows == YieldEveryRows - 1) Thread.Yield();
                }
                Check(raw.sqlite3_reset(statement), db);
                transaction.Commit();
            }
        }
        finally
        {
            // Back to Microsoft.Data.Sqlite's setting for the pooled connection (none: its commands retry a busy database themselves).
            raw.sqlite3_busy_timeout(db, 0);
            statement.Dispose();
        }
    }

    /// <summary>
    /// The UTF-8 of the strings a write binds, made once per distinct string object: a click's code, ids, address hash and user
    /// agent are references to strings shared by many clicks (the cached link's, the cached hash, the collector's user agents).
    /// Up to <see cref="Limit"/> kept; beyond it, encoded each time.
    /// </summary>
    private sealed class Utf8Texts
    {
        private const int Limit = 4_096;
        private readonly Dictionary<object, byte[]> _encoded = new(ReferenceEqualityComparer.Instance);

        public void Bind(sqlite3_stmt statement, int index, string? value)
        {
            if (value is null)
            {
                raw.sqlite3_bind_null(statement, index);
                return;
            }
            if (!_encoded.TryGetValue(value, out var utf8))
            {
                utf8 = Encoding.UTF8.GetBytes(value);
                if (_encoded.Count < Limit) _encoded[value] = utf8;
            }
            raw.sqlite3_bind_text(statement, index, utf8);
        }
    }

    private static void Check(int result, sqlite3 db)
    {
        if (result is not (raw.SQLITE_OK or raw.SQLITE_DONE or raw.SQLITE_ROW)) SqliteException.ThrowExceptionForRC(result, db);
    }
}
