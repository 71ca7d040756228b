using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Forecasts;

/// <summary>
/// docs/rules.md §16: the forecast is the batch's own arithmetic carried forward. Made after the
/// first batch, and with the receipts then arriving exactly as it expects, it equals to the cent
/// the rows of monthly.csv that the later batches produce.
/// </summary>
public sealed class ForecastTests
{
    [TestCase("A", "2026-04", "2026-12", TestName = "The forecast after worked example A's first batch equals what its later batches do when the toeslagen arrive as expected")]
    [TestCase("B", "2026-04", "2026-11", TestName = "The forecast after worked example B's first batch equals what its later batches do when the toeslagen arrive as expected")]
    [TestCase("samples", "2026-03", "2026-12", TestName = "The forecast after the samples' first batch equals, for every sample household, what the later batches do when receipts arrive as expected")]
    public async Task Forecast_after_the_first_batch_equals_the_later_batches(string example, string from, string to)
    {
        var input = example == "samples" ? SampleCopy.Samples : RepositoryPaths.Docs(Path.Combine("examples", example, "input"));
        var (first, last) = (Formats.Month(from).Value, Formats.Month(to).Value);
        var asOf = HouseholdMonth.PreparationDay(first, Policy.Default);
        using var moved = new ScratchFolder();

        // The first batch only, then every household's forecast as of its preparation day.
        List<ForecastView> forecasts;
        await using (var before = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))))
        {
            await new SimulationRunner(before.Services).Run(input, first, first, moved.Sub("first"));
            var forecaster = before.Services.GetRequiredService<HouseholdForecasts>();
            forecasts = [];
            foreach (var reference in References(input))
            {
                forecasts.Add((await forecaster.For(reference, asOf, ForecastScenario.Expected))!);
            }
        }

        // The same intake, with the receipts the forecast expects in place of the real ones.
        foreach (var file in Directory.GetFiles(input, "*.csv").Where(f => Path.GetFileName(f) != "receipts.csv"))
        {
            File.Copy(file, Path.Combine(moved.Path, Path.GetFileName(file)));
        }

        await CsvFiles.Write(Path.Combine(moved.Path, "receipts.csv"), ["household_ref", "kind", "amount", "received_on", "covers_from", "covers_to", "reference"],
            forecasts.SelectMany(f => f.Forecast.Expected.Select(r => new[]
            {
                f.Household.Reference, r.Kind.Code(), r.Amount.ToString(), Formats.Text(r.ReceivedOn), Formats.Text(r.CoversFrom), Formats.Text(r.CoversTo), "",
            })));
        forecasts.SelectMany(f => f.Forecast.Expected).Should().NotBeEmpty("the forecast expects toeslagen, so the comparison moves money");

        await using var after = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        var output = moved.Sub("out");
        await new SimulationRunner(after.Services).Run(moved.Path, first, last, output);

        var actual = File.ReadAllLines(Path.Combine(output, SimulationOutput.Monthly)).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')).ToList();
        foreach (var view in forecasts)
        {
            var through = view.Forecast.Months[^1].Month;
            var done = actual.Where(r => r[0] == view.Household.Reference && Formats.Month(r[1]).Value > first && Formats.Month(r[1]).Value <= through)
                .Select(r => string.Join(',', r)).ToList();
            var foreseen = view.Forecast.InBatch.Where(m => m.Month <= last).Select(m => string.Join(',', HouseholdForecasts.MonthlyRow(view.Household.Reference, m))).ToList();
            foreseen.Should().Equal(done, "{0}'s forecast as of {1} must be what the batches did, to the cent", view.Household.Reference, asOf);
        }
    }

    [Test]
    public async Task A_forecast_in_csv_has_the_columns_of_monthly_csv_and_an_unknown_household_exits_2()
    {
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        using var folder = new ScratchFolder();
        await new SimulationRunner(db.Services).Run(RepositoryPaths.Docs(Path.Combine("examples", "A", "input")), new YearMonth(2026, 4), new YearMonth(2026, 4), folder.Path);

        var csv = await CliRunner.Run(db.Configuration, "forecast", "--household", "HH-A", "--as-of", "2026-03-24", "--format", "csv");
        csv.ExitCode.Should().Be(0, csv.Error);
        var lines = csv.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(string.Join(',', HouseholdForecasts.MonthlyColumns));
        lines[1].Should().StartWith("HH-A,2026-05,1300.00,0.00,107.33,1234.00,0.00,173.33,0.00,214.66", "May draws as the worked example does while no toeslag has come");

        var unknown = await CliRunner.Run(db.Configuration, "forecast", "--household", "HH-NOPE");
        unknown.ExitCode.Should().Be(2);
        unknown.Error.Should().Contain("--household").And.Contain("HH-NOPE");

        var badDate = await CliRunner.Run(db.Configuration, "forecast", "--household", "HH-A", "--as-of", "2026-02-30");
        badDate.ExitCode.Should().Be(2);
        badDate.Error.Should().Contain("--as-of");
    }

    [Test]
    public async Task A_toeslag_that_never_comes_shows_a_month_at_risk_that_the_expected_scenario_does_not()
    {
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        using var folder = new ScratchFolder();
        await new SimulationRunner(db.Services).Run(RepositoryPaths.Docs(Path.Combine("examples", "B", "input")), new YearMonth(2026, 4), new YearMonth(2026, 4), folder.Path);
        var forecaster = db.Services.GetRequiredService<HouseholdForecasts>();
        var asOf = new LocalDate(2026, 3, 24);

        var expected = (await forecaster.For("HH-B", asOf, ForecastScenario.Expected))!.Forecast;
        var never = (await forecaster.For("HH-B", asOf, ForecastScenario.Never))!.Forecast;
        var late = (await forecaster.For("HH-B", asOf, ForecastScenario.Late))!.Forecast;

        expected.Expected.Should().Contain(r => r.Kind == IncomeKind.Zorgtoeslag && r.CoversFrom == new YearMonth(2026, 5),
            "the zorgtoeslag applied for on 20 April is expected by its decision deadline, with the back-payment from May");
        never.Expected.Should().BeEmpty();
        never.FirstRisk.Should().NotBeNull("without the zorgtoeslag the family draws 399.67 a month and reaches its cap of 1500");
        never.FirstRisk!.Risk.Should().HaveFlag(RiskKind.CreditCap);
        late.Expected.Where(r => r.Kind == IncomeKind.Zorgtoeslag).Min(r => r.ReceivedOn)
            .Should().BeGreaterThan(expected.Expected.Where(r => r.Kind == IncomeKind.Zorgtoeslag).Min(r => r.ReceivedOn).PlusMonths(2));
    }

    private static IEnumerable<string> References(string input) =>
        File.ReadAllLines(Path.Combine(input, "households.csv")).Skip(1).Where(l => l.Length > 0).Select(l => l.Split(',')[0]);
}
