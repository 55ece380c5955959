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

    /// <summary>
    /// Rows per INSERT statement: each run of a statement costs SQLite a reset, a cursor opened on the table and each
    /// index, and a halt, so one run with many VALUES rows spares most of that; the writer thread's CPU per row is about a
    /// tenth lower than at one row per statement, and no lower at 256 (docs/decisions.md, "Redirect: many rows per INSERT,
    /// and the security headers worked out once"). 64 rows bind 704 parameters, far below SQLite's limit; a chunk's
    /// remainder goes through the one-row statement.
    /// </summary>
    internal const int SqliteRowsPerStatement = 64;

    private const int ColumnCount = 11;

    /// <summary>Statements between yields: 256 rows, about a millisecond of inserting.</summary>
    private const int YieldEveryStatements = 256 / SqliteRowsPerStatement;

    /// <summary>How long one insert waits for SQLite's write lock (held briefly by grain-state and conversion writes).</summary>
    private const int SqliteBusyTimeoutMilliseconds = 30_000;

    /// <summary>
    /// Synchronous on purpose: Microsoft.Data.Sqlite does its I/O synchronously; the caller keeps it off the thread pool.
    /// Statements prepared once and bound by position through SQLitePCL: Microsoft.Data.Sqlite's own command looked each
    /// parameter up by name and converted it to UTF-8 for every row, which made the raw-click insert a quarter of everything a
    /// redirect allocated (docs/decisions.md, "Redirect: the path").
    /// </summary>
    private static void Insert(SqliteConnection connection, ClickBatch clicks)
    {
        var db = connection.Handle ?? throw new InvalidOperationException("The SQLite connection is not open.");
        var rows = new RowBinder();
        Check(raw.sqlite3_prepare_v2(db, InsertSql(SqliteRowsPerStatement), out var many), db);
        sqlite3_stmt? one = null;
        raw.sqlite3_busy_timeout(db, SqliteBusyTimeoutMilliseconds);
        try
        {
            Check(raw.sqlite3_prepare_v2(db, InsertSql(1), out one), db);
            var statements = 0;
            for (var first = 0; first < clicks.Count; first += SqliteRowsPerTransaction)
            {
                using var transaction = connection.BeginTransaction();
                var end = Math.Min(clicks.Count, first + SqliteRowsPerTransaction);
                var row = first;
                for (; row + SqliteRowsPerStatement <= end; row += SqliteRowsPerStatement)
                {
                    for (var k = 0; k < SqliteRowsPerStatement; k++) rows.Bind(many, k * ColumnCount, in clicks[row + k], db);
                    Run(many, db);
                    // Every few hundred rows the core goes back to whoever waits for it: on a busy node the redirects queued
                    // behind this thread, which would otherwise wait out its whole time slice.
                    if (++statements % YieldEveryStatements == 0) Thread.Yield();
                }
                for (; row < end; row++)
                {
                    rows.Bind(one, 0, in clicks[row], db);
                    Run(one, db);
                }
                transaction.Commit();
            }
        }
        finally
        {
            // Back to Microsoft.Data.Sqlite's setting for the pooled connection (none: its commands retry a busy database themselves).
            raw.sqlite3_busy_timeout(db, 0);
            many.Dispose();
            one?.Dispose();
        }
    }

    private static string InsertSql(int rows)
    {
        var values = new StringBuilder();
        for (var row = 0; row < rows; row++)
        {
            if (row > 0) values.Append(", ");
            values.Append('(');
            for (var column = 1; column <= ColumnCount; column++) values.Append(column > 1 ? ", ?" : "?").Append(row * ColumnCount + column);
            values.Append(')');
        }
        return $"INSERT OR IGNORE INTO \"Clicks\" ({Columns}) VALUES {values}";
    }

    /// <summary>Runs a bound statement once and resets it (its bindings are all replaced before the next run).</summary>
    private static void Run(sqlite3_stmt statement, sqlite3 db)
    {
        var done = raw.sqlite3_step(statement);
        if (done != raw.SQLITE_DONE) Check(done, db);
        Check(raw.sqlite3_reset(statement), db);
    }

    /// <summary>Binds one click's columns at parameters <c>offset + 1 … offset + 11</c>.</summary>
    private sealed class RowBinder
    {
        private readonly char[] _clickId = new char[ClickIds.Length], _visitorId = new char[VisitorIds.Length];
        private readonly byte[] _clickIdUtf8 = new byte[ClickIds.Length], _visitorIdUtf8 = new byte[VisitorIds.Length];
        private readonly Utf8Texts _text = new();

        public void Bind(sqlite3_stmt statement, int offset, in ClickRecord click, sqlite3 db)
        {
            var target = click.Target;
            ClickIds.Format(click.ClickId, _clickId);
            VisitorIds.Format(click.VisitorId, _visitorId);
            Encoding.ASCII.GetBytes(_clickId, _clickIdUtf8);
            Encoding.ASCII.GetBytes(_visitorId, _visitorIdUtf8);
            // UTF-8, the database's encoding, bound from these buffers or from one encoding per distinct string of this
            // write: SQLite copies it (SQLITE_TRANSIENT), and has no UTF-16 to translate (7% of the flush's time).
            Check(raw.sqlite3_bind_text(statement, offset + 1, _clickIdUtf8), db);
            _text.Bind(statement, offset + 2, target.Code);
            _text.Bind(statement, offset + 3, target.AmbassadorId);
            _text.Bind(statement, offset + 4, target.CampaignId);
            _text.Bind(statement, offset + 5, target.ContentId);
            Check(raw.sqlite3_bind_text(statement, offset + 6, _visitorIdUtf8), db);
            raw.sqlite3_bind_int64(statement, offset + 7, SqliteTimeOf(click.At));
            raw.sqlite3_bind_int(statement, offset + 8, click.IsBot ? 1 : 0);
            raw.sqlite3_bind_int(statement, offset + 9, click.Flagged ? 1 : 0);
            _text.Bind(statement, offset + 10, click.AddressHash);
            _text.Bind(statement, offset + 11, click.UserAgent);
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
