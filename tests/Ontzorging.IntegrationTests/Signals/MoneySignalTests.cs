using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Signals;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Signals;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Signals;

/// <summary>
/// The money signals (docs/rules.md §18) on the sample municipality simulated from March to August
/// 2026 with the watch run every day, its bank lines altered on purpose: HH-0017's huurtoeslag never
/// arrives (as in the samples); HH-0001's huurtoeslag for August comes at 80 % and its zorgtoeslag
/// for August twice; HH-0002's huurtoeslag for August comes three weeks late; and a statement
/// imported afterwards returns HH-0002's August rent (AC04), settles its energy payment twice and
/// one of HH-0003's payments with another amount. Each test reads the one simulation; none depends on another's order.
/// </summary>
[NonParallelizable]
public sealed class MoneySignalTests
{
    private static readonly LocalDate September1 = new(2026, 9, 1);
    private static readonly Actor Watcher = Actor.System("signal-watch");

    private ScratchDatabase db = null!;
    private SampleCopy samples = null!;
    private ScratchFolder folder = null!;
    private MoneySignals watch = null!;
    private (string Key, decimal Amount, string Iban, LocalDate Date) rent;
    private MoneySignalRun firstSeptemberRun = null!;
    private string waterKey = "";

    [OneTimeSetUp]
    public async Task Simulate()
    {
        samples = new SampleCopy();
        // HH-0001: August's huurtoeslag at 80 %, August's zorgtoeslag paid twice (a day apart).
        samples.ReplaceLine("receipts.csv", 3, line => line.Replace(",360.00,", ",288.00,", StringComparison.Ordinal));
        samples.AppendLine("receipts.csv", "HH-0001,zorgtoeslag,129.00,2026-06-23,2026-08,2026-08,Dienst Toeslagen zorgtoeslag");
        // HH-0002: August's huurtoeslag, due on 20 July, arrives on 10 August.
        samples.ReplaceLine("receipts.csv", 15, line => line.Replace("2026-07-20", "2026-08-10", StringComparison.Ordinal));

        db = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        folder = new ScratchFolder();
        watch = db.Services.GetRequiredService<MoneySignals>();
        await new SimulationRunner(db.Services).Run(samples.Path, new YearMonth(2026, 3), new YearMonth(2026, 8), folder.Path,
            everyDay: (day, ct) => watch.Run(Watcher, day, ct));

        await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var payments = (await connection.QueryAsync<(string Key, string Kind, decimal Amount, string Iban, LocalDate Date, string Household)>("""
            SELECT p.end_to_end_id, p.kind, p.amount, p.payee_iban, p.execution_date, h.reference
              FROM payments p JOIN households h ON h.id = p.household_id JOIN batches b ON b.id = p.batch_id
             WHERE b.month = date '2026-08-01' AND p.status = 'settled' ORDER BY p.id
            """)).ToList();
        var r = payments.First(p => p.Household == "HH-0002" && p.Kind == "rent");
        rent = (r.Key, r.Amount, r.Iban, r.Date);
        var energy = payments.First(p => p.Household == "HH-0002" && p.Kind == "energy");
        var water = payments.First(p => p.Household == "HH-0003" && p.Kind == "water");
        waterKey = water.Key;
        var statement = Path.Combine(folder.Path, "statement.csv");
        await File.WriteAllLinesAsync(statement, [string.Join(',', [.. BankStatementReader.GenericColumns, BankStatementReader.GenericReturnReason]),
            $"NL82BNGH0285010001,{energy.Date:yyyy-MM-dd},-{energy.Amount:0.00},{energy.Iban},Eneco Energie,energy,{energy.Key},",
            $"NL82BNGH0285010001,{energy.Date:yyyy-MM-dd},-{energy.Amount:0.00},{energy.Iban},Eneco Energie,energy,{energy.Key},",
            $"NL82BNGH0285010001,{water.Date:yyyy-MM-dd},-{water.Amount + 10m:0.00},{water.Iban},Vitens Water,water,{water.Key},",
            $"NL82BNGH0285010001,2026-08-12,{rent.Amount:0.00},{rent.Iban},Woonstichting De Linie,Terugboeking,{rent.Key},AC04"]);
        var import = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", statement);
        import.ExitCode.Should().Be(0, import.Out + import.Error);
        firstSeptemberRun = await watch.Run(Watcher, September1);
    }

    [OneTimeTearDown]
    public async Task CleanUp()
    {
        await db.DisposeAsync();
        samples.Dispose();
        folder.Dispose();
    }

