using System.Text;
using CsCheck;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>Each bank format reads exactly the amounts it writes and refuses every other shape; no I/O.</summary>
public sealed class BankAmountShapeTests
{
    private static readonly (string Name, BankAmountShape Shape, bool Signed)[] Shapes =
    [
        ("ing", BankAmountShape.Ing, false),
        ("rabobank/abnamro", BankAmountShape.SignedDecimalComma, true),
        ("generic", BankAmountShape.Generic, true),
    ];

    // Up to the largest amount a line may carry: 999,999,999.99.
    private static readonly Gen<long> Cents = Gen.Long[0, 99_999_999_999L];

    [Test]
    public void Any_amount_written_the_way_a_format_writes_it_reads_back_exactly()
    {
        foreach (var (name, shape, signed) in Shapes)
        {
            Gen.Select(Cents, Gen.Bool, Gen.Bool, Gen.Bool).Sample((cents, negative, grouped, plus) =>
            {
                var amount = new Money(signed && negative ? -cents : cents);
                var text = shape.Write(amount, grouped, plus);

                shape.TryRead(text.AsSpan(), out var read).Should().BeTrue($"{name} writes '{text}'");
                read.Should().Be(amount);
                shape.TryRead(Encoding.UTF8.GetBytes(text), out var fromBytes).Should().BeTrue();
                fromBytes.Should().Be(amount);
            }, iter: 20_000);
        }
    }

    [Test]
    public void Any_text_a_format_accepts_is_the_written_form_of_the_amount_it_reads()
    {
        // Random strings over the characters amounts are made of: whatever is accepted must be one
        // of the ways the format writes that very amount, so nothing is read at another scale.
        var text = Gen.Char["0123456789.,+- "].Array[0, 16].Select(c => new string(c));
        foreach (var (name, shape, _) in Shapes)
        {
            text.Sample(s =>
            {
                if (shape.TryRead(s.AsSpan(), out var amount))
                {
                    var forms = new[] { shape.Write(amount, false, false), shape.Write(amount, true, false), shape.Write(amount, false, true), shape.Write(amount, true, true) };
                    var generic = shape == BankAmountShape.Generic;
                    (forms.Contains(s) || (generic && Money.Parse(s.TrimStart('-', '+')).Success)).Should().BeTrue($"{name} read '{s}' as {amount}");
                }
            }, iter: 50_000);
        }
    }

    [TestCase("ing", "129.00", TestName = "ING refuses 129.00: with a decimal comma format it could be 129 or 12,900")]
    [TestCase("ing", "129", TestName = "ING refuses an amount without its two decimals")]
    [TestCase("ing", "129,0", TestName = "ING refuses one decimal")]
    [TestCase("ing", "1,290.00", TestName = "ING refuses English thousands separators")]
    [TestCase("ing", "12.90,00", TestName = "ING refuses a thousands dot that does not separate three digits")]
    [TestCase("ing", "-129,00", TestName = "ING refuses a sign: its direction is in Af Bij")]
    [TestCase("ing", "1234.567,00", TestName = "ING refuses a group of four digits")]
    [TestCase("rabobank/abnamro", "+129.00", TestName = "Rabobank refuses a decimal point")]
    [TestCase("rabobank/abnamro", "1000000000,00", TestName = "Rabobank refuses an amount of a billion or more")]
    [TestCase("rabobank/abnamro", "+-5,00", TestName = "Rabobank refuses two signs")]
    [TestCase("generic", "129,00", TestName = "The generic format refuses a decimal comma")]
    [TestCase("generic", "1.290.00", TestName = "The generic format refuses a second point")]
    [TestCase("generic", "9999999999999.99", TestName = "The generic format refuses an amount beyond what a line may carry")]
    [TestCase("generic", "", TestName = "An empty amount is refused")]
    public void An_ambiguous_or_foreign_amount_is_refused(string format, string text)
    {
        var shape = Shapes.Single(s => s.Name == format).Shape;

        shape.TryRead(text.AsSpan(), out _).Should().BeFalse();
    }

    [Test]
    public void Random_bytes_never_yield_a_statement_line_without_an_error()
    {
        var folder = Directory.CreateTempSubdirectory("ontzorging-fuzz-").FullName;
        try
        {
            var header = Encoding.UTF8.GetBytes(string.Join(',', BankStatementReader.GenericColumns) + "\n");
            Gen.Byte.Array[0, 300].Sample(bytes =>
            {
                var path = Path.Combine(folder, $"{Environment.CurrentManagedThreadId}.csv");
                File.WriteAllBytes(path, [.. header, .. bytes]);
                var errors = new List<InputError>();
                var (_, lines) = BankStatementReader.Read(path, BankFormat.Generic, errors);

                // Either refused with errors and no line, or lines that carry only what a line may.
                if (errors.Count > 0)
                {
                    lines.Should().BeEmpty();
                }

                foreach (var line in lines)
                {
                    Math.Abs(line.Amount.Cents).Should().BeLessThan(100_000_000_000L);
                    (line.Account + line.CounterpartyName + line.Description).Should().NotContain("\0");
                    SaneDates.Contains(line.BookingDate).Should().BeTrue();
                }
            }, iter: 3_000, threads: 1);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
