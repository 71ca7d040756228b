using NodaTime;
using Ontzorging.Domain.Calendars;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Signals;

/// <summary>What a signal is about, once per household: its kind, its stream or payment, and its month (docs/rules.md §18).</summary>
public readonly record struct SignalKey(SignalKind Kind, string Subject, YearMonth Month);

/// <summary>
/// One thing the watch found: what was expected (amount, date) and what happened (amount, date),
/// with a detail such as the bank's return reason or the number of receipts.
/// </summary>
public sealed record SignalFinding(SignalKey Key, Money? Expected, LocalDate? ExpectedOn, Money? Actual, LocalDate? ActualOn, string? Detail = null)
{
    public SignalKind Kind => Key.Kind;
}

/// <summary>An outgoing bank line that names a payment's EndToEndId and settled nothing (a second settlement, or another amount). Amount: money out, positive.</summary>
public sealed record StrayLine(Money Amount, LocalDate BookingDate);

/// <summary>A payment of ours as the bank saw it.</summary>
public sealed record PaymentFacts(string EndToEndId, string Kind, Money Amount, LocalDate ExecutionDate, LocalDate? SettledOn, LocalDate? ReturnedOn, string? ReturnReason,
    bool ResendSettled, IReadOnlyList<StrayLine> StrayLines);

/// <summary>An arrear still open: <paramref name="Subject"/> names its contract (so each obligation is its own signal).</summary>
public sealed record ArrearFacts(string Subject, string Kind, Money Amount, LocalDate DueDate);

/// <summary>The last live batch of a household: its month, preparation day, leefgeld and the minimum.</summary>
public sealed record LastBatchFacts(YearMonth Month, LocalDate PreparedOn, Money Leefgeld, Money MinimumLeefgeld);

/// <summary>A signal as stored: its key, status and the day it was first seen.</summary>
public sealed record StoredSignal(SignalKey Key, SignalStatus Status, LocalDate FirstSeenOn, Money? Actual, LocalDate? ActualOn, string? Detail);

/// <summary>What a run changes for one household: signals to add, to update (what happened changed) and to resolve.</summary>
public sealed record SignalChanges(IReadOnlyList<SignalFinding> Added, IReadOnlyList<SignalFinding> Updated, IReadOnlyList<SignalKey> Resolved);

/// <summary>
/// The money signals (docs/rules.md §18): from the facts of one household on one day, what is
/// missing, off, doubled, short or returned. Pure: the watch (Infrastructure) reads the facts and
/// stores what this finds; <see cref="Reconcile"/> says what a run changes.
/// </summary>
public static class MoneySignalRules
{
    private static readonly DutchWorkingDays WorkingDays = DutchWorkingDays.Instance;

    /// <summary>Months after today's month that a receipt already in may be checked for (an advance arrives in M−1).</summary>
    private const int MonthsAhead = 2;

    public const string CreditCapSubject = "credit_cap";

    public const string LeefgeldSubject = "leefgeld";

    public static string PaymentSubject(string endToEndId) => "payment:" + endToEndId;

    /// <summary>
    /// The regular date of each month of <paramref name="stream"/> through <paramref name="through"/>
    /// as it was expected (rules §5, §16): for a toeslag not yet awarded on <paramref name="today"/>,
    /// the <c>expected</c> scenario as seen on its application day (the months owed paid together on
    /// the first regular date after the decision deadline); otherwise <see cref="ToeslagWatch.ExpectedArrival"/>.
    /// A toeslag never applied for is never expected.
    /// </summary>
    public static IReadOnlyDictionary<YearMonth, LocalDate> DueDates(IncomeStream stream, bool awarded, YearMonth through, Policy policy)
    {
        var due = new Dictionary<YearMonth, LocalDate>();
        if (stream.Kind.IsToeslag() && !awarded)
        {
            if (stream.AppliedOn is not { } applied)
            {
                return due;
            }

            foreach (var receipt in ExpectedIncome.For(stream, [], applied, through, ForecastScenario.Expected, policy))
            {
                for (var m = receipt.CoversFrom; m <= receipt.CoversTo; m = m.PlusMonths(1))
                {
                    due[m] = receipt.ReceivedOn;
                }
            }

            return due;
        }

        for (var m = stream.From; m <= through && (stream.To is null || m <= stream.To); m = m.PlusMonths(1))
        {
            due[m] = ToeslagWatch.ExpectedArrival(stream.Kind, m, policy);
        }

        return due;
    }

