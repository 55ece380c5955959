using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Ambassadors.Data.Postgres;

// Used only by `dotnet ef` (docs/decisions.md, "Migrations: one project per engine"); the running service builds its
// options in AppDbContextFactory from configuration. Adding a migration does not connect to this database.
public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresAppDbContext>
{
    public PostgresAppDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresAppDbContext>()
            .UseNpgsql("Host=localhost;Database=design", npgsql => npgsql.MigrationsAssembly(PostgresAppDbContext.MigrationsAssembly))
            .Options);
}
