using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Ledger;

public sealed class LedgerAuditTests
{
    [Test]
    public async Task After_simulating_the_sample_municipality_the_ledger_verifies_and_exports_one_row_per_line()
    {
        await using var db = ScratchDatabase.Create(new SimulationClock(NodaTime.Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = Directory.CreateTempSubdirectory("ontzorging-ledger-").FullName;
        try
        {
            await new SimulationRunner(db.Services).Run(SampleCopy.Samples, new NodaTime.YearMonth(2026, 3), new NodaTime.YearMonth(2026, 12), output);

            var verify = await CliRunner.Run(db.Configuration, "ledger", "verify");
            var export = await CliRunner.Run(db.Configuration, "ledger", "export", "--household", "HH-0017", "--out", Path.Combine(output, "hh17.csv"));
            var all = await CliRunner.Run(db.Configuration, "ledger", "export", "--all", "--from", "2026-06-01", "--to", "2026-06-30", "--out", Path.Combine(output, "june.csv"));

            verify.ExitCode.Should().Be(ExitCodes.Ok, verify.Error);
            verify.Out.Should().Contain("Ledger verified");
            export.ExitCode.Should().Be(ExitCodes.Ok);
            var rows = File.ReadAllLines(Path.Combine(output, "hh17.csv"));
            rows[0].Should().Be("entry_id,date,account,debit,credit,description,recorded_by");
            rows.Skip(1).Should().Contain(r => r.Contains(",credit:HH-0017,", StringComparison.Ordinal));
            File.ReadAllLines(Path.Combine(output, "june.csv")).Skip(1).Should().OnlyContain(r => r.Split(',')[1].StartsWith("2026-06", StringComparison.Ordinal));
            all.ExitCode.Should().Be(ExitCodes.Ok);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task Verify_reports_an_account_whose_kept_balance_drifted_from_its_lines_and_exits_1()
    {
        await using var db = ScratchDatabase.Create();
        // As the schema owner: the engine's role may not write a balance (only the ledger's trigger does).
        await db.ExecuteAsOwner("UPDATE ledger_accounts SET balance = 12.34 WHERE code = 'bank'");

        var verify = await CliRunner.Run(db.Configuration, "ledger", "verify");

        verify.ExitCode.Should().Be(ExitCodes.Failed);
        verify.Error.Should().Contain("account bank keeps 12.34 but its lines sum to 0.00");
    }

    [Test]
    public async Task Exported_text_that_a_spreadsheet_would_run_as_a_formula_is_neutralised()
    {
        await using var db = ScratchDatabase.Create();
        await using (var connection = new NpgsqlConnection(db.ConnectionString))
        {
            await connection.ExecuteAsync("""
                WITH e AS (INSERT INTO journal_entries (entry_date, kind, description, recorded_by, recorded_at)
                           VALUES ('2026-06-01', 'funding', '=HYPERLINK("http://x")', '-auditor', now()) RETURNING id)
                INSERT INTO journal_lines (entry_id, account, debit, credit) SELECT id, 'bank', 5, 0 FROM e UNION ALL SELECT id, 'credit_fund', 0, 5 FROM e
                """);
        }

        var path = Path.Combine(Path.GetTempPath(), $"ontzorging-injection-{Guid.NewGuid():N}.csv");
        await CliRunner.Run(db.Configuration, "ledger", "export", "--all", "--out", path);
        var text = await File.ReadAllTextAsync(path);
        File.Delete(path);

        text.Should().Contain("'=HYPERLINK").And.Contain("'-auditor").And.NotContain(",=HYPERLINK");
    }
}
