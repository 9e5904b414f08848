namespace EspacePro.Web.Database;

public enum DatabaseProvider
{
    Sqlite,
    PostgreSQL,
}

/// <summary>Section "Database".</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// false: the node applies no migration at start and refuses to start on a database that
    /// lacks one; an operator applies them with <c>--migrate-only</c> (for an application user
    /// without the right to change the schema).
    /// </summary>
    public bool MigrateOnStart { get; set; } = true;
}
