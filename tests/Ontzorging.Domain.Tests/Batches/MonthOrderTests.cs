using Ontzorging.Domain.Batches;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class MonthOrderTests
{
    private static readonly YearMonth May = new(2026, 5);

    [Test]
    public void The_first_month_ever_may_be_prepared() => MonthOrder.Refusal(May, [], null).Should().BeNull();

    [Test]
    public void The_month_after_an_approved_one_may_be_prepared() =>
        MonthOrder.Refusal(May, [new LiveBatch(May.PlusMonths(-1), Draft: false)], null).Should().BeNull();

    [Test]
    public void A_month_is_refused_while_an_earlier_month_is_a_draft() =>
        MonthOrder.Refusal(May, [new LiveBatch(May.PlusMonths(-1), Draft: true)], "any reason")!.Message.Should().Contain("2026-04 is still a draft");

    [Test]
    public void A_month_is_refused_when_a_later_month_is_already_prepared() =>
        MonthOrder.Refusal(May, [new LiveBatch(May.PlusMonths(1), Draft: false)], "any reason")!.Message.Should().Contain("2026-06 is already prepared");

    [Test]
    public void A_month_after_a_gap_is_refused_without_a_reason_and_allowed_with_one()
    {
        LiveBatch[] live = [new(May.PlusMonths(-3), Draft: false)];

        MonthOrder.Refusal(May, live, null)!.Message.Should().Contain("2026-03 to 2026-04 were never prepared");
        MonthOrder.Refusal(May, live, "  ").Should().NotBeNull("a reason of only spaces is no reason");
        MonthOrder.Refusal(May, live, "paid by hand").Should().BeNull();
        MonthOrder.Skips(May, live).Should().BeTrue();
    }

    [Test]
    public void One_missing_month_is_named_on_its_own() =>
        MonthOrder.Refusal(May, [new LiveBatch(May.PlusMonths(-2), Draft: false)], null)!.Message.Should().Contain("2026-04 was never prepared");
}
