using NodaTime;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Batches;

/// <summary>Everything known about one household when the batch for <see cref="Month"/> is prepared.</summary>
public sealed record HouseholdMonthContext(
    HouseholdProfile Household,
    LocalDate BijstandStart,
    IReadOnlyList<Decision> Decisions,
    IReadOnlyList<ContractVersion> Contracts,
    IReadOnlyList<BijstandRate> BijstandRates,
    Money Balance,
    IReadOnlyList<Installment> CarriedArrears,
    Money CreditOutstanding,
    YearMonth Month,
    LocalDate PreparationDay,
    IReadOnlyList<(YearMonth Month, Money Booked)>? PastBijstand = null,
    LocalDate? PreviousPreparationDay = null,
    IReadOnlyList<ReturnedLeefgeld>? ReturnedLeefgeld = null,
    IReadOnlyList<RefusedAccount>? RefusedAccounts = null);

/// <summary>
/// A creditor's account (the contract's IBAN) the bank refused as closed or wrong in a status report
/// (AC04, AC01), not confirmed by anyone since: a batch that pays it raises an exception a person
/// acknowledges before approval (docs/rules.md §9, "pain.002").
/// </summary>
public sealed record RefusedAccount(long ContractId, LocalDate RefusedOn, string ReasonCode);

/// <summary>
/// Leefgeld the bank returned, now back in the household's balance: the next batch sends it again,
/// as its own payment, under the same key with the next attempt number (docs/rules.md §9).
/// </summary>
public sealed record ReturnedLeefgeld(long PaymentId, PaymentKey Key, Money Amount);

public enum PaymentKind
{
    Installment,
    Leefgeld,
}

/// <summary>A payment the batch will send: to a creditor (an installment) or to the household (leefgeld).</summary>
public sealed record PlannedPayment(
    PaymentKey Key,
    PaymentKind Kind,
    string KindCode,
    long? ContractId,
    string PayeeName,
    Iban PayeeIban,
    Money Amount,
    LocalDate? DueDate,
    LocalDate ExecutionDate,
    PaymentReference? Reference,
    long? Resends = null);

/// <summary>
/// The month of one household, ready to be stored as part of a batch. <see cref="Resent"/> is
/// returned leefgeld sent again, taken from the balance before the waterfall ran; the leefgeld the
/// household receives this month is <see cref="LeefgeldPaid"/>.
/// </summary>
public sealed record HouseholdMonthResult(
    YearMonth Month,
    OntzorgingPeriod Period,
    bool InBatch,
    Money Bijstand,
    Money MinimumLeefgeld,
    WaterfallResult Waterfall,
    IReadOnlyList<PlannedPayment> Payments,
    IReadOnlyList<BatchIssue> Issues,
    Money Resent = default)
{
    public Money LeefgeldPaid => Waterfall.Leefgeld + Resent;
}

public static class HouseholdMonth
{
    /// <summary>The month date on which a batch's ledger entries are dated: the 1st of M.</summary>
    public static LocalDate EntryDate(YearMonth month) => month.OnDayOfMonth(1);

    /// <summary>The day the batch for <paramref name="month"/> is prepared: the policy day of M−1.</summary>
    public static LocalDate PreparationDay(YearMonth month, Policy policy) => policy.PreparationDayOf(month);

