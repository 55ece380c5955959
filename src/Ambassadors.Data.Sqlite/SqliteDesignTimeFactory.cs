using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ambassadors.Data.Sqlite;

// Used only by `dotnet ef` (docs/decisions.md, "Migrations: one project per engine"); the running service builds its
// options in AppDbContextFactory from configuration.
public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteAppDbContext>
{
    public SqliteAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteAppDbContext>()
            .UseSqlite("Data Source=design.db", sqlite => sqlite.MigrationsAssembly(SqliteAppDbContext.MigrationsAssembly))
            .Options);
}
