using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Database;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging db migrate|status</c>: the schema, for whoever installs or upgrades.</summary>
public static class DbCommands
{
    public static Command Create(CliEnvironment env)
    {
        var migrateJson = CommonOptions.Json();
        var migrate = new Command("migrate", "Apply pending migrations (each in a transaction); re-running changes nothing.\nExample: ontzorging db migrate") { migrateJson };
        migrate.SetAction((parse, ct) => env.Run(_ => Migrate(env, parse.GetValue(migrateJson)), ct));

        var statusJson = CommonOptions.Json();
        var status = new Command("status", "List applied and pending migrations.\nExample: ontzorging db status") { statusJson };
        status.SetAction((parse, ct) => env.Run(_ => Status(env, parse.GetValue(statusJson)), ct));

        return new Command("db", "Database schema: migrate, status.  Example: ontzorging db migrate")
        {
            migrate,
            status,
        };
    }

    private static Task<int> Migrate(CliEnvironment env, bool json)
    {
        var migrator = env.Services.GetRequiredService<DatabaseMigrator>();
        IReadOnlyList<string> applied;
        try
        {
            applied = migrator.Migrate();
        }
        catch (MigrationFailedException ex)
        {
            env.Error.MarkupLineInterpolated($"[red]error:[/] migration {ex.Script} failed and was rolled back: {ex.InnerException?.Message}");
            return Task.FromResult(ExitCodes.Failed);
        }

        if (json)
        {
            JsonOutput.Write(env.OutWriter, new { Applied = applied });
        }
        else if (applied.Count == 0)
        {
            env.Out.MarkupLine("Database is up to date; nothing to apply.");
        }
        else
        {
            foreach (var name in applied)
            {
                env.Out.MarkupLineInterpolated($"[green]applied[/] {name}");
            }

            env.Out.MarkupLineInterpolated($"{applied.Count} migration(s) applied.");
        }

        return Task.FromResult(ExitCodes.Ok);
    }

    private static Task<int> Status(CliEnvironment env, bool json)
    {
        var status = env.Services.GetRequiredService<DatabaseMigrator>().Status();
        if (json)
        {
            JsonOutput.Write(env.OutWriter, status);
            return Task.FromResult(ExitCodes.Ok);
        }

        var table = new Table().AddColumn("migration").AddColumn("state");
        foreach (var name in status.Applied)
        {
            table.AddRow(Markup.Escape(name), "[green]applied[/]");
        }

        foreach (var name in status.Pending)
        {
            table.AddRow(Markup.Escape(name), "[yellow]pending[/]");
        }

        env.Out.Write(table);
        env.Out.MarkupLineInterpolated($"{status.Applied.Count} applied, {status.Pending.Count} pending.");
        return Task.FromResult(ExitCodes.Ok);
    }
}
