using EspacePro.Web.Database;
using Npgsql;

namespace EspacePro.Tests.Data;

public sealed class PostgresDefaultsTests
{
    [Fact]
    public void Statements_are_prepared_and_pooled_connections_not_reset_unless_the_connection_string_says_otherwise()
    {
        var added = new NpgsqlConnectionStringBuilder(DataExtensions.WithPostgresDefaults("Host=db;Database=espacepro;Username=app;Password=secret"));

        Assert.Equal(64, added.MaxAutoPrepare);
        Assert.True(added.NoResetOnClose);
        Assert.Equal("db", added.Host);
        Assert.Equal("espacepro", added.Database);
        Assert.Equal("secret", added.Password);
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0;No Reset On Close=false")]
    [InlineData("Host=db;maxautoprepare=0;NoResetOnClose=false")]
    public void Settings_given_in_the_connection_string_win(string connectionString)
    {
        var kept = new NpgsqlConnectionStringBuilder(DataExtensions.WithPostgresDefaults(connectionString));

        Assert.Equal(0, kept.MaxAutoPrepare);
        Assert.False(kept.NoResetOnClose);
    }
}
