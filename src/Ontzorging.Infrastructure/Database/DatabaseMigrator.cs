using System.Reflection;
using DbUp;
using DbUp.Engine;
using DbUp.Engine.Output;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Quartz;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Applies <c>migrations/NNNN_description.sql</c> (embedded in this assembly) in name order, each
/// in its own transaction, journaled in <see cref="JournalTable"/>. Quartz's job-store tables come
/// from the script that the Quartz assembly itself ships, slotted in under
/// <see cref="QuartzScriptName"/>, so our repository never carries a copy of Quartz's DDL.
/// </summary>
public sealed partial class DatabaseMigrator(string connectionString, ILogger<DatabaseMigrator>? logger = null, string? applicationRole = null)
{
    /// <summary>
    /// The role the application connects as, when it is not the schema owner: the role that
    /// <see cref="Migrate"/> grants data access to. Null when both connect as the same role.
    /// </summary>
    public static string? ApplicationRoleOf(string applicationConnectionString, string ownerConnectionString)
    {
        var application = new Npgsql.NpgsqlConnectionStringBuilder(applicationConnectionString).Username;
        var owner = new Npgsql.NpgsqlConnectionStringBuilder(ownerConnectionString).Username;
        return string.IsNullOrEmpty(application) || string.Equals(application, owner, StringComparison.Ordinal) ? null : application;
    }

    public const string JournalTable = "migration_journal";
    public const string QuartzScriptName = "0001_quartz_job_store.sql";
    private const string EmbeddedPrefix = "Ontzorging.Migrations.";
    private const string AlwaysPrefix = "Ontzorging.Migrations.Always.";

    // The numbered migrations run first (group 0), the repeatable scripts after them (group 1).
    private static readonly SqlScriptOptions Numbered = new() { RunGroupOrder = 0 };

    /// <summary>
    /// The repeatable scripts of <c>migrations/always/</c>: the one current definition of every
    /// function and trigger, applied after the numbered migrations on every run (in name order, each
    /// in its own transaction), never journaled. Numbered migrations stay append-only
    /// for tables; a function is changed by changing its repeatable script.
    /// </summary>
    public static IReadOnlyList<SqlScript> RepeatableScripts() =>
        typeof(DatabaseMigrator).Assembly.GetManifestResourceNames()
            .Where(name => name.StartsWith(AlwaysPrefix, StringComparison.Ordinal))
            .Select(name => new SqlScript("always/" + name[AlwaysPrefix.Length..], ReadResource(typeof(DatabaseMigrator).Assembly, name),
                new SqlScriptOptions { ScriptType = DbUp.Support.ScriptType.RunAlways, RunGroupOrder = 1 }))
            .OrderBy(script => script.Name, StringComparer.Ordinal)
            .ToList();
    private const string QuartzResource = "Quartz.Impl.AdoJobStore.Schema.create_postgres.sql";

    /// <summary>Quartz's default table prefix, which the job store is configured with.</summary>
    public const string QuartzTablePrefix = "qrtz_";

    private readonly ILogger logger = logger ?? NullLogger<DatabaseMigrator>.Instance;

    /// <summary>Every script the engine knows about, in the order it applies them.</summary>
    public static IReadOnlyList<SqlScript> AllScripts()
    {
        var own = typeof(DatabaseMigrator).Assembly;
        var scripts = own.GetManifestResourceNames()
            .Where(name => name.StartsWith(EmbeddedPrefix, StringComparison.Ordinal) && !name.StartsWith(AlwaysPrefix, StringComparison.Ordinal))
            .Select(name => new SqlScript(name[EmbeddedPrefix.Length..], ReadResource(own, name), Numbered))
            .Append(new SqlScript(QuartzScriptName, QuartzScript(), Numbered))
            .OrderBy(script => script.Name, StringComparer.Ordinal)
            .ToList();
        var duplicate = scripts.GroupBy(s => s.Name[..4]).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException(
                $"Two migrations share the number {duplicate.Key}: {string.Join(", ", duplicate.Select(s => s.Name))}.");
        }

