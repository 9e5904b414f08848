using EspacePro.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace EspacePro.Migrations.PostgreSQL;

/// <summary>Lets <c>dotnet ef migrations add</c> build the model without starting the web app.</summary>
public sealed class DesignTimeFactory : IDesignTimeDbContextFactory<EspaceProDbContext>
{
    public EspaceProDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<EspaceProDbContext>()
            .UseNpgsql("Host=127.0.0.1;Database=design_time", o => o.MigrationsAssembly(typeof(DesignTimeFactory).Assembly.GetName().Name))
            .Options);
}
