using CsCheck;
using Ontzorging.Domain.Calendars;
using Ontzorging.Domain.Complaints;

namespace Ontzorging.Domain.Tests.Complaints;

/// <summary>The complaint's clock (Awb 9:11 with the Algemene termijnenwet; docs/rules.md §19).</summary>
public sealed class ComplaintClockTests
{
    private static readonly Policy Policy = Policy.Default;

    private static LocalDate D(int year, int month, int day) => new(year, month, day);

    private static ComplaintState Open(LocalDate received, bool committee = false, params DeadlineMove[] moves) =>
        new(new ComplaintClock(received, ComplaintClock.StatutoryDeadlineOf(received, committee, Policy), moves, null), null, Heard: false);

    [Test]
    public void A_complaint_received_on_a_Monday_is_decided_six_weeks_later_on_the_same_weekday() =>
        ComplaintClock.StatutoryDeadlineOf(D(2026, 6, 1), false, Policy).Should().Be(D(2026, 7, 13));

    [Test]
    public void With_an_advisory_committee_the_term_is_ten_weeks() =>
        ComplaintClock.StatutoryDeadlineOf(D(2026, 6, 1), true, Policy).Should().Be(D(2026, 8, 10));

    [Test]
    public void A_term_that_ends_on_a_Saturday_runs_through_the_Monday() =>
        ComplaintClock.StatutoryDeadlineOf(D(2026, 6, 6), false, Policy).Should().Be(D(2026, 7, 20), "6 June + 6 weeks is Saturday 18 July");

    [Test]
    public void A_term_that_ends_on_a_Sunday_runs_through_the_Monday() =>
        ComplaintClock.StatutoryDeadlineOf(D(2026, 6, 7), false, Policy).Should().Be(D(2026, 7, 20));

    [Test]
    public void A_term_that_ends_on_Boxing_Day_runs_past_the_weekend_to_the_next_working_day() =>
        ComplaintClock.StatutoryDeadlineOf(D(2026, 11, 14), false, Policy).Should().Be(D(2026, 12, 28), "26 December 2026 is a Saturday; the 27th a Sunday");

    [TestCase(2027, 3, 26, TestName = "Good Friday counts as a holiday for a term (Atw art. 3(2))")]
    [TestCase(2026, 5, 5, TestName = "5 May counts as a holiday for a term (Atw art. 3(1))")]
    [TestCase(2027, 4, 27, TestName = "King's Day counts as a holiday for a term")]
    [TestCase(2027, 5, 6, TestName = "Ascension Day counts as a holiday for a term")]
    public void A_term_never_ends_on_a_generally_recognised_holiday(int year, int month, int day) =>
        TermCalendar.Instance.TermEnd(D(year, month, day)).Should().BeGreaterThan(D(year, month, day), "a term ending on it runs through the next working day");

    [Test]
    public void Every_term_end_is_a_working_day_no_earlier_than_six_weeks_and_at_most_five_days_later() =>
        Gen.Int[0, 365 * 40].Sample(offset =>
        {
            var received = D(2020, 1, 1).PlusDays(offset);
            var deadline = ComplaintClock.StatutoryDeadlineOf(received, false, Policy);
            var counted = received.PlusWeeks(6);
            deadline.DayOfWeek.Should().NotBe(IsoDayOfWeek.Saturday).And.NotBe(IsoDayOfWeek.Sunday);
            TermCalendar.Instance.IsOpen(deadline).Should().BeTrue();
            Period.DaysBetween(counted, deadline).Should().BeInRange(0, 5);
        });

    [Test]
    public void A_complaint_is_on_track_then_at_risk_with_less_than_a_quarter_left_then_overdue_the_day_after_its_deadline()
    {
        var clock = Open(D(2026, 6, 1)).Clock; // 42 days: at risk when fewer than 10.5 are left
        clock.State(D(2026, 6, 1)).Should().Be(ClockState.OnTrack);
        clock.State(D(2026, 7, 2)).Should().Be(ClockState.OnTrack, "11 days are left");
        clock.State(D(2026, 7, 3)).Should().Be(ClockState.AtRisk, "10 days are left, under a quarter of 42");
        clock.State(D(2026, 7, 13)).Should().Be(ClockState.AtRisk, "the deadline day itself is still in time");
        clock.State(D(2026, 7, 14)).Should().Be(ClockState.Overdue);
        (clock with { Decided = D(2026, 7, 20) }).DecidedLate.Should().BeTrue();
        (clock with { Decided = D(2026, 7, 13) }).DecidedLate.Should().BeFalse();
    }

