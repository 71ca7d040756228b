using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Intake;

public sealed class IntakeImportTests
{
    private static readonly string[] Tables = ["households", "persons", "contracts", "contract_versions", "income_streams", "receipts", "decisions", "journal_entries", "ledger_accounts"];

    [Test]
    public async Task Importing_every_sample_file_adds_each_row_once_and_importing_again_adds_nothing()
    {
        await using var db = ScratchDatabase.Create();
        var importer = db.Services.GetRequiredService<IntakeImporter>();

        var first = await importer.Import(SampleCopy.Samples, "tester");
        var counts = await Counts(db);
        var second = await importer.Import(SampleCopy.Samples, "tester");

        // The samples start every household at its first month: they hold no openings.csv.
        foreach (var file in IntakeFiles.All.Where(f => File.Exists(Path.Combine(SampleCopy.Samples, f))))
        {
            var rows = File.ReadAllLines(Path.Combine(SampleCopy.Samples, file)).Length - 1;
            first.Files[file].Should().Be((rows, 0), "every row of samples/{0} is new the first time", file);
            second.Files[file].Should().Be((0, rows), "every row of samples/{0} is already present the second time", file);
        }

        counts["households"].Should().BeGreaterThanOrEqualTo(25);
        (await Counts(db)).Should().Equal(counts);
    }

