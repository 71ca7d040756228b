using System.Text;
using FluentAssertions;
using NUnit.Framework;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>
/// A statement of several megabytes is read in parts on every core; these files are large enough
/// to be cut, with quoted line breaks that a cut must not fall into.
/// </summary>
public sealed class BankStatementReaderTests
{
    private const int Records = 40_000;

    // Every other record has a quoted line break, so a cut point is as likely inside quotes as not.
    private const int Spanning = 2;

    private string folder = "";

    [SetUp]
    public void CreateFolder() => folder = Directory.CreateTempSubdirectory("ontzorging-reader-").FullName;

    [TearDown]
    public void RemoveFolder() => Directory.Delete(folder, recursive: true);

    [Test]
    public void A_large_statement_is_read_in_parts_with_every_record_once_in_file_order_and_on_its_own_line()
    {
        var path = Write("large.csv", _ => null);

        var errors = new List<InputError>();
        var (format, lines) = BankStatementReader.Read(path, null, errors);

        errors.Should().BeEmpty();
        format.Should().Be(BankFormat.Generic);
        lines.Select(l => l.Reference).Should().Equal(Enumerable.Range(1, Records).Select(i => $"R{i}"));
        lines.Select(l => l.Line).Should().Equal(ExpectedLines());
        lines.Where(l => l.Description.Contains('\n')).Should().HaveCount(Records / Spanning);
    }

    [Test]
    public void Errors_anywhere_in_a_large_statement_name_their_line_in_the_file_in_order()
    {
        var path = Write("errors.csv", i => i switch
        {
            2 => "1O.00",
            Records - 5 => "twelve",
            _ => null,
        });

        var errors = new List<InputError>();
        var (_, lines) = BankStatementReader.Read(path, null, errors);

        var expected = ExpectedLines();
        lines.Should().BeEmpty("a statement with errors yields no lines");
        errors.Select(e => (e.Line, e.Column)).Should().Equal((expected[1], "amount"), (expected[Records - 6], "amount"));
    }

    [Test]
    public void A_record_with_a_field_too_many_late_in_a_large_statement_is_refused_with_its_line()
    {
        var path = Write("fields.csv", i => i == Records - 100 ? "-1.00,extra" : null);

        var errors = new List<InputError>();
        BankStatementReader.Read(path, null, errors);

        errors.Should().ContainSingle().Which.Line.Should().Be(ExpectedLines()[Records - 101]);
    }

    [Test]
    public void Dates_and_amounts_read_the_same_with_spaces_and_signs_and_impossible_ones_are_refused_with_line_and_column()
    {
        var path = Path.Combine(folder, "shapes.csv");
        File.WriteAllText(path, string.Join('\n',
            string.Join(',', BankStatementReader.GenericColumns),
            "NL82BNGH0285010001,2026-06-01,-12.50,NL20INGB0001234567,Zuid,rent,R1",
            "NL82BNGH0285010001, 2026-06-02 ,+7.5,NL20INGB0001234567,Zuid,refund,R2",
            "NL82BNGH0285010001,2028-02-29, -3 ,NL20INGB0001234567,Zuid,leap day,R3",
            "NL82BNGH0285010001,2026-02-30,1.00,NL20INGB0001234567,Zuid,no such day,R4",
            "NL82BNGH0285010001,2026-6-5,1.00,NL20INGB0001234567,Zuid,short date,R5",
            "NL82BNGH0285010001,2026-06-06,1.005,NL20INGB0001234567,Zuid,three decimals,R6",
            "NL82BNGH0285010001,2026-06-07,-+1.00,NL20INGB0001234567,Zuid,two signs,R7") + "\n", new UTF8Encoding(false));

        var errors = new List<InputError>();
        BankStatementReader.Read(path, null, errors);
        errors.Select(e => (e.Line, e.Column)).Should().Equal((5, "booking_date"), (6, "booking_date"), (7, "amount"), (8, "amount"));

        File.WriteAllLines(path, File.ReadAllLines(path).Take(4), new UTF8Encoding(false));
        errors.Clear();
        var (_, lines) = BankStatementReader.Read(path, null, errors);
        errors.Should().BeEmpty();
        lines.Select(l => (l.BookingDate, l.Amount.Cents)).Should().Equal(
            (new NodaTime.LocalDate(2026, 6, 1), -1250), (new NodaTime.LocalDate(2026, 6, 2), 750), (new NodaTime.LocalDate(2028, 2, 29), -300));
    }

    /// <summary>The line each record starts on: the header is line 1, and every <see cref="Spanning"/>th record spans two lines.</summary>
    private static int[] ExpectedLines()
    {
        var lines = new int[Records];
        var line = 2;
        for (var i = 1; i <= Records; i++)
        {
            lines[i - 1] = line;
            line += i % Spanning == 0 ? 2 : 1;
        }

        return lines;
    }

    /// <summary>A generic statement of <see cref="Records"/> records; <paramref name="amount"/> may replace the amount of record i.</summary>
    private string Write(string name, Func<int, string?> amount)
    {
        var text = new StringBuilder(string.Join(',', BankStatementReader.GenericColumns)).Append('\n');
        for (var i = 1; i <= Records; i++)
        {
            var description = i % Spanning == 0 ? $"\"two lines, \"\"quoted\"\"\nfor record {i}\"" : $"payment {i} for the household";
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"NL82BNGH0285010001,2026-06-{1 + (i % 28):00},{amount(i) ?? $"-{i % 500}.25"},NL20INGB0001234567,Woonstichting Zuid,{description},R{i}\n");
        }

        var path = Path.Combine(folder, name);
        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }
}
