using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;

namespace Ontzorging.Domain.Tests;

internal static class TestData
{
    public static readonly Iban Creditor = Iban.Of("NL20INGB0001234567");

    public static OntzorgingPeriod Period(LocalDate start, LocalDate? end = null) =>
        new(start, end ?? start.PlusMonths(6), 0, null, null);

    public static ContractVersion Contract(FixedCostKind kind, decimal amount, int dueDay = 1, long id = 1, LocalDate? from = null, LocalDate? to = null, LocalDate? consent = null, Iban? iban = null) =>
        new(id, kind, kind.Code(), iban ?? Creditor, Money.FromEuros(amount), dueDay, null, from ?? new LocalDate(2020, 1, 1), to, consent);

    public static Installment Installment(FixedCostKind kind, decimal amount, LocalDate due, long id = 1, Iban? iban = null) =>
        new(id, kind, kind.Code(), iban ?? Creditor, Money.FromEuros(amount), due, null);

    public static Money Euros(decimal euros) => Money.FromEuros(euros);
}