    private async Task<IReadOnlyList<MoneySignalView>> Of(string household) => await watch.List(household, MunicipalityScope.All);

    [Test]
    public async Task A_toeslag_that_never_arrives_is_missing_for_every_month_of_the_period_from_the_day_its_grace_ended()
    {
        var missing = (await Of("HH-0017")).Where(s => s.Kind == SignalKind.Missing && s.Subject == "huurtoeslag").OrderBy(s => s.Month).ToList();

        // Applied for on 6 March: decided by 5 June, so March to July are owed together on 22 June (the first 20th, a Monday then);
        // August on 20 July. Five working days later each is missing.
        missing.Select(s => (s.Month, s.Expected, s.ExpectedOn, s.FirstSeenOn, s.Status)).Should().Equal(
            Enumerable.Range(3, 5).Select(m => (new YearMonth(2026, m), (Money?)Money.FromEuros(420m), (LocalDate?)new LocalDate(2026, 6, 22), new LocalDate(2026, 6, 29), SignalStatus.Open))
                .Append((new YearMonth(2026, 8), Money.FromEuros(420m), new LocalDate(2026, 7, 20), new LocalDate(2026, 7, 27), SignalStatus.Open)));
        missing.Should().OnlyContain(s => s.Actual == null && s.ActualOn == null);
    }

    [Test]
    public async Task A_toeslag_at_80_percent_is_an_unexpected_amount_and_one_paid_twice_is_several()
    {
        var signals = await Of("HH-0001");

        var off = signals.Single(s => s.Kind == SignalKind.UnexpectedAmount);
        (off.Subject, off.Month, off.Expected, off.ExpectedOn, off.Actual, off.ActualOn).Should().Be(
            ("huurtoeslag", new YearMonth(2026, 8), (Money?)Money.FromEuros(360m), (LocalDate?)new LocalDate(2026, 7, 20), (Money?)Money.FromEuros(288m), (LocalDate?)new LocalDate(2026, 6, 22)));
        off.FirstSeenOn.Should().Be(new LocalDate(2026, 6, 22), "seen the day it was received");

        var twice = signals.Single(s => s.Kind == SignalKind.Several);
        (twice.Subject, twice.Month, twice.Actual, twice.ActualOn, twice.Detail).Should().Be(
            ("zorgtoeslag", new YearMonth(2026, 8), (Money?)Money.FromEuros(258m), (LocalDate?)new LocalDate(2026, 6, 23), "2"));
        signals.Should().NotContain(s => s.Kind == SignalKind.Missing, "every month of HH-0001's period was paid");
    }

    [Test]
    public async Task A_toeslag_that_comes_late_is_missing_until_it_arrives_and_then_resolves_itself()
    {
        var late = (await Of("HH-0002")).Single(s => s.Kind == SignalKind.Missing);

        (late.Subject, late.Month, late.ExpectedOn, late.FirstSeenOn, late.Status, late.ResolvedOn).Should().Be(
            ("huurtoeslag", new YearMonth(2026, 8), (LocalDate?)new LocalDate(2026, 7, 20), new LocalDate(2026, 7, 27), SignalStatus.Resolved, (LocalDate?)new LocalDate(2026, 8, 10)));
    }

    [Test]
    public async Task A_returned_rent_a_payment_settled_twice_and_another_amount_are_signalled_with_the_banks_reason()
    {
        firstSeptemberRun.Added.Should().BeGreaterThanOrEqualTo(3);

        var hh2 = await Of("HH-0002");
        var returned = hh2.Single(s => s.Kind == SignalKind.Returned);
        (returned.Subject, returned.Expected, returned.ExpectedOn, returned.Actual, returned.ActualOn, returned.Detail, returned.FirstSeenOn).Should().Be(
            ("payment:" + rent.Key, (Money?)Money.FromEuros(rent.Amount), (LocalDate?)rent.Date, (Money?)Money.FromEuros(rent.Amount), (LocalDate?)new LocalDate(2026, 8, 12), "AC04", September1));
        hh2.Single(s => s.Kind == SignalKind.Several).Detail.Should().Be("2", "the energy payment left the account twice");
        (await Of("HH-0002")).Should().Contain(s => s.Kind == SignalKind.Shortage && s.Subject.StartsWith("arrear:", StringComparison.Ordinal) && s.Detail == "rent",
            "the returned rent is an arrear again until a batch pays it");

        var water = (await Of("HH-0003")).Single(s => s.Kind == SignalKind.UnexpectedAmount);
        water.Subject.Should().Be("payment:" + waterKey, "a line naming the payment with another amount settles nothing");
        (water.Actual!.Value - water.Expected!.Value).Should().Be(Money.FromEuros(10m));
    }

