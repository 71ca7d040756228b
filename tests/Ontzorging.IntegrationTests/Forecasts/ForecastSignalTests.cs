using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Forecasts;

/// <summary>
/// The daily forecast watch (docs/rules.md §15, §16). HH-0017 of the samples ran short in June with
/// nothing to warn anyone; with the watch it is signalled in April, first on the worklist.
/// </summary>
public sealed class ForecastSignalTests
{
    private static readonly LocalDate April2 = new(2026, 4, 2);

    [Test]
    public async Task HH_0017_is_signalled_in_April_for_June_and_ranks_first_on_the_worklist()
    {
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        using var folder = new ScratchFolder();
        await new SimulationRunner(db.Services).Run(SampleCopy.Samples, new YearMonth(2026, 3), new YearMonth(2026, 4), folder.Path);
        var watch = db.Services.GetRequiredService<ForecastSignals>();

        var run = await watch.Run(Actor.System("forecast-watch"), April2);

        var hh17 = run.Signalled.Single(s => s.Household == "HH-0017");
        hh17.Month.Should().Be(new YearMonth(2026, 6), "the huurtoeslag applied for in March has not come, and June's credit reaches the cap");
        hh17.Risks.Should().Contain(["credit_cap", "leefgeld_below_minimum"]);
        hh17.Missing.Should().Be(Money.FromEuros(233.32m));
        run.Signalled.Should().OnlyContain(s => s.Month <= new YearMonth(2026, 6), "only a month at risk within two months is signalled");

        var page = await db.Services.GetRequiredService<HouseholdWorklist>().Page(MunicipalityScope.All, April2, new WorklistQuery(PageSize: 200));
        var row = page.Rows.Single(r => r.Reference == "HH-0017");
        row.Reasons[0].Should().Be(AttentionReason.ForecastAtRisk);
        (row.RiskMonth, row.RiskMissing).Should().Be((new YearMonth(2026, 6), Money.FromEuros(233.32m)));
        page.Rows.TakeWhile(r => r.Reasons.Contains(AttentionReason.ForecastAtRisk)).Should().HaveCount(run.Signalled.Count, "signalled households come first");
    }

    [Test]
    public async Task Running_the_watch_again_the_same_day_replaces_that_days_signals_and_keeps_earlier_days()
    {
        await using var db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        using var folder = new ScratchFolder();
        await new SimulationRunner(db.Services).Run(SampleCopy.Samples, new YearMonth(2026, 3), new YearMonth(2026, 4), folder.Path);
        var watch = db.Services.GetRequiredService<ForecastSignals>();
        var actor = Actor.System("forecast-watch");

        var first = await watch.Run(actor, April2);
        // Two at once, as two worker nodes could: one waits for the other, and the day holds one set of signals.
        await Task.WhenAll(watch.Run(actor, April2), watch.Run(actor, April2));
        await watch.Run(actor, April2.PlusDays(1));

        await using var connection = new Npgsql.NpgsqlConnection(db.ConnectionString);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM forecast_signals WHERE computed_on = date '2026-04-02'"))
            .Should().Be(first.Signalled.Count);
        (await connection.ExecuteScalarAsync<long>("SELECT count(DISTINCT computed_on) FROM forecast_signals")).Should().Be(2);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'watch.forecast'")).Should().Be(4, "every run leaves its record");
    }
}
