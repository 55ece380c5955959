using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Ambassadors.Data;

/// <summary>
/// Inserts new rows of one entity type in multi-row INSERT statements, below EF Core's change tracking and update
/// pipeline (which was half of a conversion request's allocations, docs/decisions.md "Conversions: the path"), inside
/// the context's current transaction. The columns, the values' conversions (SQLite's instants as ticks, enums as
/// lower-case names) and the parameters come from the context's model, so the SQL follows the entity's mapping on both
/// engines. A key the store generates (an identity) is left to the store and not read back.
/// </summary>
public static class RowInserts
{
    private const int MaxParameters = 8_000;

    private sealed record Plan(string Head, IReadOnlyList<IProperty> Columns, IReadOnlyList<RelationalTypeMapping> Mappings);

    public static async Task InsertAsync<T>(AppDbContext db, IReadOnlyList<T> rows, CancellationToken cancellationToken) where T : class
    {
        if (rows.Count == 0) return;
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Rows are inserted inside the caller's transaction.");
        var plan = PlanOf(db, typeof(T));
        var connection = db.Database.GetDbConnection();
        var rowsPerStatement = Math.Max(1, MaxParameters / plan.Columns.Count);
        for (var start = 0; start < rows.Count; start += rowsPerStatement)
        {
            var count = Math.Min(rowsPerStatement, rows.Count - start);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction.GetDbTransaction();
            var sql = new StringBuilder(plan.Head, plan.Head.Length + count * plan.Columns.Count * 8);
            for (var r = 0; r < count; r++)
            {
                sql.Append(r == 0 ? "(" : ", (");
                var row = rows[start + r];
                for (var c = 0; c < plan.Columns.Count; c++)
                {
                    var name = $"@p{r * plan.Columns.Count + c}";
                    if (c > 0) sql.Append(", ");
                    sql.Append(name);
                    var column = plan.Columns[c];
                    command.Parameters.Add(plan.Mappings[c].CreateParameter(command, name, column.GetGetter().GetClrValue(row), column.IsNullable));
                }
                sql.Append(')');
            }
            command.CommandText = sql.ToString();
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(IModel, Type), Plan> Plans = new();

    private static Plan PlanOf(AppDbContext db, Type type) => Plans.GetOrAdd((db.Model, type), key =>
    {
        var (model, clrType) = key;
        var entity = model.FindEntityType(clrType) ?? throw new InvalidOperationException($"{clrType.Name} is not in the model.");
        var table = StoreObjectIdentifier.Table(entity.GetTableName()!, entity.GetSchema());
        var sql = db.GetService<ISqlGenerationHelper>();
        var columns = entity.GetProperties()
            .Where(p => !(p.ValueGenerated == ValueGenerated.OnAdd && p.IsPrimaryKey() && p.ClrType != typeof(string)))
            .ToList();
        if (columns.FirstOrDefault(p => p.IsShadowProperty()) is { } shadow)
        {
            throw new InvalidOperationException($"{clrType.Name}.{shadow.Name} has no CLR property to read a value from.");
        }
        var head = $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} " +
                   $"({string.Join(", ", columns.Select(p => sql.DelimitIdentifier(p.GetColumnName(table)!)))}) VALUES ";
        return new Plan(head, columns, columns.Select(p => (RelationalTypeMapping)p.GetRelationalTypeMapping()).ToList());
    });
}
