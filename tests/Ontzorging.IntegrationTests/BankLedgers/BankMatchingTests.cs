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

            var dryRun = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement, "--dry-run");
            var settledByDryRun = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments WHERE status = 'settled'");
            var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement);
            var again = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement);

            result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
            var leefgeld = payments.Count(p => p.Kind == "leefgeld");
            dryRun.Out.Should().Contain("Nothing was written").And.Contain($"{payments.Count - leefgeld} by EndToEndId, {leefgeld} by IBAN + amount + date");
            settledByDryRun.Should().Be(0, "a dry run shows what would settle and settles nothing");
            result.Out.Should().Contain($"{payments.Count - leefgeld} by EndToEndId, {leefgeld} by IBAN + amount + date").And.Contain("0 outgoing line(s) unmatched");
            again.Out.Should().Contain("0 added");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments WHERE status = 'settled'")).Should().Be(payments.Count);
            (await connection.ExecuteScalarAsync<string>("SELECT status FROM batches WHERE id = @Id", new { batch.Id })).Should().Be("settled");
            (await connection.ExecuteScalarAsync<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'in_transit'")).Should().Be(0m);
            (await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 3, 24), "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class ReturnedPaymentTests
{
    [Test]
    public async Task A_returned_installment_becomes_an_arrear_and_returned_leefgeld_is_sent_again_with_the_next_attempt_number()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-storno-").FullName;
        try
        {
            await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
            await db.Services.GetRequiredService<DailyBookkeeping>().Run(new NodaTime.LocalDate(2026, 3, 24), "tester");
            var preparer = db.Services.GetRequiredService<BatchPreparer>();
            var lifecycle = db.Services.GetRequiredService<BatchLifecycle>();
            var april = await preparer.Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
            await lifecycle.Approve(april.Id, "bob");
            await lifecycle.Export(april.Id, "bob", Pain001Version.V09, Path.Combine(folder, "april.xml"));
            await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var payments = (await connection.QueryAsync<(long Id, string Key, string Kind, string Iban, decimal Amount, NodaTime.LocalDate Date, string Household)>("""
                SELECT p.id, p.end_to_end_id, p.kind, p.payee_iban, p.amount, p.execution_date, h.reference
                  FROM payments p JOIN households h ON h.id = p.household_id WHERE p.batch_id = @Id ORDER BY p.id
                """, new { april.Id })).ToList();
            var installment = payments.First(p => p.Kind == "rent");
            var leefgeld = payments.Last(p => p.Kind == "leefgeld" && p.Household != installment.Household);
            var statement = Path.Combine(folder, "statement.csv");
            await File.WriteAllLinesAsync(statement, [string.Join(',', [.. BankStatementReader.GenericColumns, BankStatementReader.GenericReturnReason]),
                .. payments.Select(p => $"NL82BNGH0285010001,{p.Date:yyyy-MM-dd},-{p.Amount:0.00},{p.Iban},Payee,{p.Kind},{p.Key},"),
                $"NL82BNGH0285010001,2026-04-14,{installment.Amount:0.00},{installment.Iban},Verhuurder,Terugboeking,{installment.Key},AC04 rekening opgeheven",
                $"NL82BNGH0285010001,2026-04-15,{leefgeld.Amount:0.00},{leefgeld.Iban},{leefgeld.Household},Retour leefgeld rekening onbekend,,"]);

            var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement);

            import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
            import.Out.Should().Contain("Returned payments (storno): 2");
            (await connection.QueryAsync<string>("SELECT status FROM payments WHERE id = ANY(@Ids)", new { Ids = new[] { installment.Id, leefgeld.Id } }))
                .Should().Equal("returned", "returned");
            (await connection.QueryAsync<(string Account, decimal Debit, decimal Credit, NodaTime.LocalDate Date)>("""
                SELECT l.account, l.debit, l.credit, e.entry_date FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                 WHERE e.source_key = ANY(@Keys) ORDER BY e.entry_date, l.debit DESC
                """, new { Keys = new[] { $"return:{installment.Key}", $"return:{leefgeld.Key}" } })).Should().Equal(
                ("bank", installment.Amount, 0m, new NodaTime.LocalDate(2026, 4, 14)), ($"household:{installment.Household}", 0m, installment.Amount, new NodaTime.LocalDate(2026, 4, 14)),
                ("bank", leefgeld.Amount, 0m, new NodaTime.LocalDate(2026, 4, 15)), ($"household:{leefgeld.Household}", 0m, leefgeld.Amount, new NodaTime.LocalDate(2026, 4, 15)));
            (await connection.QuerySingleAsync<(short Attempt, bool Open)>("SELECT attempt, paid_in_batch_id IS NULL FROM arrears WHERE contract_id = (SELECT contract_id FROM payments WHERE id = @Id)",
                new { installment.Id })).Should().Be(((short)2, true));
            var verified = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 4, 15), "ledger", "verify");
            verified.ExitCode.Should().Be(ExitCodes.Ok, verified.Out + verified.Error);

            await db.Services.GetRequiredService<DailyBookkeeping>().Run(new NodaTime.LocalDate(2026, 4, 24), "tester");
            var may = await preparer.Prepare(new NodaTime.YearMonth(2026, 5), new NodaTime.LocalDate(2026, 4, 24), "anna");
            var resent = (await connection.QueryAsync<(string Key, decimal Amount, long? Resends)>(
                "SELECT end_to_end_id, amount, resends_payment_id FROM payments WHERE batch_id = @Id AND end_to_end_id LIKE '%/2'", new { may.Id })).ToList();

            resent.Should().BeEquivalentTo([
                (installment.Key[..^1] + "2", installment.Amount, (long?)null),
                (leefgeld.Key[..^1] + "2", leefgeld.Amount, (long?)leefgeld.Id)]);
            (await connection.ExecuteScalarAsync<long?>("SELECT paid_in_batch_id FROM arrears WHERE contract_id = (SELECT contract_id FROM payments WHERE id = @Id)", new { installment.Id }))
                .Should().Be(may.Id, "the May batch pays the returned rent again");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments WHERE status = 'returned' AND return_taken_in_batch_id = @Id", new { may.Id })).Should().Be(2);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class SampleBankStatementTests
{
    private static readonly string Folder = Path.Combine(SampleCopy.Samples, "bank");

    private static List<BankLine> Lines(string file) =>
        Iso20022Files.IsStatusReport(file) ? []
        : Iso20022Files.LooksLikeXml(file) ? Camt053Reader.Read(file, Iso20022Files.Detect(file, [])!.Value, []).Lines
        : BankStatementReader.Read(file, null, []).Lines;

    [Test]
    public async Task Every_sample_bank_statement_imports_and_each_outgoing_line_settles_one_payment_of_the_sample_municipality()
    {
        await using var db = ScratchDatabase.Create(new Ontzorging.Infrastructure.Time.SimulationClock(NodaTime.Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = Directory.CreateTempSubdirectory("ontzorging-samplebank-").FullName;
        try
        {
            await new Ontzorging.Infrastructure.Simulation.SimulationRunner(db.Services)
                .Run(SampleCopy.Samples, new NodaTime.YearMonth(2026, 3), new NodaTime.YearMonth(2026, 11), output, settleOnExecution: false);
            var files = Directory.GetFiles(Folder).Order(StringComparer.Ordinal).ToList();
            var lines = files.SelectMany(Lines).ToList();
            var outgoing = lines.Count(l => l.Amount.IsNegative);
            var batched = lines.Where(l => l.Batch is not null).Sum(l => l.Batch!.Transactions ?? 0);
            var municipality = new Ontzorging.Infrastructure.Sepa.ManagedAccountOptions().MunicipalityIban;
            var incoming = lines.Count(l => l.Amount.IsPositive && l.CounterpartyIban != municipality);
            await using var before = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var receipts = await before.ExecuteScalarAsync<long>("SELECT count(*) FROM receipts");

            foreach (var file in files)
            {
                var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);
                result.ExitCode.Should().Be(ExitCodes.Ok, $"{Path.GetFileName(file)}: {result.Error}");
            }

            await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            files.Select(f => Path.GetFileName(f)).Should().BeEquivalentTo(["abnamro-2026-08.TAB", "camt053-2026-11.xml", "generic-2026-09.csv", "ing-2026-06.csv",
                "ing-semicolon-2026-10.csv", "pain002-2026-10-26.xml", "rabobank-2026-07.csv"]);
            var unmatched = await connection.QueryAsync<string>("SELECT booking_date || ' ' || amount || ' ' || coalesce(counterparty_iban, '-') || ' ' || coalesce(reference, '-') || ' ' || left(description, 60) FROM bank_lines WHERE amount < 0 AND status <> 'matched'");
            unmatched.Should().BeEmpty("every outgoing line of the sample statements pays a batch prepared by then");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM bank_lines WHERE amount < 0 AND status = 'matched'")).Should().Be(outgoing);
            batched.Should().Be(26, "November's statement books two blocks of leefgeld as one line each");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments WHERE status = 'settled'")).Should().Be(outgoing - 2 + batched);
            (await connection.ExecuteScalarAsync<string>("SELECT string_agg(end_to_end_id, ',') FROM payments WHERE status = 'returned'")).Should().Be("HH-0027/C96/261101/1",
                "the bank's status report rejected that rent; no statement shows it leaving");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM bank_lines WHERE amount > 0 AND receipt_id IS NOT NULL")).Should().Be(incoming,
                "every toeslag on the statements is a receipt the caseworkers already recorded");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM receipts")).Should().Be(receipts, "a receipt is never booked twice");
            (await connection.QueryAsync<(string Kind, decimal Amount)>("""
                SELECT e.kind, l.debit FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id
                 WHERE e.source_key LIKE 'bank_line:%' AND l.account = 'bank' ORDER BY e.kind, l.debit
                """)).Should().Equal([("bijstand_transfer", 3812.87m), ("bijstand_transfer", 25731.07m), ("funding", 1018.55m)],
                "the municipality's transfers of the batch's bijstand (September, November) and of credit funding (September) are booked from the statements");
            (await CliRunner.Run(db.Configuration, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);
            var reconcile = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-06-01", "--to", "2026-11-30");
            reconcile.ExitCode.Should().Be(ExitCodes.Ok, reconcile.Out);
            reconcile.Out.Should().Contain("Reconciled: every difference is explained.");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }
}

public sealed class SampleReconciliationTests
{
    [Test]
    public async Task Statements_of_payments_the_officers_already_settled_link_to_them_and_the_sample_municipality_reconciles_with_nothing_unexplained()
    {
        await using var db = ScratchDatabase.Create(new Ontzorging.Infrastructure.Time.SimulationClock(NodaTime.Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = Directory.CreateTempSubdirectory("ontzorging-reconcile-").FullName;
        try
        {
            await new Ontzorging.Infrastructure.Simulation.SimulationRunner(db.Services)
                .Run(SampleCopy.Samples, new NodaTime.YearMonth(2026, 3), new NodaTime.YearMonth(2026, 11), output);
            await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var entries = await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM journal_entries WHERE kind IN ('settlement', 'receipt')");

            foreach (var file in Directory.GetFiles(Path.Combine(SampleCopy.Samples, "bank")).Order(StringComparer.Ordinal))
            {
                var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);
                import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
            }

            var reconcile = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-06-01", "--to", "2026-11-30", "--json");
            using var json = System.Text.Json.JsonDocument.Parse(reconcile.Out);

            reconcile.ExitCode.Should().Be(ExitCodes.Ok, reconcile.Out);
            json.RootElement.GetProperty("unexplained").GetString().Should().Be("0.00");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM bank_lines WHERE amount < 0 AND status <> 'matched'")).Should().Be(0,
                "every outgoing line is a payment the simulation settled on its execution date");
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM journal_entries WHERE kind IN ('settlement', 'receipt')")).Should().Be(entries,
                "linking a statement line to money already booked books nothing again");
            (await CliRunner.Run(db.Configuration, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Test]
    public async Task A_statement_line_nobody_booked_is_an_explained_difference_but_a_matched_line_without_its_ledger_movement_is_not()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-unexplained-").FullName;
        try
        {
            await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
            var statement = Path.Combine(folder, "s.csv");
            await File.WriteAllLinesAsync(statement, [string.Join(',', BankStatementReader.GenericColumns),
                "NL82BNGH0285010001,2026-06-22,-45.00,NL86INGB0002445588,Bankkosten,kosten juni,",
                "NL82BNGH0285010001,2026-06-23,99.00,NL86INGB0002445588,Belastingdienst/Toeslagen,Zorgtoeslag HH-0028 juni,"]);
            (await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement)).ExitCode.Should().Be(ExitCodes.Ok);

            var explained = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-06-22", "--to", "2026-06-23", "--details");
            // Break the trail on purpose (as the schema owner: the engine's role cannot switch triggers off): the
            // receipt's entry moves to another source, as if it had never been booked for this line.
            await using var connection = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(db.Name));
            await connection.ExecuteAsync("ALTER TABLE journal_entries DISABLE TRIGGER USER; UPDATE journal_entries SET source_key = 'lost:' || id WHERE kind = 'receipt'; ALTER TABLE journal_entries ENABLE TRIGGER USER");
            var broken = await CliRunner.Run(db.Configuration, "ledger", "reconcile", "--from", "2026-06-22", "--to", "2026-06-23");

            explained.ExitCode.Should().Be(ExitCodes.Ok, explained.Out);
            explained.Out.Should().Contain("On the statement, not booked (unmatched or waiting for confirmation): 1 item(s), -45.00").And.Contain("Bankkosten");
            broken.ExitCode.Should().Be(ExitCodes.Failed);
            broken.Out.Should().Contain("Not reconciled: 99.00 unexplained over 1 day(s)");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}

public sealed class IncomingSuggestionTests
{
    [Test]
    public async Task An_incoming_line_naming_no_household_is_suggested_and_a_confirmation_books_it_as_a_back_payment()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-suggest-").FullName;
        try
        {
            await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
            var statement = Path.Combine(folder, "s.csv");
            await File.WriteAllLinesAsync(statement, [string.Join(',', BankStatementReader.GenericColumns),
                "NL82BNGH0285010001,2026-06-22,1520.00,NL86INGB0002445588,Belastingdienst/Toeslagen,Nabetaling huurtoeslag 2026,",
                "NL82BNGH0285010001,2026-06-22,99.00,NL86INGB0002445588,Belastingdienst/Toeslagen,Zorgtoeslag HH-0028 juni,"]);

            var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement);
            var suggestions = await CliRunner.Run(db.Configuration, "ledger", "suggestions", "--json");
            using var json = System.Text.Json.JsonDocument.Parse(suggestions.Out);
            var line = json.RootElement.EnumerateArray().Single().GetProperty("line").GetInt64();
            var confirm = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "confirm", line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--household", "HH-0017", "--kind", "huurtoeslag", "--covers-from", "2026-03", "--covers-to", "2026-06");

            import.Out.Should().Contain("0 linked to recorded receipts, 1 booked as new receipts, 1 waiting for confirmation");
            confirm.ExitCode.Should().Be(ExitCodes.Ok, confirm.Error);
            await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
            var receipt = await connection.QuerySingleAsync<(NodaTime.LocalDate From, NodaTime.LocalDate To, decimal Amount)>(
                "SELECT covers_from, covers_to, amount FROM receipts WHERE source = 'bank' AND kind = 'huurtoeslag'");
            receipt.Should().Be((new NodaTime.LocalDate(2026, 3, 1), new NodaTime.LocalDate(2026, 6, 1), 1520.00m));
            (await connection.ExecuteScalarAsync<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'household:HH-0017'")).Should().Be(1520.00m);
            (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM bank_lines WHERE status <> 'matched'")).Should().Be(0);
            (await CliRunner.Run(db.Configuration, "ledger", "confirm", line.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--household", "HH-0017", "--kind", "huurtoeslag")).ExitCode.Should().Be(ExitCodes.BadInput, "a line is confirmed once");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
