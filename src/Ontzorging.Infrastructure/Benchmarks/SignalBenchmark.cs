using System.Globalization;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Benchmarks;

/// <summary>How a toeslag of a generated household behaves: as the forecast expects, months late, or never.</summary>
public enum ToeslagBehaviour
{
    OnTime,
    Late,
    Never,
}

/// <summary>
/// How early the forecast watch warned (issue 23, docs/benchmarks.md): of the months in which a
/// household's leefgeld fell below the minimum or its credit stood at the cap, the share that the
/// watch had signalled 30 to 60 days before the month's first day, naming that month or an earlier
/// one. A month less than 30 days after the simulation began could not be warned of (the engine did
/// not know the household yet) and is counted apart.
/// </summary>
public sealed record SignalEvaluation(string Municipality, int Households, int RiskMonths, int Warnable, int Flagged, int HouseholdsSignalled, int HouseholdsAtRisk)
{
    public double Share => Warnable == 0 ? 1 : (double)Flagged / Warnable;
}

public static class SignalBenchmark
{
    private const string EvaluateSql = """
        WITH risk AS (
            SELECT bh.household_id, b.month
              FROM batch_households bh
              JOIN live_batches b ON b.id = bh.batch_id
              JOIN ledger_accounts a ON a.household_id = bh.household_id AND a.code LIKE 'credit:%'
             WHERE bh.leefgeld < bh.minimum_leefgeld OR bh.credit_outstanding >= a.cap)
        SELECT (SELECT count(*) FROM households)::int AS Households,
               count(*)::int AS RiskMonths,
               count(*) FILTER (WHERE r.month - 30 >= @First)::int AS Warnable,
               count(*) FILTER (WHERE r.month - 30 >= @First AND EXISTS (
                   SELECT 1 FROM forecast_signals s
                    WHERE s.household_id = r.household_id AND s.computed_on BETWEEN r.month - 60 AND r.month - 30 AND s.month <= r.month))::int AS Flagged,
               (SELECT count(DISTINCT household_id) FROM forecast_signals)::int AS HouseholdsSignalled,
               count(DISTINCT r.household_id)::int AS HouseholdsAtRisk
          FROM risk r
        """;

    /// <summary>Counts in the database of <paramref name="services"/>; <paramref name="firstDay"/> is the simulation's first day.</summary>
    public static async Task<SignalEvaluation> Evaluate(IServiceProvider services, string municipality, LocalDate firstDay, CancellationToken ct)
    {
        await using var connection = await ((NpgsqlDataSource)services.GetService(typeof(NpgsqlDataSource))!).OpenConnectionAsync(ct);
        var row = await connection.QuerySingleAsync<(int Households, int RiskMonths, int Warnable, int Flagged, int HouseholdsSignalled, int HouseholdsAtRisk)>(
            new CommandDefinition(EvaluateSql, new { First = firstDay }, cancellationToken: ct));
        return new SignalEvaluation(municipality, row.Households, row.RiskMonths, row.Warnable, row.Flagged, row.HouseholdsSignalled, row.HouseholdsAtRisk);
    }