    [Test]
    public async Task Running_the_watch_again_adds_and_changes_nothing()
    {
        await watch.Run(Watcher, September1);
        var before = await Snapshot();

        var again = await watch.Run(Watcher, September1);
        await Task.WhenAll(watch.Run(Watcher, September1), watch.Run(Watcher, September1));

        (again.Added, again.Updated, again.Resolved).Should().Be((0, 0, 0));
        (await Snapshot()).Should().Equal(before);
    }

    [Test]
    public async Task The_worklist_shows_HH_0017s_missing_huurtoeslag_with_its_date_and_amount()
    {
        var page = await db.Services.GetRequiredService<HouseholdWorklist>().Page(MunicipalityScope.All, September1, new WorklistQuery(PageSize: 200));

        var row = page.Rows.Single(r => r.Reference == "HH-0017");
        row.Reasons.Should().Contain(AttentionReason.PaymentMissing);
        row.OpenSignals.Where(s => s.Kind == SignalKind.Missing).Select(s => (s.Date, s.Amount)).Should().Contain((new LocalDate(2026, 6, 22), Money.FromEuros(420m)));
        page.Rows.Single(r => r.Reference == "HH-0002").Reasons.Should().Contain(AttentionReason.PaymentReturned);
        page.Rows.Single(r => r.Reference == "HH-0001").Reasons.Should().Contain([AttentionReason.AmountUnexpected, AttentionReason.PaymentsSeveral]);
    }

    [Test]
    public async Task A_suppression_needs_a_fit_reason_is_audited_and_stays_through_the_next_run()
    {
        var caseworker = Actor.OperatingSystemUser("carla");
        var signal = (await Of("HH-0003")).Single(s => s.Kind == SignalKind.UnexpectedAmount);
        await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        var before = await Snapshot();

        (await watch.Suppress(caseworker, "HH-0003", signal.Id, "  ", MunicipalityScope.All)).Refusal!.Code.Should().Be(RefusalCode.SuppressNeedsReason);
        (await watch.Suppress(caseworker, "HH-0003", signal.Id, "told\u0007", MunicipalityScope.All)).Refusal!.Code.Should().Be(RefusalCode.ReasonText);
        (await watch.Suppress(caseworker, "HH-0003", signal.Id, new string('x', 501), MunicipalityScope.All)).Refusal!.Field.Should().Be("reason");
        (await watch.Suppress(caseworker, "HH-0001", signal.Id, "not this household's", MunicipalityScope.All)).Refusal!.Code.Should().Be(RefusalCode.SignalUnknown);
        (await watch.Suppress(caseworker, "HH-0003", signal.Id, "outside the scope", MunicipalityScope.Of(["GM9999"]))).Refusal!.Code.Should().Be(RefusalCode.SignalUnknown);
        (await Snapshot()).Should().Equal(before, "a refused suppression writes nothing");
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM audit_log WHERE action = 'signal.suppress' AND outcome = 'refused'")).Should().Be(5);

        var done = await watch.Suppress(caseworker, "HH-0003", signal.Id, "Vitens charged € 10 more by mistake; it pays it back", MunicipalityScope.All);

        done.Refusal.Should().BeNull();
        var suppressed = (await Of("HH-0003")).Single(s => s.Id == signal.Id);
        (suppressed.Status, suppressed.SuppressedBy, suppressed.SuppressedReason).Should().Be(
            (SignalStatus.Suppressed, "os:carla", "Vitens charged € 10 more by mistake; it pays it back"));
        (await connection.QuerySingleAsync<(string Municipality, string Target)>(
            "SELECT municipality, target FROM audit_log WHERE action = 'signal.suppress' AND outcome = 'done'")).Should().Be(("GM0344", "household HH-0003"));
        (await watch.Suppress(caseworker, "HH-0003", signal.Id, "again", MunicipalityScope.All)).Refusal!.Code.Should().Be(RefusalCode.SignalNotOpen);

        await watch.Run(Watcher, September1.PlusDays(1));
        (await Of("HH-0003")).Single(s => s.Id == signal.Id).Status.Should().Be(SignalStatus.Suppressed, "the watch leaves a suppressed signal as it is");
    }

    private async Task<List<string>> Snapshot()
    {
        await using var connection = await db.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<string>("SELECT s::text FROM money_signals s ORDER BY id")).ToList();
    }
}
