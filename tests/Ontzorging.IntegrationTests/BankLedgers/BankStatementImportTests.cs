using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

public sealed class BankStatementImportTests
{
    private ScratchDatabase db = null!;
    private string folder = "";

    private BankStatementImporter Importer => db.Services.GetRequiredService<BankStatementImporter>();

    [SetUp]
    public void CreateDatabase()
    {
        db = ScratchDatabase.Create();
        folder = Directory.CreateTempSubdirectory("ontzorging-bank-").FullName;
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        Directory.Delete(folder, recursive: true);
    }

    [TestCase("ing-comma.csv", BankFormat.Ing, 6)]
    [TestCase("ing-semicolon.csv", BankFormat.IngSemicolon, 6)]
    [TestCase("abnamro-annotated.TAB", BankFormat.AbnAmro, 26, TestName = "The ABN AMRO sample imports once its comment and blank lines are skipped")]
    public async Task A_real_bank_export_is_detected_and_imported_and_importing_it_again_adds_nothing(string sample, BankFormat format, int lines)
    {
        var path = RepositoryPaths.RequireShared(Path.Combine("bank-samples", sample));

        var first = await Importer.Import(path, null, "auditor", dryRun: false);
        var again = await Importer.Import(path, null, "auditor", dryRun: false);

        (first.Format, first.Read, first.Added).Should().Be((format, lines, lines));
        again.Added.Should().Be(0);
        (await Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(lines);
        (await Scalar<long>("SELECT count(*) FROM bank_imports")).Should().Be(2, "every import is logged, also one that adds nothing");
    }

    [Test]
    public void A_line_keeps_the_identity_it_had_before_keys_became_uuids()
    {
        const string identity = "NL38BNGH0285000123|2026-06-01|-650.00|NL91ABNA0417164300|Woonstichting|huur juni\u001f1";
        var oldKey = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(Encoding.UTF8.GetBytes(identity)));

        var key = BankStatementImporter.IdentityKey(identity);

        key.ToString("N").Should().Be(oldKey[..32], "migration 0011 keeps the first 32 hex digits of each stored key");
    }

    [TestCase("NL91ABNA0417164300", "Woonstichting Zuid", "huur juni", "-650.05", 1)]
    [TestCase(null, "Crèche 't Kindje", "bijdrage € 12,50 — juni", "0.07", 3)]
    [TestCase("NL86INGB0002445588", "Belastingdienst", "", "-1234567.90", 12)]
    public void A_line_written_as_bytes_gets_the_key_of_its_identity_text(string? iban, string name, string description, string amount, int occurrence)
    {
        var line = new BankLine(7, "NL82BNGH0285010001", new NodaTime.LocalDate(2026, 6, 1), Ontzorging.Domain.Money.FromEuros(decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture)), iban, name, description, null);

