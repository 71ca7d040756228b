using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Statements;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;
using UglyToad.PdfPig;
using UglyToad.PdfPig.DocumentLayoutAnalysis.TextExtractor;

namespace Ontzorging.IntegrationTests.Statements;

/// <summary>
/// docs/rules.md §17: the monthly statement as the household gets it, a PDF printed by headless
/// Chromium, read back with PdfPig: its amounts are the ledger's, in Dutch and in the household's
/// language.
/// </summary>
public sealed class StatementPdfTests
{
    private static readonly Actor Caseworker = Actor.OperatingSystemUser("caseworker");

    [Test]
    public async Task Worked_example_As_July_statement_shows_leefgeld_1780_01_and_credit_repaid_321_99_in_Dutch_and_in_Arabic()
    {
        using var folder = new ScratchFolder();
        var input = IntakeCopy.WithLanguage(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), folder.Sub("input"), "HH-A", "ar");
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(db.Services).Run(input, new YearMonth(2026, 4), new YearMonth(2026, 7), folder.Sub("out"));

        var run = await db.Services.GetRequiredService<StatementRenderer>().Render(Caseworker, new YearMonth(2026, 7), "HH-A", folder.Sub("st"));

        run.Files.Should().ContainSingle().Which.Should().EndWith("statement-HH-A-2026-07.pdf");
        var text = PdfText(run.Files[0]);
        text.Should().Contain("€ 1.780,01").And.Contain("€ 321,99").And.Contain("Uw overzicht van juli 2026");
        var arabic = StatementLanguage.Find("ar")!;
        arabic.Amount(Money.FromEuros(1780.01m)).Should().Be("١٬٧٨٠٫٠١ €", "the Arabic block writes the same amounts in Arabic digits");
        // PdfPig reads Arabic letters in the order they are drawn (right to left); numbers it reads as written.
        text.Should().Contain("١٬٧٨٠٫٠١ €").And.Contain("٣٢١٫٩٩ €");
        (await Count(db, "SELECT count(*) FROM audit_log WHERE action = 'statement.render'")).Should().Be(1, "printing statements is a recorded view of personal data");
    }

    [Test]
    public async Task Every_sample_households_statement_holds_the_ledgers_amounts()
    {
        using var folder = new ScratchFolder();
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(db.Services).Run(SampleCopy.Samples, new YearMonth(2026, 3), new YearMonth(2026, 10), folder.Sub("out"));
        var renderer = db.Services.GetRequiredService<StatementRenderer>();
        var dutch = StatementLanguage.Dutch;
        var checkedStatements = 0;

        foreach (var month in new[] { new YearMonth(2026, 7), new YearMonth(2026, 10) })
        {
            var run = await renderer.Render(Caseworker, month, null, folder.Sub($"st-{month:yyyy-MM}"));
            await using var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
            var ledger = (await connection.QueryAsync<LedgerRow>($"""
                SELECT h.reference AS Household,
                       coalesce(sum(l.debit) FILTER (WHERE e.kind = 'batch' AND l.account = 'bijstand_receivable'), 0) AS Bijstand,
                       coalesce(sum(l.debit) FILTER (WHERE e.kind = 'batch' AND l.account = 'credit:' || h.reference), 0) AS Drawn,
                       coalesce(sum(l.credit) FILTER (WHERE e.kind = 'batch' AND l.account = 'credit:' || h.reference), 0) AS Repaid,
                       coalesce(sum(l.debit) FILTER (WHERE e.kind = 'payment' AND l.account = 'household:' || h.reference), 0) AS Paid,
                       (SELECT coalesce(sum(cl.debit - cl.credit), 0) FROM journal_lines cl JOIN journal_entries ce ON ce.id = cl.entry_id
                         WHERE cl.account = 'credit:' || h.reference AND ce.entry_date <= b.month) AS Outstanding
                  FROM batch_households bh
                  JOIN batches b ON b.id = bh.batch_id
                  JOIN households h ON h.id = bh.household_id
                  LEFT JOIN journal_entries e ON e.batch_id = b.id AND e.household_id = h.id
                  LEFT JOIN journal_lines l ON l.entry_id = e.id
                 WHERE b.month = date '{month:yyyy-MM}-01' AND b.status NOT IN ('rejected', 'cancelled')
                 GROUP BY h.reference, b.month
                """)).ToDictionary(r => r.Household);
            var households = (await connection.QueryAsync<string>($"""
                SELECT h.reference FROM batch_households bh JOIN batches b ON b.id = bh.batch_id JOIN households h ON h.id = bh.household_id
                 WHERE b.month = date '{month:yyyy-MM}-01' AND b.status NOT IN ('rejected', 'cancelled')
                """)).ToList();
            run.Files.Select(Path.GetFileName).Should().BeEquivalentTo(households.Select(h => StatementRenderer.FileName(h, month)), "one statement per household of the batch");

            foreach (var household in households)
            {
                var text = PdfText(Path.Combine(run.Directory, StatementRenderer.FileName(household, month)));
                var row = ledger[household];
                string Dutch(decimal amount) => dutch.Amount(Money.FromEuros(amount));
                text.Should().Contain($"Bijstand van de gemeente {Dutch(row.Bijstand)}", "{0} {1:yyyy-MM}: bijstand as booked", household, month);
                text.Should().Contain($"Deze maand geleend {Dutch(row.Drawn)}", "{0} {1:yyyy-MM}: credit drawn as booked", household, month);
                text.Should().Contain($"Deze maand terugbetaald {Dutch(row.Repaid)}", "{0} {1:yyyy-MM}: credit repaid as booked", household, month);
                text.Should().Contain($"Nog terug te betalen {Dutch(row.Outstanding)}", "{0} {1:yyyy-MM}: credit outstanding as in the ledger", household, month);
                var paidForYou = Amount(text, "Totaal betaald voor u ");
                var leefgeld = Amount(text, "Totaal leefgeld ");
                (paidForYou + leefgeld).Should().Be(row.Paid, "{0} {1:yyyy-MM}: what was paid for the household and its leefgeld are the payments the ledger took from its account", household, month);
                checkedStatements++;
            }
        }

        checkedStatements.Should().BeGreaterThan(30);
    }

    [Test]
    public async Task A_household_whose_language_the_statement_does_not_know_gets_it_in_Dutch_only()
    {
        using var folder = new ScratchFolder();
        var input = IntakeCopy.WithLanguage(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), folder.Sub("input"), "HH-A", "pl");
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(db.Services).Run(input, new YearMonth(2026, 4), new YearMonth(2026, 4), folder.Sub("out"));

        var run = await db.Services.GetRequiredService<StatementRenderer>().Render(Caseworker, new YearMonth(2026, 4), "HH-A", folder.Sub("st"));

        var text = PdfText(run.Files[0]);
        text.Should().Contain("Uw overzicht van april 2026").And.NotContain("Your statement");
    }

    [Test]
    public async Task A_month_without_an_exported_batch_and_an_unknown_household_are_refused_with_exit_2_and_nothing_written()
    {
        using var folder = new ScratchFolder();
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(db.Services).Run(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), new YearMonth(2026, 4), new YearMonth(2026, 4), folder.Sub("out"));

        var noBatch = await CliRunner.Run(db.Configuration, "statement", "render", "--month", "2026-09", "--out", folder.Sub("st"));
        var unknown = await CliRunner.Run(db.Configuration, "statement", "render", "--month", "2026-04", "--household", "HH-NOPE", "--out", folder.Sub("st"));
        var badMonth = await CliRunner.Run(db.Configuration, "statement", "render", "--month", "2026-13", "--out", folder.Sub("st"));

        noBatch.ExitCode.Should().Be(2);
        noBatch.Error.Should().Contain("--month 2026-09").And.Contain("no batch");
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("HH-NOPE");
        badMonth.ExitCode.Should().Be(2);
        badMonth.Error.Should().Contain("--month");
        (Directory.Exists(folder.Sub("st")) ? Directory.GetFiles(folder.Sub("st")) : []).Should().BeEmpty();
    }

    [Test]
    public async Task The_job_prints_each_exported_batchs_statements_once_into_a_folder_per_month()
    {
        using var folder = new ScratchFolder();
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(db.Services).Run(RepositoryPaths.Docs(Path.Combine("examples", "B", "input")), new YearMonth(2026, 4), new YearMonth(2026, 5), folder.Sub("out"));
        var renderer = db.Services.GetRequiredService<StatementRenderer>();
        var job = Actor.System("statement-render");

        var first = await renderer.RenderExported(job, folder.Sub("statements"));
        var again = await renderer.RenderExported(job, folder.Sub("statements"));

        first.Select(r => r.Month).Should().Equal(new YearMonth(2026, 4), new YearMonth(2026, 5));
        File.Exists(Path.Combine(folder.Sub("statements"), "2026-05", "statement-HH-B-2026-05.pdf")).Should().BeTrue();
        PdfText(Path.Combine(folder.Sub("statements"), "2026-04", "statement-HH-B-2026-04.pdf")).Should().Contain("€ 453,96", "B's first weekly leefgeld of April");
        again.Should().BeEmpty("each exported batch is printed once");
        (await Count(db, "SELECT count(*) FROM statement_renders")).Should().Be(2);
        (await Count(db, "SELECT count(*) FROM audit_log WHERE action = 'statement.render' AND actor_subject = 'system:statement-render'")).Should().Be(2);
    }

    /// <summary>The PDF's text as PdfPig reads it, page after page.</summary>
    public static string PdfText(string path)
    {
        using var document = PdfDocument.Open(path);
        var text = new StringBuilder();
        foreach (var page in document.GetPages())
        {
            text.AppendLine(ContentOrderTextExtractor.GetText(page));
        }

        return System.Text.RegularExpressions.Regex.Replace(text.ToString(), @"[ \u00A0]+", " ");
    }

    private static decimal Amount(string text, string label)
    {
        var at = text.IndexOf(label, StringComparison.Ordinal);
        if (at < 0)
        {
            return 0m;
        }

        var match = System.Text.RegularExpressions.Regex.Match(text[(at + label.Length)..], @"€ ([0-9.]+,[0-9]{2})");
        return decimal.Parse(match.Groups[1].Value.Replace(".", "", StringComparison.Ordinal).Replace(',', '.'), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static async Task<long> Count(ScratchDatabase db, string sql)
    {
        await using var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<long>(sql);
    }

    private sealed class LedgerRow
    {
        public string Household { get; set; } = "";

        public decimal Bijstand { get; set; }

        public decimal Drawn { get; set; }

        public decimal Repaid { get; set; }

        public decimal Paid { get; set; }

        public decimal Outstanding { get; set; }
    }
}