    /// <summary>
    /// Each month of an income stream (never bijstand: the batch books it) that the period touches:
    /// missing when no receipt covers it <see cref="SignalTolerances.MissingDays"/> working days after
    /// its date; several when more than one receipt covers it; an unexpected amount when its one
    /// receipt's share (a receipt of several months is shared equally) differs beyond the tolerance.
    /// Only receipts received by <paramref name="today"/> count.
    /// </summary>
    public static IReadOnlyList<SignalFinding> ForStream(IncomeStream stream, IReadOnlyList<Receipt> receipts, OntzorgingPeriod period, LocalDate today,
        SignalTolerances tolerances, Policy policy)
    {
        if (stream.Kind == IncomeKind.Bijstand || !stream.ExpectedAmount.IsPositive)
        {
            return [];
        }

        var received = receipts.Where(r => r.Kind == stream.Kind && r.ReceivedOn <= today).ToList();
        var through = today.ToYearMonth().PlusMonths(MonthsAhead);
        var due = DueDates(stream, received.Count > 0, through, policy);
        var code = stream.Kind.Code();
        var findings = new List<SignalFinding>();
        for (var month = stream.From; month <= through && (stream.To is null || month <= stream.To); month = month.PlusMonths(1))
        {
            if (!period.Touches(month))
            {
                continue;
            }

            var key = new SignalKey(SignalKind.Missing, code, month);
            LocalDate? expectedOn = due.TryGetValue(month, out var d) ? d : null;
            var covering = received.Where(r => r.Covers(month)).ToList();
            if (covering.Count == 0)
            {
                if (expectedOn is { } on && WorkingDays.AddOpenDays(on, tolerances.MissingDays(policy)) <= today)
                {
                    findings.Add(new SignalFinding(key, stream.ExpectedAmount, on, null, null));
                }

                continue;
            }

            var shares = covering.Select(Share).ToList();
            var last = covering.Max(r => r.ReceivedOn);
            if (covering.Count > 1)
            {
                findings.Add(new SignalFinding(key with { Kind = SignalKind.Several }, stream.ExpectedAmount, expectedOn, Money.Sum(shares), last,
                    covering.Count.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
            else if (tolerances.Differs(stream.ExpectedAmount, shares[0]))
            {
                findings.Add(new SignalFinding(key with { Kind = SignalKind.UnexpectedAmount }, stream.ExpectedAmount, expectedOn, shares[0], last));
            }
        }

        return findings;
    }

    /// <summary>A receipt's share of one month it covers: its amount divided equally over its months (rounded once, to the cent).</summary>
    public static Money Share(Receipt receipt)
    {
        var months = (receipt.CoversTo.Year - receipt.CoversFrom.Year) * 12 + receipt.CoversTo.Month - receipt.CoversFrom.Month + 1;
        return receipt.Amount.Prorate(1, months);
    }

    /// <summary>
    /// A payment returned by the bank (until its re-sent payment settles), settled twice (a second
    /// line of the same amount naming it), or a line naming it with another amount beyond the tolerance.
    /// </summary>
    public static IReadOnlyList<SignalFinding> ForPayment(PaymentFacts payment, LocalDate today, SignalTolerances tolerances)
    {
        var findings = new List<SignalFinding>();
        var month = payment.ExecutionDate.ToYearMonth();
        var subject = PaymentSubject(payment.EndToEndId);
        if (payment.ReturnedOn is { } returned && returned <= today && !payment.ResendSettled)
        {
            findings.Add(new SignalFinding(new SignalKey(SignalKind.Returned, subject, month), payment.Amount, payment.ExecutionDate, payment.Amount, returned,
                payment.ReturnReason ?? "unknown"));
        }

        var lines = payment.StrayLines.Where(l => l.BookingDate <= today).ToList();
        var twice = lines.Where(l => l.Amount == payment.Amount).ToList();
        if (payment.SettledOn is { } settled && settled <= today && twice.Count > 0)
        {
            findings.Add(new SignalFinding(new SignalKey(SignalKind.Several, subject, month), payment.Amount, payment.ExecutionDate,
                new Money(checked(payment.Amount.Cents * (twice.Count + 1))), twice.Max(l => l.BookingDate),
                (twice.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)));
        }

        var off = lines.Where(l => tolerances.Differs(payment.Amount, l.Amount)).ToList();
        if (off.Count > 0)
        {
            var line = off.MaxBy(l => l.BookingDate)!;
            findings.Add(new SignalFinding(new SignalKey(SignalKind.UnexpectedAmount, subject, month), payment.Amount, payment.ExecutionDate, line.Amount, line.BookingDate));
        }

        return findings;
    }

    /// <summary>
    /// The worklist's reasons of shortage (<see cref="Attention.Reasons"/>: open arrears, credit near
    /// its cap, leefgeld below the minimum in the last batch) as dated signals: each open arrear by
    /// its contract and due month, the credit and the leefgeld by the last batch's month.
    /// </summary>
    public static IReadOnlyList<SignalFinding> ForShortage(IReadOnlyList<AttentionReason> reasons, IReadOnlyList<ArrearFacts> arrears, Money creditOutstanding,
        Money creditCap, LastBatchFacts? lastBatch, LocalDate today)
    {
        var findings = new List<SignalFinding>();
        if (reasons.Contains(AttentionReason.OpenArrears))
        {
            foreach (var arrear in arrears)
            {
                findings.Add(new SignalFinding(new SignalKey(SignalKind.Shortage, arrear.Subject, arrear.DueDate.ToYearMonth()), arrear.Amount, arrear.DueDate, null, null, arrear.Kind));
            }
        }

        if (reasons.Contains(AttentionReason.CreditNearCap))
        {
            var month = lastBatch?.Month ?? today.ToYearMonth();
            findings.Add(new SignalFinding(new SignalKey(SignalKind.Shortage, CreditCapSubject, month), creditCap, lastBatch?.PreparedOn ?? today, creditOutstanding, lastBatch?.PreparedOn ?? today));
        }

        if (reasons.Contains(AttentionReason.LeefgeldBelowMinimum) && lastBatch is not null)
        {
            findings.Add(new SignalFinding(new SignalKey(SignalKind.Shortage, LeefgeldSubject, lastBatch.Month), lastBatch.MinimumLeefgeld, lastBatch.PreparedOn,
                lastBatch.Leefgeld, lastBatch.PreparedOn));
        }

        return findings;
    }

    /// <summary>
    /// What a run on <paramref name="today"/> changes: a finding not stored yet is added (first seen
    /// today); an open signal whose figures changed is updated; an open signal first seen by today
    /// and no longer found is resolved (what was missing arrived, the arrear was paid, the re-sent
    /// payment settled). A suppressed or resolved signal stays as it is. Running the same day twice
    /// changes nothing the second time.
    /// </summary>
    public static SignalChanges Reconcile(IReadOnlyList<StoredSignal> stored, IReadOnlyList<SignalFinding> found, LocalDate today)
    {
        var byKey = stored.ToDictionary(s => s.Key);
        var foundKeys = new HashSet<SignalKey>();
        var added = new List<SignalFinding>();
        var updated = new List<SignalFinding>();
        foreach (var finding in found)
        {
            if (!foundKeys.Add(finding.Key))
            {
                continue;
            }

            if (!byKey.TryGetValue(finding.Key, out var existing))
            {
                added.Add(finding);
            }
            else if (existing.Status == SignalStatus.Open && (existing.Actual != finding.Actual || existing.ActualOn != finding.ActualOn || existing.Detail != finding.Detail))
            {
                updated.Add(finding);
            }
        }

        var resolved = stored.Where(s => s.Status == SignalStatus.Open && s.FirstSeenOn <= today && !foundKeys.Contains(s.Key)).Select(s => s.Key).ToList();
        return new SignalChanges(added, updated, resolved);
    }
}