    /// <summary>
    /// Writes the intake files of a generated municipality of <paramref name="count"/> households
    /// starting in March to May 2026, whose toeslagen behave by <paramref name="behaviour"/> (null:
    /// a mix of 40 % on time, 30 % late, 30 % never), from a fixed seed.
    /// </summary>
    public static async Task Generate(string directory, int count, ToeslagBehaviour? behaviour, int seed, Policy policy)
    {
        Directory.CreateDirectory(directory);
        var random = new Random(seed);
        var households = new List<string[]>();
        var persons = new List<string[]>();
        var contracts = new List<string[]>();
        var incomes = new List<string[]>();
        var receipts = new List<string[]>();
        var bsn = 100_000_000 + seed * 1_000;
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

        static string Euros(decimal amount) => amount.ToString("0.00", CultureInfo.InvariantCulture);
        for (var i = 1; i <= count; i++)
        {
            var reference = $"HH-G{i:0000}";
            var start = new LocalDate(2026, 3 + random.Next(3), random.Next(2) == 0 ? 1 : 15);
            var adults = random.Next(10) < 4 ? 1 : 2;
            var children = adults == 2 ? random.Next(4) : 0;
            households.Add([reference, "GM0344", Formats.Text(start), $"{adults}", $"{children}", BatchBenchmark.DutchIban("INGB", 600_000_000 + i),
                random.Next(10) < 3 ? "weekly" : "monthly", ""]);
            for (var a = 0; a < adults; a++)
            {
                persons.Add([reference, NextBsn(), $"Volwassene {i}-{a + 1}", "1985-05-05", "adult"]);
            }

            for (var c = 0; c < children; c++)
            {
                persons.Add([reference, NextBsn(), $"Kind {i}-{c + 1}", "2018-06-06", "child"]);
            }

            var rent = 650 + random.Next(60) * 10;
            contracts.Add([reference, "rent", "Woningcorporatie Voorbeeld", BatchBenchmark.DutchIban("RABO", 310_000_001), Euros(rent), "1", "", "2025-01-01", "", ""]);
            contracts.Add([reference, "health_insurance", "Zorgverzekeraar Voorbeeld", BatchBenchmark.DutchIban("RABO", 310_000_002), Euros(159 * adults), "1", "", "2026-01-01", "", ""]);
            contracts.Add([reference, "energy", "Energie Voorbeeld", BatchBenchmark.DutchIban("RABO", 310_000_003), Euros(110 + random.Next(10) * 10), "15", "", "2025-01-01", "", ""]);
            contracts.Add([reference, "water", "Water Voorbeeld", BatchBenchmark.DutchIban("RABO", 310_000_004), Euros(20 + random.Next(5) * 5), "20", "", "2025-01-01", "", ""]);

            var first = start.ToYearMonth();
            var applied = start.PlusDays(3 + random.Next(10));
            incomes.Add([reference, "bijstand", Euros(adults == 1 ? 1300 : 1858), Formats.Text(first), "", "true", ""]);
            var streams = new List<(IncomeKind Kind, decimal Amount)> { (IncomeKind.Huurtoeslag, 250 + random.Next(25) * 10), (IncomeKind.Zorgtoeslag, 129 * adults) };
            foreach (var (kind, amount) in streams)
            {
                incomes.Add([reference, kind.Code(), Euros(amount), Formats.Text(first), "", "true", Formats.Text(applied)]);
            }

            var behaves = behaviour ?? (random.Next(10) switch { < 4 => ToeslagBehaviour.OnTime, < 7 => ToeslagBehaviour.Late, _ => ToeslagBehaviour.Never });
            if (behaves == ToeslagBehaviour.Never)
            {
                continue;
            }

            // The first payment, with the back-payment from the first month: 8 to 12 weeks after the
            // application when on time, 5 to 8 months after the first month when late.
            var firstPayment = behaves == ToeslagBehaviour.OnTime
                ? applied.PlusWeeks(8 + random.Next(5))
                : first.PlusMonths(5 + random.Next(4)).OnDayOfMonth(1);
            foreach (var (kind, amount) in streams)
            {
                var paidThrough = first;
                while (ToeslagWatch.ExpectedArrival(kind, paidThrough.PlusMonths(1), policy) <= firstPayment)
                {
                    paidThrough = paidThrough.PlusMonths(1);
                }

                var landed = Max(firstPayment, ToeslagWatch.ExpectedArrival(kind, paidThrough, policy));
                var months = Period.Between(first.OnDayOfMonth(1), paidThrough.OnDayOfMonth(1), PeriodUnits.Months).Months + 1;
                receipts.Add([reference, kind.Code(), Euros(amount * months), Formats.Text(landed), Formats.Text(first), Formats.Text(paidThrough), ""]);
                for (var month = paidThrough.PlusMonths(1); month <= new YearMonth(2027, 1); month = month.PlusMonths(1))
                {
                    receipts.Add([reference, kind.Code(), Euros(amount), Formats.Text(ToeslagWatch.ExpectedArrival(kind, month, policy)), Formats.Text(month), Formats.Text(month), ""]);
                }
            }
        }

        await CsvFiles.Write(Path.Combine(directory, "households.csv"), ["household_ref", "municipality", "bijstand_start", "adults", "children", "iban", "leefgeld_frequency", "language"], households);
        await CsvFiles.Write(Path.Combine(directory, "persons.csv"), ["household_ref", "bsn", "name", "date_of_birth", "role"], persons);
        await CsvFiles.Write(Path.Combine(directory, "contracts.csv"),
            ["household_ref", "kind", "creditor_name", "creditor_iban", "amount", "due_day", "reference", "valid_from", "valid_to", "consent_on"], contracts);
        await CsvFiles.Write(Path.Combine(directory, "incomes.csv"), ["household_ref", "kind", "amount", "from_month", "to_month", "routed", "applied_on"], incomes);
        await CsvFiles.Write(Path.Combine(directory, "receipts.csv"), ["household_ref", "kind", "amount", "received_on", "covers_from", "covers_to", "reference"], receipts);
        await CsvFiles.Write(Path.Combine(directory, "events.csv"), ["household_ref", "date", "event", "value", "reason", "recorded_by"], []);
    }

    private static LocalDate Max(LocalDate a, LocalDate b) => a >= b ? a : b;
}
