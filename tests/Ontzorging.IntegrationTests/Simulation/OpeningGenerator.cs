using System.Globalization;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.IntegrationTests.Simulation;

/// <summary>
/// Intake files of random households for the opening-position property (docs/rules.md §20): both
/// leefgeld frequencies, one or two adults with children, starts from March to July 2026 on any day,
/// rents that sometimes outrun the bijstand (credit up to the cap, then arrears), toeslagen routed or
/// not that land on any day of the month (also between a preparation and a cut-over), back-payments,
/// write-offs, extensions and early ends of bijstand.
/// </summary>
internal static class OpeningGenerator
{
    public static async Task Write(string directory, IReadOnlyList<int> seeds)
    {
        Directory.CreateDirectory(directory);
        var households = new List<string[]>();
        var persons = new List<string[]>();
        var contracts = new List<string[]>();
        var incomes = new List<string[]>();
        var receipts = new List<string[]>();
        var events = new List<string[]>();
        var bsn = 111_222_000;
        string NextBsn()
        {
            while (true)
            {
                var text = (bsn++).ToString(CultureInfo.InvariantCulture);
                if (Bsn.Parse(text).Success)
                {
                    return text;
                }
            }
        }

        static string Euros(int cents) => new Money(cents).ToString();
        static LocalDate Day(Random random, YearMonth month) => month.OnDayOfMonth(1 + random.Next(month.Calendar.GetDaysInMonth(month.Year, month.Month)));

        for (var i = 0; i < seeds.Count; i++)
        {
            var random = new Random(seeds[i]);
            var reference = $"HH-P{i:0000}";
            var start = Day(random, new YearMonth(2026, 3 + random.Next(5)));
            var adults = 1 + random.Next(2);
            var children = random.Next(4);
            households.Add([reference, "GM0344", Formats.Text(start), $"{adults}", $"{children}", DutchIban("INGB", 700_000_000 + i),
                random.Next(2) == 0 ? "weekly" : "monthly", ""]);
            for (var a = 0; a < adults; a++)
            {
                persons.Add([reference, NextBsn(), $"Volwassene {i}-{a + 1}", "1984-04-04", "adult"]);
            }

            for (var c = 0; c < children; c++)
            {
                persons.Add([reference, NextBsn(), $"Kind {i}-{c + 1}", "2017-07-07", "child"]);
            }

            // A tight household (a fifth) pays more rent than its bijstand carries: credit, then arrears.
            var tight = random.Next(5) == 0;
            var bijstand = tight ? 70_000 + random.Next(30_000) : 110_000 + random.Next(90_000);
            var rent = tight ? 90_000 + random.Next(30_000) : 55_000 + random.Next(50_000);
            contracts.Add([reference, "rent", "Woonstichting Proef", DutchIban("RABO", 320_000_001), Euros(rent), $"{1 + random.Next(28)}", "",
                "2025-01-01", "", ""]);
            contracts.Add([reference, "health_insurance", "Zorgverzekeraar Proef", DutchIban("RABO", 320_000_002), Euros(12_000 * adults + random.Next(3_000)),
                "1", "", "2026-01-01", "", ""]);
            contracts.Add([reference, "energy", "Energie Proef", DutchIban("RABO", 320_000_003), Euros(8_000 + random.Next(15_000)), $"{1 + random.Next(31)}", "",
                "2025-01-01", "", ""]);
            contracts.Add([reference, "water", "Water Proef", DutchIban("RABO", 320_000_004), Euros(1_500 + random.Next(3_000)), $"{1 + random.Next(31)}", "",
                "2025-01-01", "", ""]);
            if (random.Next(4) == 0)
            {
                contracts.Add([reference, "municipal_tax", "Gemeente Proef", DutchIban("RABO", 320_000_005), Euros(3_000 + random.Next(3_000)), "28", "",
                    "2026-01-01", "", Formats.Text(start.PlusDays(random.Next(40)))]);
            }

            var first = start.ToYearMonth();
            incomes.Add([reference, "bijstand", Euros(bijstand), Formats.Text(first), "", "true", ""]);
            foreach (var (kind, monthly) in new[] { ("huurtoeslag", 20_000 + random.Next(25_000)), ("zorgtoeslag", 12_900 * adults) })
            {
                var routed = random.Next(5) != 0;
                incomes.Add([reference, kind, Euros(monthly), Formats.Text(first), "", routed ? "true" : "false", Formats.Text(start.PlusDays(random.Next(10)))]);
                if (random.Next(6) == 0)
                {
                    continue; // never comes
                }

                // A back-payment 2 to 6 months in, then month by month on any day; now and then a month missed.
                var backTo = first.PlusMonths(1 + random.Next(5));
                var months = 1 + (backTo.Year * 12 + backTo.Month) - (first.Year * 12 + first.Month);
                receipts.Add([reference, kind, Euros(monthly * months), Formats.Text(Day(random, backTo)), Formats.Text(first), Formats.Text(backTo), ""]);
                for (var month = backTo.PlusMonths(1); month <= new YearMonth(2027, 2); month = month.PlusMonths(1))
                {
                    if (random.Next(8) != 0)
                    {
                        receipts.Add([reference, kind, Euros(monthly), Formats.Text(Day(random, month.PlusMonths(-1))), Formats.Text(month), Formats.Text(month), ""]);
                    }
                }
            }

            var eventDay = Day(random, first.PlusMonths(1 + random.Next(6)));
            switch (random.Next(6))
            {
                case 0:
                    events.Add([reference, Formats.Text(eventDay), "write_off", random.Next(2) == 0 ? "all" : Euros(1_000 + random.Next(20_000)), "kwijtschelding", ""]);
                    break;
                case 1:
                    events.Add([reference, Formats.Text(eventDay), "extension", $"{1 + random.Next(3)}", "nog niet zelfredzaam", ""]);
                    break;
                case 2:
                    events.Add([reference, Formats.Text(eventDay), "bijstand_end", Formats.Text(eventDay.PlusDays(random.Next(40))), "werk gevonden", ""]);
                    break;
            }
        }

        await CsvFiles.Write(Path.Combine(directory, "households.csv"), ["household_ref", "municipality", "bijstand_start", "adults", "children", "iban", "leefgeld_frequency", "language"], households);
        await CsvFiles.Write(Path.Combine(directory, "persons.csv"), ["household_ref", "bsn", "name", "date_of_birth", "role"], persons);
        await CsvFiles.Write(Path.Combine(directory, "contracts.csv"),
            ["household_ref", "kind", "creditor_name", "creditor_iban", "amount", "due_day", "reference", "valid_from", "valid_to", "consent_on"], contracts);
        await CsvFiles.Write(Path.Combine(directory, "incomes.csv"), ["household_ref", "kind", "amount", "from_month", "to_month", "routed", "applied_on"], incomes);
        await CsvFiles.Write(Path.Combine(directory, "receipts.csv"), ["household_ref", "kind", "amount", "received_on", "covers_from", "covers_to", "reference"], receipts);
        await CsvFiles.Write(Path.Combine(directory, "events.csv"), ["household_ref", "date", "event", "value", "reason", "recorded_by"], events);
    }

    /// <summary>A Dutch IBAN with a valid check (mod 97) for a bank code and account number.</summary>
    public static string DutchIban(string bank, long account)
    {
        var digits = string.Concat($"{bank}{account:0000000000}NL00".Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(CultureInfo.InvariantCulture) : c.ToString()));
        var remainder = digits.Aggregate(0, (r, c) => (r * 10 + (c - '0')) % 97);
        return $"NL{98 - remainder:00}{bank}{account:0000000000}";
    }
}
