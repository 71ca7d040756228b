using NodaTime;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Costs;

/// <summary>
/// One monthly occurrence of a contract: what is owed to whom, and when. <see cref="Attempt"/> is
/// the attempt number its payment will carry: 1, or one more than a payment the bank returned.
/// </summary>
public sealed record Installment(
    long ContractId,
    FixedCostKind Kind,
    string CreditorName,
    Iban CreditorIban,
    Money Amount,
    LocalDate DueDate,
    PaymentReference? Reference,
    int Attempt = 1)
{
    /// <summary>
    /// Payment order (docs/rules.md §6): kind priority, then due date, then creditor IBAN (ordinal),
    /// then contract — so an old rent arrear is paid before this month's energy.
    /// </summary>
    public static readonly IComparer<Installment> PaymentOrder = Comparer<Installment>.Create((a, b) =>
    {
        var byKind = a.Kind.Priority().CompareTo(b.Kind.Priority());
        if (byKind != 0)
        {
            return byKind;
        }

        var byDue = a.DueDate.CompareTo(b.DueDate);
        if (byDue != 0)
        {
            return byDue;
        }

        var byIban = string.CompareOrdinal(a.CreditorIban.Value, b.CreditorIban.Value);
        return byIban != 0 ? byIban : a.ContractId.CompareTo(b.ContractId);
    });
}

public static class InstallmentSchedule
{
    /// <summary>
    /// The installments taken over in <paramref name="month"/> (docs/rules.md §4): due date in the
    /// period, in the version's validity, and for optional kinds on or after the consent date.
    /// </summary>
    public static IReadOnlyList<Installment> DueIn(YearMonth month, OntzorgingPeriod period, IEnumerable<ContractVersion> versions)
    {
        var result = new List<Installment>();
        foreach (var version in versions)
        {
            var due = version.DueDateIn(month);
            // Rules §6: an installment of 0.00 (water included in the rent) is neither paid nor an arrear.
            if (version.Amount.IsZero || !period.Contains(due) || !version.IsValidOn(due))
            {
                continue;
            }

            if (version.Kind.NeedsConsent() && (version.ConsentOn is null || due < version.ConsentOn))
            {
                continue;
            }

            result.Add(new Installment(version.ContractId, version.Kind, version.CreditorName, version.CreditorIban, version.Amount, due, version.Reference));
        }

        result.Sort(Installment.PaymentOrder);
        return result;
    }
}
