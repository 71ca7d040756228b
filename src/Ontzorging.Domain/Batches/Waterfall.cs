using Ontzorging.Domain.Costs;

namespace Ontzorging.Domain.Batches;

/// <summary>What the waterfall of one household for one month starts from.</summary>
/// <param name="Balance">Held for the household: routed receipts booked since the last batch plus what that batch kept back.</param>
/// <param name="Bijstand">bijstand(M); zero after the end.</param>
/// <param name="CarriedArrears">Installments of earlier batches that did not fit.</param>
/// <param name="InstallmentsDue">Installments due in M; empty after the end.</param>
/// <param name="MinimumLeefgeld">L for M; zero after the end.</param>
/// <param name="CreditOutstanding">Bridging credit not yet repaid.</param>
/// <param name="CreditCap">Most that may ever be outstanding.</param>
/// <param name="MayDraw">False after the end: no new credit.</param>
public sealed record WaterfallInput(
    Money Balance,
    Money Bijstand,
    IReadOnlyList<Installment> CarriedArrears,
    IReadOnlyList<Installment> InstallmentsDue,
    Money MinimumLeefgeld,
    Money CreditOutstanding,
    Money CreditCap,
    bool MayDraw);

public enum BatchIssueKind
{
    /// <summary>An installment did not fit and is carried as an arrear.</summary>
    Arrear,

    /// <summary>More was needed than the credit cap allows.</summary>
    ShortfallBeyondCap,

    /// <summary>The household gets less than the minimum leefgeld.</summary>
    LeefgeldBelowMinimum,

    /// <summary>An installment cannot leave before its due date.</summary>
    LateExecution,

    /// <summary>A payee's account cannot be paid (invalid IBAN).</summary>
    InvalidCreditorAccount,

    /// <summary>A backdated decision shows an earlier batch booked too much bijstand: recover it.</summary>
    OverpaidAfterDecision,
}

/// <summary>A batch exception for the finance officer (docs/rules.md §6): named an issue in code.</summary>
public sealed record BatchIssue(BatchIssueKind Kind, string Message, Installment? Installment = null);

/// <summary>Where every cent of <see cref="Cash"/> went: paid, lived on, repaid, or kept.</summary>
public sealed record WaterfallResult(
    Money Cash,
    Money Drawn,
    IReadOnlyList<Installment> Paid,
    IReadOnlyList<Installment> Arrears,
    Money Leefgeld,
    Money Repaid,
    Money KeptBack,
    Money CreditOutstandingAfter,
    IReadOnlyList<BatchIssue> Issues)
{
    public Money InstallmentsPaid => Money.Sum(Paid.Select(i => i.Amount));

    public Money ArrearsOpen => Money.Sum(Arrears.Select(i => i.Amount));
}

/// <summary>
/// The monthly waterfall of docs/rules.md §6: draw credit for a shortfall (up to the cap), pay the due
/// installments in priority order stopping at the first that does not fit, pay the minimum
/// leefgeld, then — only when no arrears are open — repay credit and pay out the rest. After the
/// end the same steps run with no bijstand, no new installments, L = 0 and no draws, which is
/// exactly "arrears first, then credit, then a final leefgeld". No step makes a balance negative.
/// </summary>
public static class Waterfall
{
    public static WaterfallResult Run(WaterfallInput input)
    {
        if (input.Balance.IsNegative || input.Bijstand.IsNegative || input.CreditOutstanding.IsNegative || input.MinimumLeefgeld.IsNegative)
        {
            throw new ArgumentException("Waterfall inputs are never negative", nameof(input));
        }

        var issues = new List<BatchIssue>();
        var due = input.CarriedArrears.Concat(input.InstallmentsDue).Order(Installment.PaymentOrder).ToList();
        var cash = input.Balance + input.Bijstand;
        var startCash = cash;

        var drawn = Money.Zero;
        var needed = Money.Sum(due.Select(i => i.Amount)) + input.MinimumLeefgeld;
        if (cash < needed && input.MayDraw)
        {
            var shortfall = needed - cash;
            var room = Money.Max(Money.Zero, input.CreditCap - input.CreditOutstanding);
            drawn = Money.Min(shortfall, room);
            cash += drawn;
            if (drawn < shortfall)
            {
                issues.Add(new(BatchIssueKind.ShortfallBeyondCap,
                    $"shortfall {shortfall} exceeds the credit room {room} (cap {input.CreditCap})"));
            }
        }

        var paid = new List<Installment>();
        var arrears = new List<Installment>();
        foreach (var installment in due)
        {
            if (arrears.Count == 0 && installment.Amount <= cash)
            {
                paid.Add(installment);
                cash -= installment.Amount;
            }
            else
            {
                arrears.Add(installment);
                issues.Add(new(BatchIssueKind.Arrear,
                    $"{installment.Kind.Code()} {installment.Amount} due {installment.DueDate:yyyy-MM-dd} to {installment.CreditorName} does not fit and becomes an arrear",
                    installment));
            }
        }

        var leefgeld = Money.Min(cash, input.MinimumLeefgeld);
        cash -= leefgeld;
        if (leefgeld < input.MinimumLeefgeld)
        {
            issues.Add(new(BatchIssueKind.LeefgeldBelowMinimum,
                $"leefgeld {leefgeld} is below the minimum {input.MinimumLeefgeld}"));
        }

        var outstanding = input.CreditOutstanding + drawn;
        var repaid = Money.Zero;
        if (arrears.Count == 0)
        {
            repaid = Money.Min(cash, outstanding);
            cash -= repaid;
            leefgeld += cash;
            cash = Money.Zero;
        }

        return new WaterfallResult(startCash + drawn, drawn, paid, arrears, leefgeld, repaid, cash, outstanding - repaid, issues);
    }
}
