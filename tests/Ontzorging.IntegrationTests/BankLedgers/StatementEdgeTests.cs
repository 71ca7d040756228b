using System.Text;
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

/// <summary>
/// Statements as a clumsy or hostile hand makes them (issue 14): each is refused with its line and
/// column (exit 2, nothing written), or read exactly as the bank meant it.
/// </summary>
public sealed class StatementEdgeTests
{
    private const string IngHeader = "\"Datum\",\"Naam / Omschrijving\",\"Rekening\",\"Tegenrekening\",\"Code\",\"Af Bij\",\"Bedrag (EUR)\",\"MutatieSoort\",\"Mededelingen\"";

    private ScratchDatabase db = null!;
    private string folder = "";

    [SetUp]
    public void CreateDatabase()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-edge-").FullName;
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [Test]
    public async Task An_ing_amount_with_a_decimal_point_is_refused_with_its_line_and_column_instead_of_read_as_a_hundred_times_more()
    {
        var path = Write("ing.csv", Encoding.UTF8, IngHeader,
            Ing("Huurtoeslag HH-0001", "Bij", "129,00"),
            Ing("Zorgtoeslag HH-0001", "Bij", "129.00"));

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("ing.csv line 3, column Bedrag (EUR): '129.00' is not an amount written like 1.234,56").And.Contain("nothing was written");
        (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
        (await db.Scalar<long>("SELECT count(*) FROM receipts")).Should().Be(0);
    }

    [Test]
    public async Task A_statement_mixing_utf8_and_latin1_is_refused_naming_the_first_bad_line()
    {
        var path = Path.Combine(folder, "mixed.csv");
        var utf8 = Encoding.UTF8.GetBytes(IngHeader + "\n" + Ing("Crèche 't Kindje", "Af", "12,50") + "\n");
        var latin1 = Encoding.Latin1.GetBytes(Ing("Café Zuid", "Af", "3,20") + "\n");
        await File.WriteAllBytesAsync(path, [.. utf8, .. latin1]);

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("mixed.csv line 3").And.Contain("mixes encodings");
        (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
    }

    [Test]
    public async Task The_same_transaction_keeps_its_identity_whether_its_file_was_utf8_or_windows_1252()
    {
        var line = Ing("Crèche 't Kindje", "Af", "12,50");
        var utf8 = Write("utf8.csv", Encoding.UTF8, IngHeader, line);
        var windows = Write("cp1252.csv", Encoding.GetEncoding(1252), IngHeader, line);

        var first = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", utf8);
        var second = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", windows);

        first.Out.Should().Contain("1 added");
        second.Out.Should().Contain("0 added, 1 already present");
        (await db.Scalar<string>("SELECT counterparty_name FROM bank_lines")).Should().Be("Crèche 't Kindje");
    }

    [Test]
    public async Task A_utf16_export_is_refused_with_a_way_out()
    {
        var path = Write("unicode.csv", Encoding.Unicode, IngHeader, Ing("Shop", "Af", "1,00"));

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("unicode.csv line 1").And.Contain("is UTF-16");
    }

    [Test]
    public async Task A_byte_that_neither_utf8_nor_windows_1252_defines_is_refused()
    {
        var path = Path.Combine(folder, "odd.csv");
        await File.WriteAllBytesAsync(path, [.. Encoding.ASCII.GetBytes(IngHeader + "\n" + Ing("Shop", "Af", "1,00") + "\n"), .. Encoding.ASCII.GetBytes("\"20260601\",\"X"), 0x81, .. Encoding.ASCII.GetBytes("\",\"NL82BNGH0285010001\",\"\",\"OV\",\"Af\",\"1,00\",\"x\",\"y\"\n")]);

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("odd.csv line 3").And.Contain("neither UTF-8 nor Windows-1252");
    }

    [Test]
    public async Task An_abn_amro_file_with_a_column_more_is_refused_instead_of_reading_value_dates_as_amounts()
    {
        var path = Write("TXT260820.TAB", Encoding.UTF8,
            "285010001\tEUR\t20260820\t1.000,00\t871,00\t20260820\t-129,00\tSEPA Overboeking IBAN: NL20INGB0001234567 Naam: Shop",
            "285010001\tEUR\t20260820\t871,00\t742,00\textra\t20260820\t-129,00\tSEPA Overboeking IBAN: NL20INGB0001234567 Naam: Shop");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path, "--format", "abnamro");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("TXT260820.TAB line 2").And.Contain("has 9 fields where an ABN AMRO line has 8");
        (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
    }

    [Test]
    public async Task A_statement_of_only_a_header_is_refused_as_holding_no_transactions()
    {
        var path = Write("empty.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns));

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput, result.Error);
        result.Error.Should().Contain("empty.csv").And.Contain("holds no transaction lines");
    }

    [TestCase("Shop\0ping", "-1.00", "counterparty_name", "control character U+0000", TestName = "A NUL byte in a name is refused with its line and column")]
    [TestCase("Shop", "9999999999999.99", "amount", "is not an amount written like -1234.56", TestName = "An amount beyond what a line may carry is refused with its line and column")]
    [TestCase("Shop", "-0.001", "amount", "is not an amount written like -1234.56", TestName = "Three decimals are refused")]
    public async Task A_field_out_of_bounds_is_refused_with_exit_2_and_nothing_written(string name, string amount, string column, string message)
    {
        var path = Write("bounds.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,Fine,ok,",
            $"NL82BNGH0285010001,2026-06-01,{amount},NL20INGB0001234567,{name},x,");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain($"bounds.csv line 3, column {column}").And.Contain(message);
        (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
    }

    [Test]
    public async Task A_ten_megabyte_cell_is_refused_instead_of_stored()
    {
        var path = Write("huge.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            $"NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,Shop,{new string('x', 10_000_000)},");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("huge.csv line 2, column description: is 10,000,000 characters long");
    }

    [Test]
    public async Task An_emoji_at_the_field_limit_counts_as_one_character()
    {
        var name = new string('x', BankStatementReader.MaxFieldLength - 1) + "\U0001F600";
        var path = Write("limit.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            $"NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,{name},x,",
            $"NL82BNGH0285010001,2026-06-01,-3.00,NL20INGB0001234567,{name}y,x,");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("limit.csv line 3, column counterparty_name: is 1,001 characters long").And.NotContain("line 2");
    }

    [Test]
    public async Task A_booking_date_far_in_the_future_is_refused()
    {
        var path = Write("future.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,9999-12-31,-2.00,NL20INGB0001234567,Shop,x,");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("future.csv line 2, column booking_date").And.Contain("outside the dates the engine accepts");
    }

    [Test]
    public async Task A_generic_statement_with_an_unknown_column_is_refused()
    {
        var path = Write("extra.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns) + ",balance",
            "NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,Shop,x,,100.00");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("extra.csv line 1, column balance: unknown column");
    }

    [Test]
    public async Task A_line_of_another_account_naming_our_end_to_end_id_settles_nothing_and_cannot_be_confirmed_as_a_receipt()
    {
        var (payment, amount, date, iban) = await ExportedRent();
        var path = Write("other.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            $"NL91ABNA0417164300,{date:yyyy-MM-dd},-{amount:0.00},{iban},Verhuurder,huur,{payment}",
            $"NL91ABNA0417164300,{date:yyyy-MM-dd},509.00,NL86INGB0002445588,Belastingdienst,Huurtoeslag HH-0001,");

        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
        result.Out.Should().Contain("0 by EndToEndId");
        (await db.Scalar<string>($"SELECT status FROM payments WHERE end_to_end_id = '{payment}'")).Should().Be("open");
        (await db.Scalar<long>("SELECT count(*) FROM bank_lines WHERE status <> 'unmatched'")).Should().Be(0, "lines of other accounts are kept, never matched or suggested");
        var incoming = await db.Scalar<long>("SELECT id FROM bank_lines WHERE amount > 0");
        var confirm = await CliRunner.Run(db.Configuration, "ledger", "confirm", incoming.ToString(System.Globalization.CultureInfo.InvariantCulture), "--household", "HH-0001", "--kind", "huurtoeslag");
        confirm.ExitCode.Should().Be(ExitCodes.BadInput);
        confirm.Error.Should().Contain("not of the managed account");
    }

    [Test]
    public async Task Receipts_an_import_books_commit_with_it_and_verify_reports_a_receipt_that_was_never_booked()
    {
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        await db.Services.GetRequiredService<DailyBookkeeping>().Run(new NodaTime.LocalDate(2026, 3, 24), "tester");
        var path = Write("toeslag.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,2026-03-20,25.00,NL86INGB0002445588,Belastingdienst/Toeslagen,Zorgtoeslag HH-0001,");
        var clock = ScenarioClock.On(2026, 3, 24);

        var import = await CliRunner.RunAs("auditor", db.Configuration, clock, "ledger", "import", path);

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        import.Out.Should().Contain("1 booked as new receipts");
        (await db.Scalar<long>("SELECT count(*) FROM receipts WHERE booked_on IS NULL AND received_on <= '2026-03-24'")).Should().Be(0);
        (await CliRunner.Run(db.Configuration, clock, "ledger", "verify")).ExitCode.Should().Be(ExitCodes.Ok);

        // What a crash after the commit used to leave: a receipt received and nobody's.
        await db.Execute("UPDATE receipts SET booked_on = NULL WHERE reference LIKE 'bank line%'");
        var verify = await CliRunner.Run(db.Configuration, clock, "ledger", "verify");
        verify.ExitCode.Should().Be(ExitCodes.Failed);
        (verify.Out + verify.Error).Should().Contain("1 receipt(s) received by today (25.00, the first on 2026-03-20) were never booked");
    }

    [Test]
    public async Task Ledger_import_and_intake_import_report_in_json_when_asked()
    {
        var path = Write("json.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,Shop,x,");

        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path, "--json");
        var intake = await CliRunner.RunAs("tester", db.Configuration, "import", SampleCopy.Samples, "--json");

        import.ExitCode.Should().Be(ExitCodes.Ok, import.Error);
        using var report = System.Text.Json.JsonDocument.Parse(import.Out);
        report.RootElement.GetProperty("format").GetString().Should().Be("generic");
        report.RootElement.GetProperty("lines_read").GetInt32().Should().Be(1);
        report.RootElement.GetProperty("added").GetInt32().Should().Be(1);
        report.RootElement.GetProperty("outgoing").GetProperty("unmatched").GetInt32().Should().Be(1);
        using var files = System.Text.Json.JsonDocument.Parse(intake.Out);
        files.RootElement.GetProperty("files").EnumerateArray().Select(f => f.GetProperty("file").GetString()).Should().Contain("households.csv");
    }

    [Test]
    public async Task An_import_waiting_for_another_says_so_and_finishes_when_the_other_is_done()
    {
        var path = Write("wait.csv", Encoding.UTF8, string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,2026-06-01,-2.00,NL20INGB0001234567,Shop,x,");
        await using var other = new NpgsqlConnection(db.ConnectionString);
        await other.OpenAsync();
        await other.ExecuteAsync("SELECT pg_advisory_lock(x'4f6e747a42616e6b'::bigint)");

        var import = CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);
        await Task.Delay(TimeSpan.FromSeconds(2));
        import.IsCompleted.Should().BeFalse("the import waits for the lock");
        await other.ExecuteAsync("SELECT pg_advisory_unlock(x'4f6e747a42616e6b'::bigint)");
        var result = await import;

        result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
        result.Error.Should().Contain("Another statement import is running").And.NotContain("cannot reach the database");
        result.Out.Should().Contain("1 added");
    }

    /// <summary>The samples' April batch, exported; one of its rent payments.</summary>
    private async Task<(string EndToEndId, decimal Amount, NodaTime.LocalDate Date, string Iban)> ExportedRent()
    {
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
        var lifecycle = db.Services.GetRequiredService<BatchLifecycle>();
        await lifecycle.Approve(batch.Id, "bob");
        await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "april.xml"));
        await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.QueryFirstAsync<(string, decimal, NodaTime.LocalDate, string)>(
            "SELECT end_to_end_id, amount, execution_date, payee_iban FROM payments WHERE kind = 'rent' ORDER BY id LIMIT 1");
    }

    private static string Ing(string name, string direction, string amount) =>
        $"\"20260622\",\"{name}\",\"NL82BNGH0285010001\",\"NL86INGB0002445588\",\"OV\",\"{direction}\",\"{amount}\",\"Overschrijving\",\"{name}\"";

    private string Write(string name, Encoding encoding, params string[] lines)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllText(path, string.Join("\n", lines) + "\n", encoding is UTF8Encoding ? new UTF8Encoding(false) : encoding);
        return path;
    }
}
