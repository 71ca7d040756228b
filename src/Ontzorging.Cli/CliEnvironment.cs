using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Spectre.Console;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Cli;

/// <summary>
/// What a command needs from its surroundings: configuration, where to write, and the shared
/// services (built on first use, so <c>--help</c> never touches the database). Tests build one
/// with their own configuration and consoles.
/// </summary>
public sealed class CliEnvironment(IConfiguration configuration, TextWriter output, TextWriter error, IClock? clock = null, bool plain = false, Actor? actor = null) : IAsyncDisposable
{
    private ServiceProvider? services;

    /// <summary>
    /// Who acts: the operating-system login of the process (docs/rules.md §14), never a name typed
    /// on the command line. Tests give another one, as another login would.
    /// </summary>
    public Actor Actor { get; } = actor ?? Actor.CurrentOperatingSystemUser();

    public IConfiguration Configuration { get; } = configuration;

    /// <summary>Where plain text (help, CSV, JSON) goes.</summary>
    public TextWriter OutWriter { get; } = output;

    public TextWriter ErrorWriter { get; } = error;

    /// <summary>Tables and markup for people; plain when the output is captured.</summary>
    public IAnsiConsole Out { get; } = CreateConsole(output, plain);

    public IAnsiConsole Error { get; } = CreateConsole(error, plain);

    public IServiceProvider Services => services ??= BuildServices();

    /// <summary>Today for the municipality, under the injected clock.</summary>
    public LocalDate Today => Services.GetRequiredService<IClock>().Today();

    public System.Globalization.CultureInfo Culture { get; } = System.Globalization.CultureInfo.InvariantCulture;

    /// <summary>appsettings.json beside the executable, then <c>Ontzorging__…</c> environment variables.</summary>
    public static CliEnvironment FromProcess()
    {
        var configuration = new ConfigurationBuilder()
            .SetBasePath(AppContext.BaseDirectory)
            .AddJsonFile("appsettings.json", optional: true)
            .AddEnvironmentVariables()
            .Build();
        return new CliEnvironment(configuration, Console.Out, Console.Error);
    }

    /// <summary>
    /// A use case's value, or its refusal as bad input (exit 2): the CLI's words for a refusal are
    /// its English message (<see cref="Refusal.Message"/>), and an input file's errors are listed.
    /// The use case has already recorded the refusal.
    /// </summary>
    /// <summary>How many of a file's errors are printed: every one of an intake folder, the first of a bank statement with a million bad lines.</summary>
    private const int MaxErrorsShown = 1000;

    public static T Done<T>(Result<T> outcome) =>
        outcome.Refusal is { } refusal ? throw new BadInputException(refusal.Message, refusal) : outcome.Value;

    private static IAnsiConsole CreateConsole(TextWriter writer, bool plain)
    {
        var console = AnsiConsole.Create(plain
            ? new AnsiConsoleSettings
            {
                Out = new AnsiConsoleOutput(writer),
                Ansi = AnsiSupport.No,
                ColorSystem = ColorSystemSupport.NoColors,
                Interactive = InteractionSupport.No,
            }
            : new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer) });

        // A file or pipe has no width; tables are read there in full rather than wrapped at 80.
        if (plain || Console.IsOutputRedirected)
        {
            console.Profile.Width = 180;
        }

        return console;
    }

    /// <summary>Runs a command body and turns its failures into the documented exit codes.</summary>
    public async Task<int> Run(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken);
        }
        catch (BadInputException ex) when (ex.Refusal is { } refusal && InputRejectedException.ErrorsOf(refusal) is { Count: > 0 } errors)
        {
            foreach (var error in errors.Take(MaxErrorsShown))
            {
                Error.MarkupLineInterpolated($"[red]error:[/] {error.ToString()}");
            }

            Error.MarkupLineInterpolated($"{errors.Count} error(s){(errors.Count > MaxErrorsShown ? $", the first {MaxErrorsShown} shown" : "")}; nothing was written.");
            return ExitCodes.BadInput;
        }
        catch (BadInputException ex)
        {
            Error.MarkupLineInterpolated($"[red]error:[/] {ex.Message}");
            return ExitCodes.BadInput;
        }
        catch (NpgsqlException ex) when (ex.IsTransient || ex.InnerException is System.Net.Sockets.SocketException)
        {
            Error.MarkupLineInterpolated($"[red]error:[/] cannot reach the database ({ex.Message}). Is it running? Try: bash scripts/pg.sh start");
            return ExitCodes.Failed;
        }
        catch (PostgresException ex)
        {
            // The database refused something (a constraint, a missing migration): say what, not where in our code.
            Error.MarkupLineInterpolated($"[red]error:[/] the database refused the operation: {ex.MessageText} ({ex.SqlState}{(ex.ConstraintName is null ? "" : ", " + ex.ConstraintName)}). If the schema is behind, run: ontzorging db migrate");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            Error.MarkupLine("[yellow]cancelled[/]");
            return ExitCodes.Failed;
        }
    }

    private ServiceProvider BuildServices()
    {
        var collection = new ServiceCollection();
        collection.AddLogging(logging => logging
            .AddConfiguration(Configuration.GetSection("Logging"))
            .AddSimpleConsole(o => o.SingleLine = true)
            .SetMinimumLevel(LogLevel.Warning));
        collection.AddOntzorging(Configuration, clock);
        return collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
    }

    public async ValueTask DisposeAsync()
    {
        if (services is not null)
        {
            await services.DisposeAsync();
        }
    }
}
