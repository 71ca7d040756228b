using NodaTime;
using Ontzorging.Domain.Batches;

namespace Ontzorging.Domain.Tests.Batches;

/// <summary>A month prepared long after its preparation day needs the officer's reason (issue 22), as a skipped month does.</summary>
public sealed class LatePreparationTests
{
    private static readonly YearMonth November = new(2026, 11);
    private static readonly LiveBatch October = new(new YearMonth(2026, 10), Draft: false);

    [Test]
    public void The_preparation_day_of_a_month_is_the_policy_s_day_of_the_month_before() =>
        MonthOrder.ScheduledDay(November, Policy.Default).Should().Be(new LocalDate(2026, 10, 24));

    [Test]
    public void A_short_month_before_gives_its_last_day() =>
        MonthOrder.ScheduledDay(new YearMonth(2027, 3), new Policy { PreparationDay = 30 }).Should().Be(new LocalDate(2027, 2, 28));

    [Test]
    public void Up_to_the_policy_s_days_late_needs_no_reason() =>
        MonthOrder.Refusal(November, [October], null, new LocalDate(2026, 10, 31), Policy.Default).Should().BeNull();

    [Test]
    public void One_day_more_needs_a_reason_and_says_how_late()
    {
        var refusal = MonthOrder.Refusal(November, [October], null, new LocalDate(2026, 11, 1), Policy.Default)!;

        refusal.Code.Should().Be(RefusalCode.PreparationLate);
        refusal.Field.Should().Be("reason");
        refusal.Parameters["days"].Should().Be(8);
        MonthOrder.NeedsReason(November, [October], new LocalDate(2026, 11, 1), Policy.Default).Should().BeTrue();
    }

    [Test]
    public void A_reason_lets_a_late_month_be_prepared_but_not_a_hidden_character()
    {
        MonthOrder.Refusal(November, [October], "the scheduler was down", new LocalDate(2026, 12, 3), Policy.Default).Should().BeNull();
        MonthOrder.Refusal(November, [October], "down\u200B", new LocalDate(2026, 12, 3), Policy.Default)!.Code.Should().Be(RefusalCode.ReasonHidden);
    }

    [Test]
    public void The_order_of_months_is_refused_first() =>
        MonthOrder.Refusal(November, [October with { Draft = true }], null, new LocalDate(2026, 12, 3), Policy.Default)!.Code.Should().Be(RefusalCode.EarlierBatchIsDraft);

    [Test]
    public void Approval_waits_for_every_exception_and_acknowledging_is_for_a_second_person_on_a_draft()
    {
        ExceptionAcknowledgements.ApprovalRefusal(7, 2)!.Code.Should().Be(RefusalCode.ExceptionsUnacknowledged);
        ExceptionAcknowledgements.ApprovalRefusal(7, 0).Should().BeNull();
        ExceptionAcknowledgements.AcknowledgeRefusal(7, BatchStatus.Draft, "os:anna", "anna", "anna")!.Code.Should().Be(RefusalCode.AcknowledgedByPreparer);
        ExceptionAcknowledgements.AcknowledgeRefusal(7, BatchStatus.Approved, "os:anna", "anna", "bob")!.Code.Should().Be(RefusalCode.BatchWrongState);
        ExceptionAcknowledgements.AcknowledgeRefusal(7, BatchStatus.Draft, "os:anna", "anna", "bob").Should().BeNull();
    }
}
