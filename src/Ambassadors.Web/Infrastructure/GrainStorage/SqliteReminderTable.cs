using Ambassadors.Data.OrleansSchema;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;
using Orleans.Configuration;

namespace Ambassadors.Web.Infrastructure.GrainStorage;

/// <summary>
/// Orleans reminders kept in the app's SQLite file (table <see cref="SqliteRemindersSchema.TableName"/>), so a
/// single-node service keeps its reminders across restarts. Every operation is one autocommit statement on its
/// own pooled connection; Microsoft.Data.Sqlite waits out a busy database up to its command timeout.
/// </summary>
public sealed class SqliteReminderTable(string connectionString, string serviceId) : IReminderTable
{
    private const string Columns = "\"GrainId\", \"ReminderName\", \"StartAtTicks\", \"PeriodTicks\", \"ETag\"";

    public async Task<ReminderTableData> ReadRows(GrainId grainId) =>
        new(await QueryAsync(
            $"SELECT {Columns} FROM \"OrleansReminders\" WHERE \"ServiceId\" = $service AND \"GrainId\" = $grain",
            ("$grain", grainId.ToString())));

    /// <summary>Rows whose grain hash is in (begin, end], wrapping around when begin is not below end.</summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        var range = begin < end
            ? "\"GrainHash\" > $begin AND \"GrainHash\" <= $end"
            : "(\"GrainHash\" > $begin OR \"GrainHash\" <= $end)";
        return new(await QueryAsync(
            $"SELECT {Columns} FROM \"OrleansReminders\" WHERE \"ServiceId\" = $service AND {range}",
            ("$begin", (long)begin), ("$end", (long)end)));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await QueryAsync(
            $"SELECT {Columns} FROM \"OrleansReminders\" WHERE \"ServiceId\" = $service AND \"GrainId\" = $grain AND \"ReminderName\" = $name",
            ("$grain", grainId.ToString()), ("$name", reminderName))).SingleOrDefault();

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        await ExecuteAsync("""
            INSERT INTO "OrleansReminders" ("ServiceId", "GrainId", "ReminderName", "GrainHash", "StartAtTicks", "PeriodTicks", "ETag")
            VALUES ($service, $grain, $name, $hash, $start, $period, $etag)
            ON CONFLICT ("ServiceId", "GrainId", "ReminderName") DO UPDATE SET
                "StartAtTicks" = excluded."StartAtTicks", "PeriodTicks" = excluded."PeriodTicks", "ETag" = excluded."ETag"
            """,
            ("$grain", entry.GrainId.ToString()), ("$name", entry.ReminderName), ("$hash", (long)entry.GrainId.GetUniformHashCode()),
            ("$start", DateTime.SpecifyKind(entry.StartAt, DateTimeKind.Utc).Ticks), ("$period", entry.Period.Ticks), ("$etag", etag));
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        await ExecuteAsync(
            "DELETE FROM \"OrleansReminders\" WHERE \"ServiceId\" = $service AND \"GrainId\" = $grain AND \"ReminderName\" = $name AND \"ETag\" = $etag",
            ("$grain", grainId.ToString()), ("$name", reminderName), ("$etag", eTag)) == 1;

    public Task TestOnlyClearTable() =>
        ExecuteAsync("DELETE FROM \"OrleansReminders\" WHERE \"ServiceId\" = $service");

    private async Task<List<ReminderEntry>> QueryAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        await using var reader = await command.ExecuteReaderAsync();
        var entries = new List<ReminderEntry>();
        while (await reader.ReadAsync())
        {
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = new DateTime(reader.GetInt64(2), DateTimeKind.Utc),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        }
        return entries;
    }

    private async Task<int> ExecuteAsync(string sql, params (string Name, object Value)[] parameters)
    {
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var command = Command(connection, sql, parameters);
        return await command.ExecuteNonQueryAsync();
    }

    private SqliteCommand Command(SqliteConnection connection, string sql, (string Name, object Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$service", serviceId);
        foreach (var (name, value) in parameters) command.Parameters.AddWithValue(name, value);
        return command;
    }
}

public static class SqliteReminderTableExtensions
{
    /// <summary>Reminders for a single-node silo on SQLite, durable in the same file as everything else.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, string connectionString) =>
        builder.UseSqliteReminderService(_ => connectionString);

    /// <summary>The same, with the connection string resolved from the silo's services when first needed.</summary>
    public static ISiloBuilder UseSqliteReminderService(this ISiloBuilder builder, Func<IServiceProvider, string> connectionString)
    {
        builder.AddReminders();
        builder.Services.AddSingleton<IReminderTable>(services =>
            new SqliteReminderTable(connectionString(services), services.GetRequiredService<IOptions<ClusterOptions>>().Value.ServiceId));
        return builder;
    }
}
