using CsCheck;
using Dapper;
using NodaTime;
using Ontzorging.Cli;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>camt.053 statements (docs/rules.md §9): read through the official schema, refused whole on any error, one line per transaction whatever the format.</summary>
public sealed class Camt053ImportTests
{
    private string folder = "";

    [SetUp]
    public void Folder() => folder = Directory.CreateTempSubdirectory("ontzorging-camt-").FullName;

    [TearDown]
    public void Clean() => Directory.Delete(folder, recursive: true);

    private static readonly LocalDate Day = new(2026, 11, 2);

    private static IReadOnlyList<CamtEntry> ThreeEntries =>
    [
        new(Day, -920m, "Mitros Wonen", "NL64RABO0003300201", "rent HH-0025 2026-11", "HH-0025/C61/261101/1"),
        new(Day, 129m, "Belastingdienst/Toeslagen", "NL86INGB0002445588", "Zorgtoeslag HH-0001 2026-12 t/m 2026-12"),
        new(Day.PlusDays(1), -35.5m, "Café “De Zon” 😀", "NL44RABO0123456789", "koffie & <taart>"),
    ];

    private static async Task<(int Exit, string Error, long Imports, long Lines)> Import(ScratchDatabase db, string file)
    {
        var result = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", file);
        return (result.ExitCode, result.Error, await db.Scalar<long>("SELECT count(*) FROM bank_imports"), await db.Scalar<long>("SELECT count(*) FROM bank_lines"));
    }

    [Test]
    public async Task A_statement_whose_closing_balance_is_one_cent_off_is_refused_with_exit_2_naming_the_statement_and_nothing_is_written()
    {
        await using var db = ScratchDatabase.Create();
        var file = CamtFiles.Write(Path.Combine(folder, "off.xml"), ThreeEntries, closing: 250_000m - 920m + 129m - 35.5m + 0.01m);

        var (exit, error, imports, lines) = await Import(db, file);

        exit.Should().Be(ExitCodes.BadInput);
        error.Should().Contain("off.xml").And.Contain("statement TEST-STMT-1").And.Contain("does not add up").And.Contain("249173.51");
        (imports, lines).Should().Be((0L, 0L));
    }

    [TestCase("not-xml", "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>", "is not well-formed XML")]
    [TestCase("wrong-namespace", null, "is not a document this engine reads")]
    [TestCase("schema", null, "fails the camt.053.001.02 schema")]
    [TestCase("two-currencies", null, "a statement holds one currency")]
    [TestCase("no-iban", null, "without an IBAN")]
    public async Task A_file_that_is_not_a_valid_statement_is_refused_with_exit_2_file_line_and_column_and_nothing_is_written(string kind, string? text, string expected)
    {
        await using var db = ScratchDatabase.Create();
        var file = Path.Combine(folder, kind + ".xml");
        switch (kind)
        {
            case "wrong-namespace":
                CamtFiles.Write(file, ThreeEntries, namespaceUri: "urn:iso:std:iso:20022:tech:xsd:camt.052.001.02");
                break;
            case "schema":
                CamtFiles.Write(file, ThreeEntries);
                File.WriteAllText(file, File.ReadAllText(file).Replace("<CdtDbtInd>CRDT</CdtDbtInd><Sts>", "<Sts>", StringComparison.Ordinal));
                break;
            case "two-currencies":
                CamtFiles.Write(file, [.. ThreeEntries, new CamtEntry(Day, -10m, "Shop", "NL44RABO0123456789", "dollars", Currency: "USD")]);
                break;
            case "no-iban":
                CamtFiles.Write(file, ThreeEntries);
                File.WriteAllText(file, File.ReadAllText(file).Replace($"<Acct><Id><IBAN>{CamtFiles.Account}</IBAN></Id>", "<Acct><Id><Othr><Id>12345</Id></Othr></Id>", StringComparison.Ordinal));
                break;
            default:
                File.WriteAllText(file, text);
                break;
        }

        var (exit, error, imports, lines) = await Import(db, file);

        exit.Should().Be(ExitCodes.BadInput, error);
        error.Should().Contain($"{kind}.xml line ").And.Contain(expected);
        (imports, lines).Should().Be((0L, 0L));
    }

