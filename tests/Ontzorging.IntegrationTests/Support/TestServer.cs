using System.Diagnostics;
using Npgsql;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>
/// The PostgreSQL server of this test run: <c>ONTZORGING_TEST_CONNECTION</c> when set, else the
/// local one of <c>scripts/pg.sh</c> (started here, and stopped again at the end if this run
/// started it). Databases are named <c>ozt_{pid}_…</c> so that leftovers of an interrupted run,
/// whose process is gone, can be recognised and dropped.
/// </summary>
public static class TestServer
{
    private const string Prefix = "ozt_";
    private static readonly string RunTag = $"{Prefix}{Environment.ProcessId}_";
    private static int counter;
    private static bool startedHere;

    /// <summary>The owner role's connection (it may create databases); with ONTZORGING_TEST_CONNECTION, that one.</summary>
    public static string AdminConnectionString { get; private set; } = "";

    /// <summary>The application role's connection; with ONTZORGING_TEST_CONNECTION, that one.</summary>
    public static string ApplicationConnectionString { get; private set; } = "";

    public static string TemplateDatabase => RunTag + "template";

    public static void Start()
    {
        var configured = Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION");
        var application = configured;
        if (string.IsNullOrWhiteSpace(configured))
        {
            var output = RunScript("start");
            startedHere = output.TrimEnd().EndsWith("started", StringComparison.Ordinal) && !output.Contains("already", StringComparison.Ordinal);
            configured = RunScript("url", "owner").Trim();
            application = RunScript("url", "app").Trim();
        }

        AdminConnectionString = new NpgsqlConnectionStringBuilder(configured) { Pooling = false }.ConnectionString;
        ApplicationConnectionString = new NpgsqlConnectionStringBuilder(application) { Pooling = false }.ConnectionString;
        DropLeftovers();
        Execute($"CREATE DATABASE \"{TemplateDatabase}\"");
        // Unpooled: CREATE DATABASE … TEMPLATE refuses while any connection to the template stays open.
        // Migrated by the owner, who grants the application role its rights; the copies keep them.
        var template = new NpgsqlConnectionStringBuilder(OwnerConnectionStringFor(TemplateDatabase)) { Pooling = false };
        new DatabaseMigrator(template.ConnectionString, applicationRole: DatabaseMigrator.ApplicationRoleOf(ApplicationConnectionString, AdminConnectionString)).Migrate();
    }

    public static void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        if (AdminConnectionString.Length > 0)
        {
            DropDatabase(TemplateDatabase);
        }

        if (startedHere)
        {
            RunScript("stop");
        }
    }

    /// <summary>A fresh, migrated database copied from the template (cheap: a file copy).</summary>
    public static string CreateDatabase()
    {
        var name = RunTag + Interlocked.Increment(ref counter);
        Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{TemplateDatabase}\"");
        return name;
    }

    /// <summary>A copy of the database <paramref name="source"/> as it stands (no one may be connected to it): one expensive set-up shared by many tests.</summary>
    public static string CopyDatabase(string source)
    {
        NpgsqlConnection.ClearAllPools();
        Execute($"SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '{source}' AND pid <> pg_backend_pid()");
        var name = RunTag + Interlocked.Increment(ref counter);
        Execute($"CREATE DATABASE \"{name}\" TEMPLATE \"{source}\"");
        return name;
    }

    /// <summary>An empty database with no schema at all, for testing the migrations themselves.</summary>
    public static string CreateEmptyDatabase()
    {
        var name = RunTag + "empty_" + Interlocked.Increment(ref counter);
        Execute($"CREATE DATABASE \"{name}\"");
        return name;
    }

    public static void DropDatabase(string name)
    {
        NpgsqlConnection.ClearAllPools();
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                Execute($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.InsufficientPrivilege && attempt < 20)
            {
                // A session this role may not end (a server process working on the database) is
                // still there: it ends on its own in a moment.
                Thread.Sleep(250);
            }
        }
    }

    /// <summary>The application role's connection to <paramref name="database"/>: what the engine's services use.</summary>
    public static string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(ApplicationConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>The schema owner's connection to <paramref name="database"/>: migrations and scratch databases.</summary>
    public static string OwnerConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = database, Pooling = true }.ConnectionString;

    /// <summary>
    /// The cluster superuser's connection to <paramref name="database"/> (scripts/pg.sh's admin role), or
    /// null when the tests run against ONTZORGING_TEST_CONNECTION, which names no superuser.
    /// </summary>
    public static string? SuperuserConnectionStringFor(string database) =>
        string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION"))
            ? new NpgsqlConnectionStringBuilder(RunScript("url", "admin").Trim()) { Database = database, Pooling = false }.ConnectionString
            : null;

    private static void DropLeftovers()
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT datname FROM pg_database WHERE datname LIKE 'ozt\\_%'", connection);
        var names = new List<string>();
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
            {
                names.Add(reader.GetString(0));
            }
        }

        foreach (var name in names.Where(IsLeftover))
        {
            DropDatabase(name);
        }
    }

    private static bool IsLeftover(string database)
    {
        var parts = database[Prefix.Length..].Split('_');
        if (!int.TryParse(parts[0], out var pid))
        {
            return true;
        }

        if (pid == Environment.ProcessId)
        {
            return true;
        }

        try
        {
            using var process = Process.GetProcessById(pid);
            return process.HasExited;
        }
        catch (ArgumentException)
        {
            return true;
        }
    }

    // Database names are generated here, never from input, so identifiers in DDL are safe.
    private static void Execute(string ddl)
    {
        using var connection = new NpgsqlConnection(AdminConnectionString);
        connection.Open();
        using var command = new NpgsqlCommand(ddl, connection);
        command.ExecuteNonQuery();
    }

    private static string RunScript(params string[] arguments)
    {
        var result = BashScript.Run(Path.Combine(RepositoryPaths.Root, "scripts", "pg.sh"), arguments);
        return result.ExitCode == 0
            ? result.Out
            : throw new InvalidOperationException($"scripts/pg.sh {string.Join(' ', arguments)} failed ({result.ExitCode}): {result.Error}");
    }
}
