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
    LocalDate? PreviousPreparationDay = null);

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
    PaymentReference? Reference);

/// <summary>The month of one household, ready to be stored as part of a batch.</summary>
public sealed record HouseholdMonthResult(
    YearMonth Month,
    OntzorgingPeriod Period,
    bool InBatch,
    Money Bijstand,
    Money MinimumLeefgeld,
    WaterfallResult Waterfall,
    IReadOnlyList<PlannedPayment> Payments,
    IReadOnlyList<BatchIssue> Issues);

public static class HouseholdMonth
{
    /// <summary>The month date on which a batch's ledger entries are dated: the 1st of M.</summary>
    public static LocalDate EntryDate(YearMonth month) => month.OnDayOfMonth(1);

    /// <summary>The day the batch for <paramref name="month"/> is prepared: the policy day of M−1.</summary>
    public static LocalDate PreparationDay(YearMonth month, Policy policy)
    {
        var previous = month.PlusMonths(-1);
        return previous.OnDayOfMonth(Math.Min(policy.PreparationDay, previous.Calendar.GetDaysInMonth(previous.Year, previous.Month)));
    }

    /// <summary>
    /// Applies the rules of DOMAIN.md §3–§6 for one household and month, with the decisions dated on
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
        var waterfall = Waterfall.Run(new WaterfallInput(
            context.Balance, bijstand, context.CarriedArrears, due, minimum,
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

            payments.Add(new PlannedPayment(
                new PaymentKey(context.Household.Reference, PaymentKey.ContractObligation(installment.ContractId), installment.DueDate, 1),
                PaymentKind.Installment, installment.Kind.Code(), installment.ContractId, installment.CreditorName, installment.CreditorIban,
                installment.Amount, installment.DueDate, execution, installment.Reference));
        }

        foreach (var (date, amount) in ExecutionDates.SplitLeefgeld(waterfall.Leefgeld, month, period, context.Household.Frequency))
        {
            payments.Add(new PlannedPayment(
                new PaymentKey(context.Household.Reference, PaymentKey.LeefgeldObligation(month), date, 1),
                PaymentKind.Leefgeld, "leefgeld", null, context.Household.Reference, context.Household.Iban, amount, null, date, null));
        }

        return new HouseholdMonthResult(month, period, true, bijstand, minimum, waterfall, payments, issues);
    }
}
