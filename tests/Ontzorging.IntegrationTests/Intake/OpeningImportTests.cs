using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Intake;

/// <summary>
/// docs/rules.md §20: openings.csv beside worked example A's intake. HH-A was unburdened outside the
/// engine through July 2026 (the old system prepared July on 24 June); it cuts over on 30 June with
/// 12.34 held, 321.99 of credit, July's rent unpaid and the back-payment of 22 June received.
/// </summary>
public sealed class OpeningImportTests
{
    private const string Header = "household_ref,line,cutover_on,unburdened_through,balance,credit_outstanding,kind,creditor_iban,amount,due_date,attempt,received_on,covers_from,covers_to,reference";
    private const string Position = "HH-A,position,2026-06-30,2026-07,12.34,321.99,,,,,,,,,";
    private const string Arrear = "HH-A,arrear,,,,,rent,NL20INGB0001234567,905.00,2026-07-01,1,,,,";
    private const string Received = "HH-A,received,,,,,huurtoeslag,,1520.00,,,2026-06-22,2026-04,2026-07,";
    private const string Good = Position + "\n" + Arrear + "\n" + Received;

    private static readonly string[] Tables = ["households", "opening_positions", "arrears", "receipts", "decisions", "journal_entries", "journal_lines"];

    private static string Input(ScratchFolder folder, string openings)
    {
        var input = folder.Sub("input");
        Directory.CreateDirectory(input);
        foreach (var file in Directory.GetFiles(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), "*.csv"))
        {
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)));
        }

        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), Header + "\n" + openings + "\n");
        return input;
    }

    [Test]
    public async Task An_opening_position_is_booked_against_the_cutover_account_that_the_ledger_export_shows_and_receipts_by_the_cut_over_are_recorded_not_booked()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();

        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", Input(folder, Good));

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
        // The two receipts of 22 June in receipts.csv (the huurtoeslag one is also the received line).
        result.Out.Should().Contain("2 receipt(s) and 0 write-off(s) dated on or before their household's cut-over are already in its opening position");
        (await db.Scalar<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'household:HH-A'")).Should().Be(12.34m, "the receipts of 22 June are in the balance, not booked on top of it");
        (await db.Scalar<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'credit:HH-A'")).Should().Be(321.99m);
        (await db.Scalar<long>("SELECT count(*) FROM receipts WHERE in_opening")).Should().Be(2);

        var ledger = folder.Sub("ledger.csv");
        (await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "ledger", "export", "--household", "HH-A", "--out", ledger)).ExitCode.Should().Be(ExitCodes.Ok);
        File.ReadAllLines(ledger).Should().Contain(l => l.Contains(",2026-06-30,cutover,12.34,0.00,", StringComparison.Ordinal))
            .And.Contain(l => l.Contains(",2026-06-30,cutover,0.00,321.99,", StringComparison.Ordinal));
    }

    [Test]
    public async Task Household_show_says_what_was_taken_over_at_the_cut_over()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        (await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", Input(folder, Good))).ExitCode.Should().Be(ExitCodes.Ok);

        var shown = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "household", "show", "HH-A");
        var json = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "household", "show", "HH-A", "--json");

        shown.ExitCode.Should().Be(ExitCodes.Ok, shown.Error);
        var row = shown.Out.Split('\n').SkipWhile(l => !l.Contains("Taken over at cut-over", StringComparison.Ordinal)).First(l => l.Contains("2026-06-30", StringComparison.Ordinal));
        row.Split('│', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Take(6).Should().Equal("2026-06-30", "2026-07", "12.34", "321.99", "1 of 905.00", "2");
        json.Out.Should().Contain("\"cutover_on\": \"2026-06-30\"").And.Contain("\"unburdened_through\": \"2026-07\"");
    }

    [Test]
    public async Task The_first_batch_after_the_cut_over_starts_from_the_position_and_pays_its_arrear_first()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        await db.Services.GetRequiredService<IntakeImporter>().Import(Input(folder, Good), "tester");

        var preparer = db.Services.GetRequiredService<BatchPreparer>();
        var july = await preparer.Prepare(new YearMonth(2026, 7), new LocalDate(2026, 6, 24), "finance");
        await db.Services.GetRequiredService<BatchLifecycle>().Approve(july.Id, "second-officer");
        var august = await preparer.Prepare(new YearMonth(2026, 8), new LocalDate(2026, 7, 24), "finance");

        july.Households.Should().Be(0, "July was unburdened outside the engine");
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var row = await connection.QuerySingleAsync<(decimal Balance, decimal Receipts, decimal Outstanding)>(
            "SELECT balance_before, receipts, credit_outstanding FROM batch_households WHERE batch_id = @Id", new { august.Id });
        // Held 12.34 plus the toeslagen of 20 July (509.00); the receipts of 22 June were in the position.
        row.Balance.Should().Be(521.34m);
        row.Receipts.Should().Be(509.00m);
        var rent = await connection.QueryAsync<string>("SELECT due_date::text FROM payments WHERE batch_id = @Id AND kind = 'rent' ORDER BY due_date", new { august.Id });
        rent.Should().Equal(["2026-07-01", "2026-08-01"], "July's rent, the arrear of the position, is paid first, then August's");
        // 521.34 + 1300.00 bijstand against 905.00 (July's rent) + 1234.00 (August) + 173.33 minimum: 490.99 drawn on top of the 321.99 of the position.
        row.Outstanding.Should().Be(812.98m);
    }

    [Test]
    public async Task An_opening_position_for_a_month_the_engine_already_prepared_is_refused_and_nothing_is_written()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 25));
        using var folder = new ScratchFolder();
        var input = Input(folder, Good);
        File.Delete(Path.Combine(input, IntakeFiles.Openings));
        await db.Services.GetRequiredService<IntakeImporter>().Import(input, "tester");
        await db.Services.GetRequiredService<BatchPreparer>().Prepare(new YearMonth(2026, 8), new LocalDate(2026, 7, 24), "finance", "going live");
        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), Header + "\n" + Good + "\n");
        var before = await Counts(db);

        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 25), "import", input);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("openings.csv line 2, column unburdened_through: the engine already prepared 2026-08")
            .And.Contain("openings.csv line 2, column household_ref: HH-A is already kept by the engine").And.Contain("nothing was written");
        (await Counts(db)).Should().Equal(before);
    }

    [Test]
    public async Task An_opening_position_after_a_write_off_of_the_household_was_booked_is_refused_for_the_write_off_would_be_lost()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        var input = Input(folder, Good);
        File.Delete(Path.Combine(input, IntakeFiles.Openings));
        var events = Path.Combine(input, "events.csv");
        if (!File.Exists(events))
        {
            File.WriteAllText(events, "household_ref,date,event,value,reason\n");
        }

        File.AppendAllText(events, "HH-A,2026-06-15,write_off,all,kwijtschelding\n");
        // No receipts yet: the write-off is the only thing the engine books for the household.
        var receipts = Path.Combine(input, "receipts.csv");
        File.WriteAllLines(receipts, File.ReadAllLines(receipts).Take(1));
        (await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", input)).ExitCode.Should().Be(ExitCodes.Ok);
        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), Header + "\n" + Good + "\n");
        var before = await Counts(db);

        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", input);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("HH-A is already kept by the engine (its write-off of 2026-06-15 was booked before the position");
        (await Counts(db)).Should().Equal(before);
    }

    [TestCase("HH-A,position,2026-06-30,2026-07,\"12,34\",321.99,,,,,,,,,", 2, "balance", "not an amount", TestName = "An opening balance with a decimal comma is refused")]
    [TestCase("HH-A,position,2026-06-30,2026-07,-12.34,321.99,,,,,,,,,", 2, "balance", "negative", TestName = "A negative opening balance is refused")]
    [TestCase("HH-A,position,2026-06-30,2026-07,12.34,1000.01,,,,,,,,,", 2, "credit_outstanding", "above the credit cap of 1000.00", TestName = "Opening credit above the household's cap is refused")]
    [TestCase("HH-A,position,2099-06-30,2099-07,12.34,321.99,,,,,,,,,", 2, "cutover_on", "lies after today", TestName = "A cut-over far in the future is refused")]
    [TestCase("HH-A,position,2026-06-30,2026-06,12.34,321.99,,,,,,,,,", 2, "unburdened_through", "run through 2026-07, not 2026-06", TestName = "Months unburdened that disagree with the cut-over and the timetable are refused")]
    [TestCase("HH-A,position,2026-06-30,2026-07,12.34,321.99,rent,,,,,,,,", 2, "kind", "must be empty on position lines", TestName = "A position line with an arrear's cell is refused")]
    [TestCase(Good + "\nHH-A,position,2026-06-30,2026-07,0.00,0.00,,,,,,,,,", 5, "household_ref", "more than one position line", TestName = "A second position line for a household is refused")]
    [TestCase("HH-X,position,2026-06-30,2026-07,12.34,0.00,,,,,,,,,", 2, "household_ref", "unknown household 'HH-X'", TestName = "A position of a household not in households.csv is refused")]
    [TestCase(Arrear, 2, "household_ref", "has no position line", TestName = "An arrear without its household's position is refused")]
    [TestCase(Position + "\nHH-A,arrear,,,,,rent,NL91ABNA0417164300,905.00,2026-07-01,1,,,,", 3, "creditor_iban", "has no rent contract with creditor NL91…4300", TestName = "An arrear for a creditor the household never had is refused")]
    [TestCase(Position + "\nHH-A,arrear,,,,,insurance,NL20INGB0001234567,905.00,2026-07-01,1,,,,", 3, "creditor_iban", "has no insurance contract", TestName = "An arrear of a kind the household has no contract of is refused")]
    [TestCase(Position + "\nHH-A,arrear,,,,,rent,NL20INGB0001234567,905.00,2025-07-01,1,,,,", 3, "due_date", "no version of HH-A's rent contract", TestName = "An arrear due before the contract was valid is refused")]
    [TestCase(Position + "\nHH-A,arrear,,,,,rent,NL20INGB0001234567,905.00,2026-08-01,1,,,,", 3, "due_date", "the engine pays that installment itself", TestName = "An arrear due after the months unburdened outside the engine is refused")]
    [TestCase(Position + "\nHH-A,arrear,,,,,rent,NL20INGB0001234567,0.00,2026-07-01,1,,,,", 3, "amount", "more than 0.00", TestName = "An arrear of nothing is refused")]
    [TestCase(Position + "\nHH-A,received,,,,,huurtoeslag,,380.00,,,2026-07-20,2026-08,2026-08,", 3, "received_on", "lies after the cut-over", TestName = "A receipt in the position received after the cut-over is refused")]
    [TestCase(Position + "\nHH-A,received,,,,,huurtoeslag,,380.00,,,2026-06-20,2026-08,2026-08,\"Dienst\u0007Toeslagen\"", 3, "reference", "control character", TestName = "A control character in a receipt's reference is refused")]
    [TestCase(Position + "\nHH-A,received,,,,,bijstand,,380.00,,,2026-06-20,2026-08,2026-08,", 3, "kind", "never a receipt", TestName = "Bijstand as a receipt in the position is refused")]
    [TestCase("HH-A,opening,2026-06-30,2026-07,12.34,321.99,,,,,,,,,", 2, "line", "not one of position, arrear, received", TestName = "An unknown kind of line is refused")]
    public async Task A_bad_opening_line_is_refused_naming_file_line_and_field_and_nothing_is_written(string openings, int line, string column, string reason)
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        var before = await Counts(db);

        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", Input(folder, openings));

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain($"openings.csv line {line}, column {column}: ").And.Contain(reason).And.Contain("nothing was written");
        (await Counts(db)).Should().Equal(before);
    }

    [Test]
    public async Task An_unknown_column_in_openings_csv_is_refused_on_its_header()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        var input = Input(folder, Good);
        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), Header + ",months_done\n" + Position + ",3\n");

        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 7, 1), "import", input);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("openings.csv line 1, column months_done: unknown column");
    }

    [Test]
    public async Task Importing_the_same_opening_position_again_adds_nothing_and_a_changed_one_is_refused()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 7, 1));
        using var folder = new ScratchFolder();
        var input = Input(folder, Good);
        var importer = db.Services.GetRequiredService<IntakeImporter>();
        await importer.Import(input, "tester");
        var counts = await Counts(db);

        var again = await importer.Import(input, "tester");
        File.WriteAllText(Path.Combine(input, IntakeFiles.Openings), Header + "\n" + Position.Replace("12.34", "99.99", StringComparison.Ordinal) + "\n");
        var changed = () => importer.Import(input, "tester");

        again.Files[IntakeFiles.Openings].Added.Should().Be(0);
        (await Counts(db)).Should().Equal(counts);
        (await changed.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Contain("was imported before with other values");
    }

    private static async Task<Dictionary<string, long>> Counts(ScratchDatabase db)
    {
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            counts[table] = await db.Scalar<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }
}