    [Test]
    public void The_one_postponement_may_move_the_deadline_by_at_most_four_weeks()
    {
        var state = Open(D(2026, 6, 1));
        ComplaintRules.Postpone(state, D(2026, 8, 10), D(2026, 7, 1), D(2026, 7, 1), Policy).Should().BeNull("13 July + 4 weeks is 10 August");
        ComplaintRules.Postpone(state, D(2026, 8, 11), D(2026, 7, 1), D(2026, 7, 1), Policy)!.Code.Should().Be(RefusalCode.ComplaintPostponementTooLong);
    }

    [Test]
    public void Four_weeks_after_a_deadline_that_ends_on_a_holiday_runs_to_the_next_working_day() =>
        Open(D(2026, 10, 16)).Clock.LatestPostponement(Policy).Should().Be(D(2026, 12, 28), "16 October + 6 weeks is Friday 27 November; + 4 weeks is Christmas Day");

    [Test]
    public void A_postponement_is_told_before_the_term_ends()
    {
        var state = Open(D(2026, 6, 1));
        ComplaintRules.Postpone(state, D(2026, 8, 3), D(2026, 7, 14), D(2026, 7, 20), Policy)!.Code.Should().Be(RefusalCode.ComplaintNoticeAfterDeadline);
    }

    [Test]
    public void A_deadline_moved_once_is_moved_again_only_with_the_complainants_written_consent()
    {
        var postponed = Open(D(2026, 6, 1), false, new DeadlineMove(DeadlineMoveKind.Postponement, D(2026, 8, 10), D(2026, 7, 1)));

        ComplaintRules.Postpone(postponed, D(2026, 8, 20), D(2026, 8, 1), D(2026, 8, 1), Policy)!.Code.Should().Be(RefusalCode.ComplaintPostponedOnce);
        ComplaintRules.Extend(postponed, D(2026, 9, 30), D(2026, 8, 1), D(2026, 8, 1)).Should().BeNull();
        postponed.Clock.Deadline.Should().Be(D(2026, 8, 10));
    }

    [Test]
    public void A_new_deadline_must_lie_after_the_current_one() =>
        ComplaintRules.Extend(Open(D(2026, 6, 1)), D(2026, 7, 13), D(2026, 7, 1), D(2026, 7, 1))!.Code.Should().Be(RefusalCode.ComplaintDeadlineNotLater);

    [Test]
    public void An_outcome_without_findings_is_refused_at_its_field()
    {
        var heard = Open(D(2026, 6, 1)) with { Heard = true };
        var refusal = ComplaintRules.Decide(heard, new ComplaintDecision(ComplaintOutcome.Unfounded, D(2026, 7, 1), "  "), D(2026, 7, 1))!;
        refusal.Code.Should().Be(RefusalCode.OutcomeNeedsFindings);
        refusal.Field.Should().Be("findings");
    }

    [Test]
    public void An_outcome_needs_the_hearing_held_or_waived_unless_the_complaint_was_withdrawn()
    {
        var state = Open(D(2026, 6, 1));
        ComplaintRules.Decide(state, new ComplaintDecision(ComplaintOutcome.Unfounded, D(2026, 7, 1), "Gezien."), D(2026, 7, 1))!.Code.Should().Be(RefusalCode.OutcomeNeedsHearing);
        ComplaintRules.Decide(state, new ComplaintDecision(ComplaintOutcome.Withdrawn, D(2026, 7, 1), "Ingetrokken op 30 juni."), D(2026, 7, 1)).Should().BeNull();
    }

    [Test]
    public void Nothing_is_recorded_on_a_decided_complaint_but_what_was_put_right()
    {
        var decided = Open(D(2026, 6, 1)) with { Clock = Open(D(2026, 6, 1)).Clock with { Decided = D(2026, 7, 1) } };
        ComplaintRules.Acknowledge(decided, D(2026, 6, 2), D(2026, 7, 2))!.Code.Should().Be(RefusalCode.ComplaintDecided);
        ComplaintRules.Extend(decided, D(2026, 9, 1), D(2026, 7, 2), D(2026, 7, 2))!.Code.Should().Be(RefusalCode.ComplaintDecided);
        ComplaintRules.Remedy(new Remedy(RemedyKind.Apology, null, null, null)).Should().BeNull();
    }

