using NodaTime;

namespace Ontzorging.Domain.Costs;

/// <summary>
/// One effective-dated version of a fixed-cost contract. Versions with the same (household, kind,
/// creditor IBAN) form one contract and must not overlap (rent rises on 1 July: a new version).
/// </summary>
public sealed record ContractVersion(
    long ContractId,
    FixedCostKind Kind,
    string CreditorName,
    Iban CreditorIban,
    Money Amount,
    int DueDay,
    PaymentReference? Reference,
    LocalDate ValidFrom,
    LocalDate? ValidTo,
    LocalDate? ConsentOn)
{
    public bool IsValidOn(LocalDate date) => date >= ValidFrom && (ValidTo is null || date <= ValidTo);

    /// <summary>The due date in <paramref name="month"/>: the due day clamped to the month's last day.</summary>
    public LocalDate DueDateIn(YearMonth month) => month.OnDayOfMonth(Math.Min(DueDay, month.Calendar.GetDaysInMonth(month.Year, month.Month)));

    public bool Overlaps(ContractVersion other) =>
        ValidFrom <= (other.ValidTo ?? LocalDate.MaxIsoValue) && other.ValidFrom <= (ValidTo ?? LocalDate.MaxIsoValue);
}