    [Test]
    public async Task An_invalid_bsn_on_line_7_exits_2_names_file_line_and_column_and_leaves_the_database_as_it_was()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Persons, 7, line => ReplaceField(line, 1, "123456789"));
        var before = await Counts(db);

        var result = await CliRunner.Run(db.Configuration, "import", copy.Path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("persons.csv line 7, column bsn: BSN fails the 11-test").And.Contain("nothing was written");
        (await Counts(db)).Should().Equal(before);
    }

    [TestCase("households.csv", 3, 5, "NL00ABNA0123456789", "iban", "IBAN check digits", TestName = "An invalid household IBAN is refused")]
    [TestCase("households.csv", 3, 2, "2026-13-01", "bijstand_start", "not a date", TestName = "A malformed date is refused")]
    [TestCase("households.csv", 3, 3, "2", "adults", "persons.csv lists 1", TestName = "Adults that disagree with persons.csv are refused")]
    [TestCase("contracts.csv", 2, 0, "HH-9999", "household_ref", "unknown household", TestName = "A contract for an unknown household is refused")]
    [TestCase("contracts.csv", 2, 1, "parking", "kind", "unknown kind", TestName = "An unknown kind is refused")]
    [TestCase("contracts.csv", 2, 6, "1234567890123456", "reference", "betalingskenmerk check digit", TestName = "A betalingskenmerk failing its check digit is refused")]
    [TestCase("contracts.csv", 2, 4, "-905.00", "amount", "negative", TestName = "A negative amount is refused")]
    [TestCase("receipts.csv", 2, 2, "\"1800,00\"", "amount", "not an amount", TestName = "A malformed amount is refused")]
    [TestCase("receipts.csv", 2, 1, "bijstand", "kind", "never a receipt", TestName = "A bijstand receipt is refused")]
    [TestCase("incomes.csv", 2, 5, "false", "routed", "always routed", TestName = "Bijstand that is not routed is refused")]
    [TestCase("events.csv", 2, 3, "x", "value", "must be empty", TestName = "A training event with a value is refused")]
    [TestCase("households.csv", 3, 2, "9999-12-01", "bijstand_start", "outside the dates the engine accepts", TestName = "Intake refuses a bijstand start at the end of the calendar")]
    [TestCase("persons.csv", 2, 3, "1066-10-14", "date_of_birth", "outside the dates the engine accepts", TestName = "Intake refuses a birth date before 1900")]
    [TestCase("contracts.csv", 2, 2, "Woonstichting De Linie en Partners voor Betaalbaar Wonen in Voorbeeld-Zuid en Omstreken \U0001F3E0", "creditor_name", "at most 70", TestName = "Intake refuses a creditor name longer than SEPA carries, counted in characters")]
    [TestCase("persons.csv", 2, 2, "\"Saba\u0007 Alkhatib\"", "name", "control character", TestName = "Intake refuses a control character in a name")]
    [TestCase("persons.csv", 2, 2, "\"Saba\nAlkhatib\"", "name", "control character", TestName = "Intake refuses a line break in a name")]
    [TestCase("contracts.csv", 2, 4, "99999999999.00", "amount", "the most an intake amount may be", TestName = "Intake refuses an amount the ledger cannot carry")]
    [TestCase("incomes.csv", 2, 3, "9999-01", "from_month", "outside the dates the engine accepts", TestName = "Intake refuses a month far in the future")]
    [TestCase("persons.csv", 2, 2, "\u202Eevil\u202C", "name", "U+202E (right-to-left override) at character 1", TestName = "Intake refuses a right-to-left override in a name")]
    [TestCase("persons.csv", 3, 2, "Nahom\u200BAlkhatib", "name", "U+200B (zero width space) at character 6", TestName = "Intake refuses a zero-width space in a name")]
    [TestCase("persons.csv", 4, 2, "Omar\u2028Ibrahim", "name", "U+2028 (line separator)", TestName = "Intake refuses a line separator in a name")]
    [TestCase("contracts.csv", 2, 2, "Woonstichting\u2066 De Linie", "creditor_name", "U+2066 (left-to-right isolate)", TestName = "Intake refuses a bidi isolate in a creditor's name")]
    [TestCase("contracts.csv", 3, 6, "Polis\u200F 700001", "reference", "U+200F (right-to-left mark)", TestName = "Intake refuses a right-to-left mark in a payment reference")]
    [TestCase("receipts.csv", 2, 6, "Dienst\u2029Toeslagen", "reference", "U+2029 (paragraph separator)", TestName = "Intake refuses a paragraph separator in a receipt's reference")]
    [TestCase("events.csv", 2, 4, "Omgaan\uFEFF met geld", "reason", "U+FEFF (zero width no-break space)", TestName = "Intake refuses a zero width no-break space in a reason")]
    public async Task A_bad_field_is_reported_with_file_line_and_column_and_nothing_is_written(string file, int line, int field, string value, string column, string reason)
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(file, line, l => ReplaceField(l, field, value));

        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        var error = (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle().Subject;
        (error.File, error.Column).Should().Be((file, column));
        error.Line.Should().Be(line);
        error.Message.Should().Contain(reason);
        (await Counts(db)).Values.Should().OnlyContain(count => count == 0 || count == 6, "nothing is written (only the six municipal ledger accounts exist, cutover among them)");
    }

    [Test]
    public async Task An_intake_file_that_is_not_utf8_is_refused_naming_its_first_bad_line_instead_of_storing_garbled_names()
    {
        using var copy = new SampleCopy();
        var path = Path.Combine(copy.Path, IntakeFiles.Persons);
        var lines = File.ReadAllLines(path);
        lines[4] = ReplaceField(lines[4], 2, "José Müller");
        File.WriteAllText(path, string.Join("\n", lines) + "\n", Encoding.Latin1);

        // The municipality is already there, so only the file's encoding is in question (not whether
        // its households' persons agree).
        await using var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester2");

        var error = (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle().Subject;
        (error.File, error.Line).Should().Be((IntakeFiles.Persons, 5));
        error.Message.Should().Contain("not valid UTF-8");
    }

    [Test]
    public async Task An_optional_kind_without_consent_is_refused()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.AppendLine(IntakeFiles.Contracts, "HH-0001,insurance,Centraal Beheer,NL43INGB0007004004,18.50,1,,2026-01-01,,");

        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        var error = (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle().Subject;
        (error.File, error.Column).Should().Be((IntakeFiles.Contracts, "consent_on"));
        error.Message.Should().Contain("consent");
    }

    [Test]
    public async Task Overlapping_contract_versions_are_refused_naming_both()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        var rent = File.ReadLines(Path.Combine(copy.Path, IntakeFiles.Contracts)).First(l => l.StartsWith("HH-0001,rent,", StringComparison.Ordinal));
        copy.AppendLine(IntakeFiles.Contracts, ReplaceField(ReplaceField(rent, 4, "930.00"), 7, "2026-06-01"));

        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        var error = (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle().Subject;
        error.Message.Should().Contain("overlaps");
    }

    [Test]
    public async Task An_unknown_column_and_a_missing_column_are_refused()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Events, 1, header => header.Replace("recorded_by", "recorded_at", StringComparison.Ordinal));
        copy.ReplaceLine(IntakeFiles.Receipts, 1, header => header.Replace("covers_to", "covers_until", StringComparison.Ordinal));

        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        var errors = (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors;
        errors.Should().Contain(e => e.File == IntakeFiles.Events && e.Line == 1 && e.Column == "recorded_at" && e.Message.Contains("unknown column", StringComparison.Ordinal));
        errors.Should().Contain(e => e.File == IntakeFiles.Receipts && e.Column == "covers_to" && e.Message.Contains("missing", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_household_imported_again_with_other_values_is_refused()
    {
        await using var db = ScratchDatabase.Create();
        var importer = db.Services.GetRequiredService<IntakeImporter>();
        await importer.Import(SampleCopy.Samples, "tester");
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Households, 2, l => ReplaceField(l, 6, "weekly"));

        var act = () => importer.Import(copy.Path, "tester");

        (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Should().ContainSingle()
            .Which.Message.Should().Contain("imported before with other values");
    }

    [Test]
    public async Task Every_error_of_a_file_is_reported_not_only_the_first()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Persons, 2, l => ReplaceField(l, 1, "123456789"));
        copy.ReplaceLine(IntakeFiles.Persons, 4, l => ReplaceField(l, 3, "yesterday"));

        var act = () => db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        (await act.Should().ThrowAsync<InputRejectedException>()).Which.Errors.Select(e => (e.Line, e.Column)).Should().Equal((2, "bsn"), (4, "date_of_birth"));
    }

    internal static string ReplaceField(string line, int index, string value)
    {
        var fields = line.Split(',');
        fields[index] = value;
        return string.Join(',', fields);
    }

    internal static async Task<Dictionary<string, long>> Counts(ScratchDatabase db)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var counts = new Dictionary<string, long>();
        foreach (var table in Tables)
        {
            counts[table] = await connection.ExecuteScalarAsync<long>($"SELECT count(*) FROM {table}");
        }

        return counts;
    }
}
