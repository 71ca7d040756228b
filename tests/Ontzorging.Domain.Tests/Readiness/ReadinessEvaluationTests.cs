using Ontzorging.Domain.Income;
using Ontzorging.Domain.Readiness;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Readiness;

public sealed class ReadinessEvaluationTests
{
    private static readonly IncomeStream Huurtoeslag = new(IncomeKind.Huurtoeslag, Euros(380), new YearMonth(2026, 4), null, true, new LocalDate(2026, 4, 3));

    [Test]
    public void Before_the_last_month_the_verdict_is_in_progress_and_lists_every_unmet_criterion()
    {
        var result = Evaluate(new LocalDate(2026, 4, 30), credit: 107.33m);

        result.Verdict.Should().Be(ReadinessVerdict.InProgress);
        result.UnmetText.Should().Be("credit_outstanding;toeslagen_irregular;training_missing;zrm_missing");
    }

    [Test]
    public void From_the_last_month_a_household_with_nothing_unmet_is_ready()
    {
        var result = Evaluate(new LocalDate(2026, 9, 30), receipts: [Covering(4, 10, new LocalDate(2026, 8, 20))], zrm: [(new LocalDate(2026, 9, 10), 4)], trainings: [new LocalDate(2026, 7, 15)]);

        result.Verdict.Should().Be(ReadinessVerdict.Ready);
        result.Unmet.Should().BeEmpty();
        result.PhaseOutSuggested.Should().BeTrue();
    }

    [Test]
    public void From_the_last_month_a_household_with_unmet_criteria_is_not_ready() =>
        Evaluate(new LocalDate(2026, 9, 30), credit: 10).Verdict.Should().Be(ReadinessVerdict.NotReady);

    [Test]
    public void A_zrm_score_older_than_90_days_is_missing() =>
        Evaluate(new LocalDate(2026, 9, 30), zrm: [(new LocalDate(2026, 7, 1), 5)]).Unmet.Should().Contain(ReadinessCriterion.ZrmMissing);

    [Test]
    public void The_latest_zrm_score_below_4_is_unmet() =>
        Evaluate(new LocalDate(2026, 9, 30), zrm: [(new LocalDate(2026, 8, 1), 5), (new LocalDate(2026, 9, 1), 3)]).Unmet.Should().Contain(ReadinessCriterion.ZrmBelow4);

    [Test]
    public void A_receipt_received_after_the_evaluation_date_does_not_count() =>
        Evaluate(new LocalDate(2026, 6, 30), receipts: [Covering(4, 7, new LocalDate(2026, 7, 1))]).Unmet.Should().Contain(ReadinessCriterion.ToeslagenIrregular);

    [Test]
    public void Months_before_a_stream_starts_are_not_required()
    {
        var fromMay = Huurtoeslag with { From = new YearMonth(2026, 5) };

        Evaluate(new LocalDate(2026, 4, 30), streams: [fromMay]).Unmet.Should().NotContain(ReadinessCriterion.ToeslagenIrregular);
    }

    [Test]
    public void Open_arrears_are_unmet() =>
        Evaluate(new LocalDate(2026, 6, 30), arrears: 38).Unmet.Should().Contain(ReadinessCriterion.Arrears);

    [Test]
    public void A_criterion_switched_off_by_policy_is_neither_listed_nor_counted()
    {
        var policy = new Policy { DisabledReadinessCriteria = [ReadinessCriterion.TrainingMissing, ReadinessCriterion.ZrmMissing, ReadinessCriterion.ToeslagenIrregular] };

        var result = ReadinessEvaluation.Evaluate(Facts(new LocalDate(2026, 9, 30), 0, 0, [], [], [], [Huurtoeslag]), policy);

        result.Verdict.Should().Be(ReadinessVerdict.Ready);
    }

    private static ReadinessResult Evaluate(LocalDate on, decimal credit = 0, decimal arrears = 0, Receipt[]? receipts = null, (LocalDate, int)[]? zrm = null, LocalDate[]? trainings = null, IncomeStream[]? streams = null) =>
        ReadinessEvaluation.Evaluate(Facts(on, credit, arrears, receipts ?? [], zrm ?? [], trainings ?? [], streams ?? [Huurtoeslag]), Policy.Default);

    private static ReadinessFacts Facts(LocalDate on, decimal credit, decimal arrears, Receipt[] receipts, (LocalDate, int)[] zrm, LocalDate[] trainings, IncomeStream[] streams) =>
        new(on, Period(new LocalDate(2026, 4, 1)), streams, receipts, Euros(credit), Euros(arrears), zrm, trainings);

    private static Receipt Covering(int fromMonth, int toMonth, LocalDate received) =>
        new(IncomeKind.Huurtoeslag, Euros(380), received, new YearMonth(2026, fromMonth), new YearMonth(2026, toMonth), null);
}
