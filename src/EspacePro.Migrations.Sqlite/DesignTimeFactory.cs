using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EspacePro.Migrations.Sqlite;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EspaceProDbContext>
{
    public EspaceProDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EspaceProDbContext>()
            .UseSqlite("Data Source=design-time.db", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