        BankStatementImporter.IdentityKey(line, occurrence).Should().Be(BankStatementImporter.IdentityKey($"{line.Identity}\u001f{occurrence}"));
    }

    [Test]
    public async Task A_statement_line_that_names_a_payment_that_does_not_exist_is_refused()
    {
        var path = RepositoryPaths.RequireShared(Path.Combine("bank-samples", "ing-comma.csv"));
        await Importer.Import(path, null, "auditor", dryRun: false);
        // As the schema owner: the engine's role may not set a line's payment at all.
        await using var connection = new NpgsqlConnection(db.OwnerConnectionString);

        var act = () => connection.ExecuteAsync("UPDATE bank_lines SET status = 'matched', payment_id = -5 WHERE id = (SELECT min(id) FROM bank_lines)");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be("a bank statement line names payment -5, which does not exist");
    }

    [Test]
    public async Task Lines_written_together_are_refused_when_any_of_them_names_an_import_that_does_not_exist()
    {
        await Importer.Import(Generic("a.csv", Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-01", "-13.00", "tea")), null, "auditor", dryRun: false);
        await using var connection = new NpgsqlConnection(db.ConnectionString);

        // The first line written names the real import, the second one an import that never was.
        var act = () => connection.ExecuteAsync("""
            INSERT INTO bank_lines (import_id, identity_key, account, booking_date, amount, counterparty_name, description, occurrence)
            SELECT CASE WHEN amount = -12.50 THEN import_id ELSE -7 END, gen_random_uuid(), account, booking_date, amount, counterparty_name, description, occurrence
              FROM bank_lines ORDER BY amount DESC
            """);

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be("a bank statement line names import -7, which does not exist");
    }

    [Test]
    public async Task Ing_af_is_money_out_and_bij_is_money_in_with_decimal_commas()
    {
        var path = RepositoryPaths.RequireShared(Path.Combine("bank-samples", "ing-comma.csv"));

        await Importer.Import(path, null, "auditor", dryRun: false);

        (await Scalar<decimal>("SELECT amount FROM bank_lines WHERE counterparty_name = 'PAULISSEN G J L M'")).Should().Be(20.00m);
        (await Scalar<decimal>("SELECT amount FROM bank_lines WHERE counterparty_name = 'Kosten OranjePakket met korting'")).Should().Be(-1.25m);
    }

    [Test]
    public async Task Two_statements_of_the_same_transactions_in_different_formats_add_each_transaction_once()
    {
        await Importer.Import(RepositoryPaths.RequireShared(Path.Combine("bank-samples", "ing-comma.csv")), null, "auditor", dryRun: false);

        var semicolon = await Importer.Import(RepositoryPaths.RequireShared(Path.Combine("bank-samples", "ing-semicolon.csv")), null, "auditor", dryRun: false);

        semicolon.Added.Should().Be(0);
    }

    [Test]
    public async Task Two_genuinely_identical_transactions_on_one_day_are_both_kept_and_overlapping_statements_add_each_once()
    {
        var first = Generic("a.csv", Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-02", "100.00", "zorgtoeslag"));
        var overlapping = Generic("b.csv", Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-02", "100.00", "zorgtoeslag"),
            Line("2026-06-03", "-905.00", "rent"));

        (await Importer.Import(first, null, "auditor", dryRun: false)).Added.Should().Be(3);
        (await Importer.Import(overlapping, null, "auditor", dryRun: false)).Added.Should().Be(1);
        (await Scalar<long>("SELECT count(*) FROM bank_lines WHERE description = 'coffee'")).Should().Be(2);
    }

    [Test]
    public async Task Identical_transactions_apart_in_a_file_are_counted_in_file_order_and_a_longer_statement_adds_only_the_extra_one()
    {
        var first = Generic("a.csv", Line("2026-06-01", "-3.10", "coffee"), Line("2026-06-01", "-2.40", "tea"), Line("2026-06-01", "-3.10", "coffee"));
        var longer = Generic("b.csv", Line("2026-06-01", "-3.10", "coffee"), Line("2026-06-01", "-3.10", "coffee"), Line("2026-06-01", "-2.40", "tea"),
            Line("2026-06-01", "-3.10", "coffee"));

        (await Importer.Import(first, null, "auditor", dryRun: false)).Added.Should().Be(3);
        (await Importer.Import(longer, null, "auditor", dryRun: false)).Added.Should().Be(1);

        (await Rows<int>("SELECT occurrence FROM bank_lines WHERE description = 'coffee' ORDER BY occurrence")).Should().Equal(1, 2, 3);
        (await Rows<int>("SELECT occurrence FROM bank_lines WHERE description = 'tea'")).Should().Equal(1);
    }

    [Test]
    public async Task A_statement_on_days_that_already_have_lines_adds_every_line_it_does_not_share()
    {
        await Importer.Import(Generic("a.csv", Line("2026-06-01", "-3.10", "coffee")), null, "auditor", dryRun: false);

        var later = await Importer.Import(Generic("b.csv", Line("2026-06-01", "-2.40", "tea"), Line("2026-06-02", "-1.80", "bread")), null, "auditor", dryRun: false);

        later.Added.Should().Be(2);
        (await Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(3);
    }

    [Test]
    public async Task The_new_lines_of_an_import_take_one_block_of_ids_in_identity_order_and_the_next_import_continues_after_it()
    {
        await Importer.Import(Generic("a.csv", Line("2026-06-01", "-3.10", "coffee"), Line("2026-06-01", "-2.40", "tea"), Line("2026-06-02", "100.00", "zorgtoeslag")),
            null, "auditor", dryRun: false);
        await Importer.Import(Generic("b.csv", Line("2026-06-01", "-3.10", "coffee"), Line("2026-06-03", "-1.80", "bread"), Line("2026-06-04", "-0.90", "apple")),
            null, "auditor", dryRun: false);

        var first = await Rows<long>("SELECT id FROM bank_lines WHERE import_id = (SELECT min(id) FROM bank_imports) ORDER BY identity_key");
        var second = await Rows<long>("SELECT id FROM bank_lines WHERE import_id = (SELECT max(id) FROM bank_imports) ORDER BY identity_key");
        first.Should().HaveCount(3).And.BeInAscendingOrder();
        (first[2] - first[0]).Should().Be(2);
        second.Should().Equal(first[2] + 1, first[2] + 2);
    }

    [Test]
    public async Task A_malformed_amount_on_line_5000_exits_2_names_line_and_column_and_writes_nothing()
    {
        var rows = Enumerable.Range(1, 5_999).Select(i => Line("2026-06-01", i == 4_999 ? "\"12,50\"" : $"{i}.00", $"line {i + 1}")).ToArray();
        var path = Generic("big.csv", rows);

        var result = await CliRunner.Run(db.Configuration, "ledger", "import", path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("big.csv line 5000, column amount").And.Contain("nothing was written");
        (await Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
        (await Scalar<long>("SELECT count(*) FROM bank_imports")).Should().Be(0);
    }

    [Test]
    public async Task A_row_with_a_field_too_many_is_refused_with_its_line()
    {
        var path = Generic("a.csv", Line("2026-06-01", "-12.50", "coffee"), Line("2026-06-01", "12,50", "unquoted decimal comma"));

        var act = () => Importer.Import(path, null, "auditor", dryRun: false);

        (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle().Which.Line.Should().Be(3);
    }

    [Test]
    public async Task A_dry_run_reports_what_would_be_added_and_writes_nothing()
    {
        var path = Generic("a.csv", Line("2026-06-01", "-12.50", "coffee"));

        var result = await CliRunner.Run(db.Configuration, "ledger", "import", path, "--dry-run");

        result.Out.Should().Contain("1 would be added").And.Contain("Nothing was written");
        (await Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(0);
    }

    [Test]
    public async Task A_windows_1252_export_is_read_with_its_accents()
    {
        var path = Path.Combine(folder, "rabo.csv");
        var header = "\"IBAN/BBAN\",\"Munt\",\"BIC\",\"Volgnr\",\"Datum\",\"Rentedatum\",\"Bedrag\",\"Saldo na trn\",\"Tegenrekening IBAN/BBAN\",\"Naam tegenpartij\",\"Naam uiteindelijke partij\",\"Naam initiërende partij\",\"BIC tegenpartij\",\"Code\",\"Batch ID\",\"Transactiereferentie\",\"Machtigingskenmerk\",\"Incassant ID\",\"Betalingskenmerk\",\"Omschrijving-1\",\"Omschrijving-2\",\"Omschrijving-3\",\"Reden retour\",\"Oorspr bedrag\",\"Oorspr munt\",\"Koers\"";
        var row = "\"NL82BNGH0285010001\",\"EUR\",\"BNGHNL2G\",\"000000000000000001\",\"2026-06-22\",\"2026-06-22\",\"+1.520,00\",\"+1.520,00\",\"NL86INGB0002445588\",\"Belastingdienst/Toeslagen\",\"\",\"\",\"\",\"cb\",\"\",\"\",\"\",\"\",\"\",\"Huurtoeslag HH-0001 café\",\"\",\"\",\"\",\"\",\"\",\"\"";
        await File.WriteAllTextAsync(path, header + "\r\n" + row + "\r\n", Encoding.GetEncoding(1252));

        var report = await Importer.Import(path, null, "auditor", dryRun: false);

        report.Format.Should().Be(BankFormat.Rabobank);
        (await Scalar<string>("SELECT description FROM bank_lines")).Should().Be("Huurtoeslag HH-0001 café");
        (await Scalar<decimal>("SELECT amount FROM bank_lines")).Should().Be(1520.00m);
    }

    private static string Line(string date, string amount, string description) => $"NL82BNGH0285010001,{date},{amount},NL20INGB0001234567,Woonstichting,{description},";

    private string Generic(string name, params string[] rows)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllLines(path, [string.Join(',', BankStatementReader.GenericColumns), .. rows]);
        return path;
    }

    private async Task<List<T>> Rows<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }
}