    [Test]
    public void A_hearing_is_held_or_waived_never_both() =>
        ComplaintRules.Hear(Open(D(2026, 6, 1)), new Hearing(D(2026, 6, 10), HearingWaiver.NoResponse, null), D(2026, 6, 10))!.Code.Should().Be(RefusalCode.HearingHeldAndWaived);

    [Test]
    public void A_decision_is_not_dated_before_the_hearing()
    {
        var heard = Open(D(2026, 6, 1)) with { Heard = true, HeardOn = D(2026, 6, 20) };
        ComplaintRules.Decide(heard, new ComplaintDecision(ComplaintOutcome.Unfounded, D(2026, 6, 19), "Gezien."), D(2026, 7, 1))!.Code.Should().Be(RefusalCode.DecidedBeforeHearing);
        ComplaintRules.Decide(heard, new ComplaintDecision(ComplaintOutcome.Unfounded, D(2026, 6, 20), "Gezien."), D(2026, 7, 1)).Should().BeNull();
    }

    [TestCase(ComplaintOutcome.WellFounded, true)]
    [TestCase(ComplaintOutcome.PartlyWellFounded, true)]
    [TestCase(ComplaintOutcome.Unfounded, false)]
    [TestCase(ComplaintOutcome.Withdrawn, false)]
    public void A_hearing_waived_as_clearly_unfounded_allows_only_unfounded_or_withdrawn(ComplaintOutcome outcome, bool refused)
    {
        var waived = Open(D(2026, 6, 1)) with { Heard = true, Waiver = HearingWaiver.ClearlyUnfounded };
        var refusal = ComplaintRules.Decide(waived, new ComplaintDecision(outcome, D(2026, 6, 20), "Gezien."), D(2026, 7, 1));
        (refusal?.Code == RefusalCode.OutcomeAfterClearlyUnfounded).Should().Be(refused);
    }

    [TestCase(1999, 12, 31, TestName = "A complaint received before 2000 is refused at its field: the term calendar starts in 2000")]
    public void A_day_outside_the_term_calendar_is_refused_at_its_field(int year, int month, int day) =>
        ComplaintRules.Register(Complaint(D(year, month, day)), D(2026, 7, 1))!.Code.Should().Be(RefusalCode.DateOutOfRange);

    [TestCase("received", TestName = "A complaint received tomorrow is refused at its field")]
    public void A_complaint_cannot_be_received_in_the_future(string field) =>
        ComplaintRules.Register(Complaint(D(2026, 7, 2)), D(2026, 7, 1))!.Field.Should().Be(field);

    [TestCase("Line\u0000break", "description", RefusalCode.TextControl, TestName = "A NUL in the description is refused at its field")]
    [TestCase("Turn\u202Earound", "description", RefusalCode.TextHidden, TestName = "A bidi override in the description is refused at its field")]
    public void Text_with_hidden_or_control_characters_is_refused_at_its_field(string text, string field, RefusalCode code)
    {
        var refusal = ComplaintRules.Register(Complaint(D(2026, 7, 1)) with { Description = text }, D(2026, 7, 1))!;
        refusal.Field.Should().Be(field);
        refusal.Code.Should().Be(code);
    }

    [Test]
    public void Line_breaks_are_allowed_in_a_description_and_an_emoji_counts_as_one_character_up_to_the_limit()
    {
        var atLimit = string.Concat(Enumerable.Repeat("👨‍👩‍👧", ComplaintRules.MaxDescriptionLength));
        ComplaintRules.Register(Complaint(D(2026, 7, 1)) with { Description = "Eerste regel\r\nTweede regel" }, D(2026, 7, 1)).Should().BeNull();
        ComplaintRules.Register(Complaint(D(2026, 7, 1)) with { Description = atLimit }, D(2026, 7, 1)).Should().BeNull();
        ComplaintRules.Register(Complaint(D(2026, 7, 1)) with { Description = atLimit + "x" }, D(2026, 7, 1))!.Code.Should().Be(RefusalCode.TextTooLong);
    }

    [Test]
    public void A_name_may_not_hold_a_line_break() =>
        ComplaintRules.Register(Complaint(D(2026, 7, 1)) with { ComplainantName = "Amina\nYusuf" }, D(2026, 7, 1))!.Field.Should().Be("complainant_name");

    private static NewComplaint Complaint(LocalDate received) =>
        new(received, ComplaintChannel.Letter, ComplainantKind.Member, "Amina Yusuf", ComplaintSubject.Payment, "De huur is niet betaald.", null, null, false, []);
}
