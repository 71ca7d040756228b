using Ontzorging.Domain.Batches;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class BatchStatesTests
{
    [TestCase(BatchAction.Approve, BatchStatus.Draft, true, TestName = "A draft is approved")]
    [TestCase(BatchAction.Approve, BatchStatus.Approved, false, TestName = "An approved batch is not approved again")]
    [TestCase(BatchAction.Reject, BatchStatus.Approved, false, TestName = "Only a draft is rejected")]
    [TestCase(BatchAction.Cancel, BatchStatus.Approved, true, TestName = "An approved batch may still be cancelled")]
    [TestCase(BatchAction.Cancel, BatchStatus.Exported, false, TestName = "An exported batch is never cancelled")]
    [TestCase(BatchAction.Export, BatchStatus.Draft, false, TestName = "A draft is never exported")]
    [TestCase(BatchAction.Export, BatchStatus.Settled, true, TestName = "A settled batch may be exported again (same EndToEndIds)")]
    [TestCase(BatchAction.Settle, BatchStatus.Approved, false, TestName = "Nothing is settled before it is exported")]
    [TestCase(BatchAction.Settle, BatchStatus.PartiallySettled, true, TestName = "A partially settled batch settles further")]
    public void Each_action_is_allowed_only_from_its_statuses(BatchAction action, BatchStatus status, bool allowed) =>
        (BatchStates.Refusal(action, 12, status) is null).Should().Be(allowed);

    [Test]
    public void A_refusal_names_the_batch_its_status_and_what_would_be_allowed() =>
        BatchStates.Refusal(BatchAction.Export, 12, BatchStatus.Draft)!.Message.Should()
            .Be("cannot export batch 12: it is draft (only a batch that is approved or exported or partially_settled or settled can be)");

    [Test]
    public void The_preparer_never_approves_under_any_of_their_subjects_and_anyone_else_may()
    {
        BatchStates.ApprovalRefusal(12, "os:anna", "os:anna", "os:anna")!.Message.Should().Contain("four eyes").And.Contain("os:anna");
        BatchStates.ApprovalRefusal(12, "os:anna", "oidc:dev-anna", "oidc:dev-anna")!.Message.Should().Contain("four eyes");
        BatchStates.ApprovalRefusal(12, "os:anna", "os:anna", "oidc:dev-bob").Should().BeNull();
    }

    [Test]
    public void Every_status_reads_back_from_its_code_and_only_rejected_and_cancelled_are_not_live()
    {
        foreach (var status in Enum.GetValues<BatchStatus>())
        {
            BatchStates.Parse(status.Code()).Should().Be(status);
        }

        Enum.GetValues<BatchStatus>().Where(s => !s.IsLive()).Should().Equal(BatchStatus.Rejected, BatchStatus.Cancelled);
    }
}