    /// <summary>
    /// Applies the rules of docs/rules.md §3–§6 for one household and month, with the decisions dated on
    /// or before the preparation day. A household is in the batch when its period touches M, or it
    /// holds a positive balance, or it has open arrears.
    /// </summary>
    public static HouseholdMonthResult Plan(HouseholdMonthContext context, Policy policy)
    {
        var month = context.Month;
        var period = OntzorgingPeriod.Derive(context.BijstandStart, context.Decisions, context.PreparationDay, policy);
        var afterEnd = period.IsAfterEnd(month);
        var inBatch = period.Touches(month) || context.Balance.IsPositive || context.CarriedArrears.Count > 0;
        if (!inBatch)
        {
            return new HouseholdMonthResult(month, period, false, Money.Zero, Money.Zero,
                Waterfall.Run(new(Money.Zero, Money.Zero, [], [], Money.Zero, context.CreditOutstanding, Money.Zero, false)), [], []);
        }

        var bijstand = afterEnd ? Money.Zero : Bijstand.For(month, period, context.BijstandRates);
        var minimum = afterEnd ? Money.Zero : MinimumLeefgeld.For(context.Household.Size, month, period, policy);
        var due = afterEnd ? [] : InstallmentSchedule.DueIn(month, period, context.Contracts);
        var resend = Resend(context.ReturnedLeefgeld ?? [], context.Balance);
        var resent = Money.Sum(resend.Select(r => r.Amount));
        var waterfall = Waterfall.Run(new WaterfallInput(
            context.Balance - resent, bijstand, context.CarriedArrears, due, minimum,
            context.CreditOutstanding, policy.CreditCap(context.Household.Size), MayDraw: !afterEnd));

        var issues = waterfall.Issues.ToList();
        issues.AddRange(Recovery.OverpaidAfterDecisions(period, context.Decisions, context.PreviousPreparationDay, context.PreparationDay,
            context.BijstandRates, context.PastBijstand ?? []));
        var payments = new List<PlannedPayment>();
        foreach (var installment in waterfall.Paid)
        {
            var execution = ExecutionDates.ForInstallment(installment.DueDate, context.PreparationDay);
            if (execution > installment.DueDate)
            {
                issues.Add(new BatchIssue(BatchIssueKind.LateExecution,
                    $"{installment.Kind.Code()} due {installment.DueDate:yyyy-MM-dd} can only be executed on {execution:yyyy-MM-dd}", installment));
            }

            if (context.RefusedAccounts?.FirstOrDefault(r => r.ContractId == installment.ContractId) is { } refused)
            {
                issues.Add(new BatchIssue(BatchIssueKind.InvalidCreditorAccount,
                    $"{installment.Kind.Code()} to {installment.CreditorIban}: the bank refused this account on {refused.RefusedOn:yyyy-MM-dd} ({Ledger.ReturnReasons.Describe(refused.ReasonCode, null)}); confirm it with the creditor before approving", installment));
            }

            payments.Add(new PlannedPayment(
                new PaymentKey(context.Household.Reference, PaymentKey.ContractObligation(installment.ContractId), installment.DueDate, installment.Attempt),
                PaymentKind.Installment, installment.Kind.Code(), installment.ContractId, installment.CreditorName, installment.CreditorIban,
                installment.Amount, installment.DueDate, execution, installment.Reference));
        }

        foreach (var (date, amount) in ExecutionDates.SplitLeefgeld(waterfall.Leefgeld, month, period, context.Household.Frequency))
        {
            payments.Add(new PlannedPayment(
                new PaymentKey(context.Household.Reference, PaymentKey.LeefgeldObligation(month), date, 1),
                PaymentKind.Leefgeld, "leefgeld", null, context.Household.Reference, context.Household.Iban, amount, null, date, null));
        }

        // Returned leefgeld leaves again on this month's leefgeld day, to the household's account as it is now.
        var resendOn = ExecutionDates.ForMonthlyLeefgeld(month, period);
        payments.AddRange(resend.Select(r => new PlannedPayment(r.Key with { Attempt = r.Key.Attempt + 1 }, PaymentKind.Leefgeld, "leefgeld", null,
            context.Household.Reference, context.Household.Iban, r.Amount, null, resendOn, null, r.PaymentId)));
        return new HouseholdMonthResult(month, period, true, bijstand, minimum, waterfall, payments, issues, resent);
    }

    /// <summary>The returned leefgeld payments that the balance holds, oldest first; none is ever split.</summary>
    private static List<ReturnedLeefgeld> Resend(IReadOnlyList<ReturnedLeefgeld> returned, Money balance)
    {
        var resend = new List<ReturnedLeefgeld>();
        foreach (var payment in returned.OrderBy(r => r.Key.Date).ThenBy(r => r.PaymentId))
        {
            if (payment.Amount > balance)
            {
                break;
            }

            resend.Add(payment);
            balance -= payment.Amount;
        }

        return resend;
    }
}
