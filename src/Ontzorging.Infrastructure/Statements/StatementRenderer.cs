using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>What a run printed: how many statements, where.</summary>
public sealed record StatementRun(YearMonth Month, int Statements, string Directory, IReadOnlyList<string> Files);

/// <summary>
/// Prints the monthly statements of a month to PDF, one file per household (docs/rules.md §17):
/// by hand (<c>statement render</c>, a recorded view of personal data) or by the job after each
/// export (<see cref="RenderExported"/>, which keeps which batches it printed, through the door).
/// The files are the owner's only: they hold a household's money and names.
/// </summary>
public sealed class StatementRenderer(MonthlyStatements statements, WriteDoor door, NpgsqlDataSource dataSource, IClock clock)
{
    /// <summary>Statements printed as one document and cut apart: one print costs Chromium about as much as laying out 50 statements (docs/benchmarks.md).</summary>
    public const int PrintGroup = 50;

    private const string Unprinted = """
        SELECT b.id, b.month FROM live_batches b
         WHERE b.status IN ('exported', 'partially_settled', 'settled')
           AND NOT EXISTS (SELECT 1 FROM statement_renders r WHERE r.batch_id = b.id)
         ORDER BY b.month
        """;

    /// <summary>Use case: prints <paramref name="month"/>'s statements (one household's with <paramref name="reference"/>) into <paramref name="directory"/> as <paramref name="actor"/>.</summary>
    public async Task<StatementRun> Render(Actor actor, YearMonth month, string? reference, string directory, CancellationToken ct = default)
    {
        var run = await Print(month, reference, directory, ct);
        await door.Viewed(actor, new AuditEntry(AuditActions.StatementRender, reference is null ? $"month {month:yyyy-MM}" : $"household {reference} month {month:yyyy-MM}",
            AuditOutcome.Viewed, Municipality: reference is null ? null : run.Municipality, Detail: $"{run.Run.Statements} statement(s) into {Path.GetFullPath(directory)}"), ct);
        return run.Run;
    }

    /// <summary>
    /// Use case (the job): prints the statements of every exported batch not printed yet into
    /// <paramref name="root"/>/yyyy-MM, and keeps that it did, with its record.
    /// </summary>
    public async Task<IReadOnlyList<StatementRun>> RenderExported(Actor actor, string root, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var batches = (await connection.QueryAsync<(long Id, LocalDate Month)>(new CommandDefinition(Unprinted, cancellationToken: ct))).ToList();
        var runs = new List<StatementRun>();
        foreach (var (id, first) in batches)
        {
            var month = first.ToYearMonth();
            var directory = Path.Combine(root, $"{month:yyyy-MM}");
            var (run, _) = await Print(month, null, directory, ct);
            (await door.Run(actor, AuditActions.StatementRender, $"batch {id}", async (scope, token) =>
            {
                await scope.Connection.ExecuteAsync(new CommandDefinition("""
                    INSERT INTO statement_renders (batch_id, month, statements, directory, rendered_by, rendered_at) VALUES (@Id, @Month, @Count, @Directory, @By, @Now)
                    ON CONFLICT ON CONSTRAINT pk_statement_renders DO NOTHING
                    """, new { Id = id, Month = first, Count = run.Statements, Directory = Path.GetFullPath(directory), By = actor.Subject, scope.Now }, scope.Transaction, cancellationToken: token));
                scope.After = new { Month = $"{month:yyyy-MM}", run.Statements, Directory = Path.GetFullPath(directory) };
                return run;
            }, ct)).OrThrow();
            runs.Add(run);
        }

        return runs;
    }

    private async Task<(StatementRun Run, string? Municipality)> Print(YearMonth month, string? reference, string directory, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var files = new List<string>();
        string? municipality = null;
        StatementPdf? pdf = null;
        try
        {
            // Read first: a refusal (no exported batch, no such household, a municipality without
            // its contact) comes before anything is created or written.
            await foreach (var chunk in statements.Read(month, reference, ct: ct))
            {
                if (pdf is null)
                {
                    if (!Directory.Exists(directory))
                    {
                        // A folder made here is the owner's only; one the person named is left as it is.
                        if (OperatingSystem.IsWindows())
                        {
                            Directory.CreateDirectory(directory);
                        }
                        else
                        {
                            Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                        }
                    }

                    pdf = await StatementPdf.Start();
                }

                // Printed a group at a time (one print is most of a statement's cost); one statement alone stays tagged.
                var jobs = chunk.Chunk(PrintGroup).Select(group => new PrintJob(StatementHtml.Document(group, now),
                    group.Select(s => Path.Combine(directory, FileName(s.Household, month))).ToList(), StatementHtml.Title(month))).ToList();
                await pdf.Print(jobs, Environment.ProcessorCount, ct);
                files.AddRange(jobs.SelectMany(j => j.Paths));
                municipality ??= chunk.Count > 0 ? chunk[0].Municipality : null;
            }
        }
        finally
        {
            if (pdf is not null)
            {
                await pdf.DisposeAsync();
            }
        }

        return (new StatementRun(month, files.Count, directory, files), municipality);
    }

    /// <summary>statement-HH-0001-2026-07.pdf; anything but letters, digits, '-' and '_' in a reference becomes '_'.</summary>
    public static string FileName(string household, YearMonth month) =>
        $"statement-{string.Concat(household.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' ? c : '_'))}-{month:yyyy-MM}.pdf";
}