        return scripts;
    }

    public MigrationStatus Status()
    {
        var engine = BuildEngine();
        var applied = engine.GetExecutedScripts();
        var pending = engine.GetScriptsToExecute().Where(s => s.SqlScriptOptions.ScriptType != DbUp.Support.ScriptType.RunAlways).Select(s => s.Name).ToList();
        return new MigrationStatus(applied, pending);
    }

    /// <summary>Applies the pending scripts; returns their names (empty when nothing was pending).</summary>
    public IReadOnlyList<string> Migrate()
    {
        var result = BuildEngine().PerformUpgrade();
        if (!result.Successful)
        {
            var failed = result.ErrorScript?.Name ?? "(unknown script)";
            throw new MigrationFailedException(failed, result.Error);
        }

        var applied = result.Scripts.Where(s => s.SqlScriptOptions.ScriptType != DbUp.Support.ScriptType.RunAlways).Select(s => s.Name).ToList();
        foreach (var name in applied)
        {
            LogApplied(logger, name);
        }

        if (applicationRole is not null)
        {
            GrantTo(applicationRole);
        }

        return applied;
    }

    // What the application role may do (ApplicationGrants), granted after every migration, so a
    // grant that narrows reaches databases migrated before it. The role name is PostgreSQL's own
    // (from the connection string), quoted as an identifier. One multi-statement command: one
    // implicit transaction, so the role never stands between its old and new grants.
    private void GrantTo(string role)
    {
        using var connection = new Npgsql.NpgsqlConnection(connectionString);
        connection.Open();
        using var quote = new Npgsql.NpgsqlCommand("SELECT quote_ident(@role)", connection) { Parameters = { new("role", role) } };
        var identifier = (string)quote.ExecuteScalar()!;
        using var grant = new Npgsql.NpgsqlCommand(ApplicationGrants.Sql.Replace("{0}", identifier, StringComparison.Ordinal), connection);
        grant.ExecuteNonQuery();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied migration {Script}")]
    private static partial void LogApplied(ILogger logger, string script);

    private UpgradeEngine BuildEngine() =>
        DeployChanges.To
            .PostgresqlDatabase(connectionString)
            .WithScripts(AllScripts())
            .WithScripts(RepeatableScripts())
            .WithTransactionPerScript()
            // A migration that fills a new column for a large municipality's years of batches runs
            // for minutes (0026 on 1.2 million batch households); Npgsql's 30 s default would roll it back.
            .WithExecutionTimeout(TimeSpan.Zero)
            .WithVariablesDisabled()
            .JournalToPostgresqlTable("public", JournalTable)
            .LogTo(new NullUpgradeLog())
            .Build();

    /// <summary>
    /// The job-store DDL exactly as Quartz ships it, with its two placeholders filled in: {0} the
    /// table prefix, {1} the same prefix without a schema qualifier (for index and constraint names).
    /// </summary>
    private static string QuartzScript() =>
        ReadResource(typeof(IScheduler).Assembly, QuartzResource)
            .Replace("{0}", QuartzTablePrefix, StringComparison.Ordinal)
            .Replace("{1}", QuartzTablePrefix, StringComparison.Ordinal);

    private static string ReadResource(Assembly assembly, string name)
    {
        using var stream = assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"Embedded resource {name} is missing from {assembly.GetName().Name}.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    private sealed class NullUpgradeLog : IUpgradeLog
    {
        public void LogTrace(string format, params object[] args) { }
        public void LogDebug(string format, params object[] args) { }
        public void LogInformation(string format, params object[] args) { }
        public void LogWarning(string format, params object[] args) { }
        public void LogError(string format, params object[] args) { }
        public void LogError(Exception ex, string format, params object[] args) { }
    }
}

public sealed record MigrationStatus(IReadOnlyList<string> Applied, IReadOnlyList<string> Pending);

public sealed class MigrationFailedException(string script, Exception? inner)
    : Exception($"Migration {script} failed: {inner?.Message}", inner)
{
    public string Script { get; } = script;
}
