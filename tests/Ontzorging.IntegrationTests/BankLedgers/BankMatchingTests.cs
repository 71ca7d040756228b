using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

public sealed class BankMatchingTests
{
    [Test]
    public async Task Outgoing_statement_lines_settle_the_exported_payments_by_end_to_end_id_or_by_iban_amount_and_date()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-match-").FullName;
        try
        {
            await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
            await db.Services.GetRequiredService<DailyBookkeeping>().Run(new NodaTime.LocalDate(2026, 3, 24), "tester");
            var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
            var lifecycle = db.Services.GetRequiredService<BatchLifecycle>();
            await lifecycle.Approve(batch.Id, "bob");
            await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "april.xml"));

            // The bank statement: installments echo our EndToEndId, leefgeld lines do not.
            await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var payments = (await connection.QueryAsync<(string Key, string Kind, string Iban, decimal Amount, NodaTime.LocalDate Date)>(
                "SELECT end_to_end_id, kind, payee_iban, amount, execution_date FROM payments WHERE batch_id = @Id", new { batch.Id })).ToList();
            var statement = Path.Combine(folder, "statement.csv");
            await File.WriteAllLinesAsync(statement, [string.Join(',', BankStatementReader.GenericColumns),
                .. payments.Select(p => $"NL82BNGH0285010001,{p.Date:yyyy-MM-dd},-{p.Amount:0.00},{p.Iban},Payee,{p.Kind},{(p.Kind == "leefgeld" ? "" : p.Key)}")]);

            var result = await CliRunner.Run(db.Configuration, "ledger", "import", statement, "--as", "auditor");
            var again = await CliRunner.Run(db.Configuration, "ledger", "import", statement, "--as", "auditor");

            result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
            var leefgeld = payments.Count(p => p.Kind == "leefgeld");
            result.Out.Should().Contain($"{payments.Count - leefgeld} by EndToEndId, {leefgeld} by IBAN + amount + date").And.Contain("0 outgoing line(s) unmatched");
            again.Out.Should().Contain("0 added");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments WHERE status = 'settled'")).Should().Be(payments.Count);
            (await connection.ExecuteScalarAsync<string>("SELECT status FROM batches WHERE id = @Id", new { batch.Id })).Should().Be("settled");
            (await connection.ExecuteScalarAsync<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'in_transit'")).Should().Be(0m);
            (await CliRunner.Run(db.Configuration, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