    [Test]
    public async Task The_same_transactions_from_a_camt053_statement_and_from_a_generic_csv_export_are_kept_once()
    {
        await using var db = ScratchDatabase.Create();
        var camt = CamtFiles.Write(Path.Combine(folder, "day.xml"), ThreeEntries);
        var csv = Path.Combine(folder, "day.csv");
        File.WriteAllLines(csv,
        [
            "account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            .. ThreeEntries.Select(e => string.Join(',', CamtFiles.Account, e.Date.ToString("yyyy-MM-dd", null), e.Amount.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture),
                e.Iban, Quoted(e.Name), Quoted(e.Text), e.EndToEndId)),
        ]);

        (await Import(db, camt)).Lines.Should().Be(3);
        var again = await Import(db, csv);

        again.Exit.Should().Be(ExitCodes.Ok, again.Error);
        again.Lines.Should().Be(3, "the export holds the same three transactions");
        (await db.Scalar<string>("SELECT string_agg(DISTINCT (bank_reference IS NOT NULL)::text, ',') FROM bank_lines")).Should().Be("true", "the camt.053 lines keep the bank's AcctSvcrRef");
    }

    private static string Quoted(string text) => "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [Test]
    public async Task Pending_and_informational_entries_are_left_out_and_the_balances_are_checked_on_booked_entries_only()
    {
        await using var db = ScratchDatabase.Create();
        var file = CamtFiles.Write(Path.Combine(folder, "pending.xml"), [.. ThreeEntries, new CamtEntry(Day, -99m, "Later", "NL44RABO0123456789", "pending", Status: "PDNG")], version: "08");

        var (exit, error, _, lines) = await Import(db, file);

        exit.Should().Be(ExitCodes.Ok, error);
        lines.Should().Be(3);
        (await db.Scalar<string>("SELECT string_agg(opening || '>' || closing, ';' ORDER BY booking_date) FROM bank_day_balances"))
            .Should().Be("250000.00>249209.00;249209.00>249173.50", "each day's balances come from the statement's own opening and entries");
    }

    [Test]
    public async Task A_collective_credit_becomes_one_line_per_transaction_and_one_whose_parts_do_not_add_up_is_refused()
    {
        await using var db = ScratchDatabase.Create();
        var good = CamtFiles.Write(Path.Combine(folder, "collective.xml"), [new CamtEntry(Day, 469m, Batch: true, BatchTransactions: 2,
            BatchPayments: [("TOESLAG-1", 340m), ("TOESLAG-2", 129m)])]);
        var bad = CamtFiles.Write(Path.Combine(folder, "collective-off.xml"), [new CamtEntry(Day, 470m, Batch: true, BatchTransactions: 2,
            BatchPayments: [("TOESLAG-1", 340m), ("TOESLAG-2", 129m)])]);

        var refused = await Import(db, bad);
        var imported = await Import(db, good);

        refused.Exit.Should().Be(ExitCodes.BadInput);
        refused.Error.Should().Contain("collective-off.xml line ").And.Contain("credits 470.00 for 2 transactions");
        imported.Exit.Should().Be(ExitCodes.Ok, imported.Error);
        (await db.Scalar<string>("SELECT string_agg(amount || ' ' || reference, ', ' ORDER BY amount) FROM bank_lines")).Should().Be("129.00 TOESLAG-2, 340.00 TOESLAG-1");
    }

    /// <summary>Any entries, in either version: the reader gives back each booked entry as written, in order, with the running balance.</summary>
    [Test]
    public void Whatever_a_statement_holds_the_reader_gives_back_every_booked_entry_as_the_bank_wrote_it()
    {
        var text = Gen.Char['!', '~'].Array[0, 20].Select(c => new string(c)).Select(s => s.Trim());
        var entry = Gen.Select(Gen.Int[0, 40], Gen.Long[-5_000_00, 5_000_00], text, text, Gen.Bool, Gen.Bool)
            .Select((days, cents, name, words, withIban, emoji) => new CamtEntry(Day.PlusDays(days), cents / 100m, name + (emoji ? " 👩‍👩‍👧" : ""),
                withIban ? "NL44RABO0123456789" : null, words, cents < 0 ? $"E2E-{Math.Abs(cents)}" : null));
        Gen.Select(entry.List[1, 30], Gen.Bool).Sample((entries, v08) =>
        {
            var file = CamtFiles.Write(Path.Combine(folder, $"p-{Guid.NewGuid():N}.xml"), entries, version: v08 ? "08" : "02");
            var errors = new List<InputError>();
            var (lines, notBooked) = Camt053Reader.Read(file, v08 ? Iso20022Message.Camt053V08 : Iso20022Message.Camt053V02, errors);
            File.Delete(file);

            errors.Should().BeEmpty(string.Join("\n", errors));
            notBooked.Should().Be(0);
            lines.Select(l => (l.BookingDate, l.Amount, l.CounterpartyName, l.CounterpartyIban, l.Description, l.Reference))
                .Should().Equal(entries.Select(e => (e.Date, Money.FromEuros(e.Amount), e.Name, e.Iban, e.Text, e.EndToEndId)));
            lines[^1].Balance.Should().Be(Money.FromEuros(250_000m + entries.Sum(e => e.Amount)));
            lines.Select(l => l.Line).Should().Equal(Enumerable.Range(1, lines.Count));
        }, iter: 200);
    }

    [Test]
    public void A_value_written_in_several_pieces_is_read_whole_as_the_schema_checks_it()
    {
        var file = CamtFiles.Write(Path.Combine(folder, "pieces.xml"), [new CamtEntry(Day, -12.50m, "Woonstad Rotterdam", "NL91ABNA0417164300", "huur november", "E2E-PIECES")]);
        // A CDATA section, a comment and a character reference split the IBAN, the name, the amount and the booking date.
        File.WriteAllText(file, File.ReadAllText(file)
            .Replace(">NL91ABNA0417164300<", "><![CDATA[NL91]]>ABNA<!-- -->0417164300<", StringComparison.Ordinal)
            .Replace(">Woonstad Rotterdam<", ">Woonstad<![CDATA[ Rotter]]>dam<", StringComparison.Ordinal)
            .Replace(">12.50<", ">1<!---->2.5&#x30;<", StringComparison.Ordinal)
            .Replace($"<BookgDt><Dt>{Day:yyyy-MM-dd}</Dt>", $"<BookgDt><Dt>{Day:yyyy-MM}<![CDATA[-{Day:dd}]]></Dt>", StringComparison.Ordinal));
        var errors = new List<InputError>();

        var line = Camt053Reader.Read(file, Iso20022Message.Camt053V02, errors).Lines.Single();

        errors.Should().BeEmpty(string.Join("\n", errors));
        (line.CounterpartyIban, line.CounterpartyName, line.Amount, line.BookingDate).Should().Be(("NL91ABNA0417164300", "Woonstad Rotterdam", Money.FromEuros(-12.50m), Day));
    }

    [Test]
    public async Task A_large_file_read_in_parts_on_every_core_gives_the_same_lines_and_the_same_errors_with_the_files_line_numbers()
    {
        var csv = Path.Combine(folder, "month.csv");
        var random = new Random(7);
        File.WriteAllLines(csv,
        [
            string.Join(',', BankStatementReader.GenericColumns),
            .. Enumerable.Range(1, 3000).Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture,
                $"{CamtFiles.Account},2026-06-{1 + random.Next(30):00},{(random.Next(2) == 0 ? -1 : 1) * random.Next(1, 99_999) / 100m:0.00},NL44RABO0123456789,Naam {i},omschrijving {i} é 😀,E2E-{i}")),
        ]);
        var xml = Path.Combine(folder, "month.xml");
        await Infrastructure.Benchmarks.ImportBenchmark.ToCamt053(csv, xml);
        File.WriteAllText(xml, File.ReadAllText(xml).Replace("><", ">\n<", StringComparison.Ordinal));

        List<InputError> wholeErrors = [], partErrors = [];
        var whole = Camt053Reader.Read(xml, Iso20022Message.Camt053V02, wholeErrors, partedFrom: long.MaxValue).Lines;
        var parts = Camt053Reader.Read(xml, Iso20022Message.Camt053V02, partErrors, partedFrom: 0).Lines;

        (wholeErrors.Count, partErrors.Count).Should().Be((0, 0));
        parts.Should().HaveCount(3000).And.Equal(whole);
        Infrastructure.BankLedgers.StatementParts.Of(xml, 4)!.Count.Should().BeGreaterThan(1);
        var oneLine = Path.Combine(folder, "one-line.xml");
        File.WriteAllText(oneLine, string.Concat(File.ReadAllLines(xml).Select(l => l.Trim())));
        Infrastructure.BankLedgers.StatementParts.Of(oneLine, 4).Should().BeNull("a file on one line is read in one pass, so that its columns are the file's");
        Camt053Reader.Read(oneLine, Iso20022Message.Camt053V02, partErrors, partedFrom: 0).Lines.Should().Equal(whole);

        // The 20th statement's closing balance one cent off, and an amount the schema refuses in the 25th.
        var text = File.ReadAllLines(xml);
        var closings = text.Select((l, i) => (l, i)).Where(x => x.l.Trim() == "<Cd>CLBD</Cd>").Select(x => x.i).ToList();
        var closing = closings[19] + 3; // <Cd>, </CdOrPrtry>, </Tp>, <Amt …>
        var amount = decimal.Parse(text[closing].Split('>')[1].Split('<')[0], System.Globalization.CultureInfo.InvariantCulture);
        text[closing] = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"<Amt Ccy=\"EUR\">{amount + 0.01m:0.00}</Amt>");
        var badAmount = text.Select((l, i) => (l, i)).First(x => x.i > closings[24] && x.l.TrimStart().StartsWith("<Amt", StringComparison.Ordinal)).i;
        text[badAmount] = "<Amt Ccy=\"EUR\">12,50</Amt>";
        File.WriteAllLines(xml, text);
        Camt053Reader.Read(xml, Iso20022Message.Camt053V02, wholeErrors, partedFrom: long.MaxValue);
        Camt053Reader.Read(xml, Iso20022Message.Camt053V02, partErrors, partedFrom: 0);

        partErrors.Select(e => (e.Line, e.Message)).Should().Equal(wholeErrors.Select(e => (e.Line, e.Message)));
        partErrors.Select(e => e.Line).Should().Contain(badAmount + 1);
        partErrors.Should().Contain(e => e.Message.Contains("does not add up", StringComparison.Ordinal));
    }
}
