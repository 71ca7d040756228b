using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;

namespace Ontzorging.Domain.Tests.Ledger;

public sealed class StatementTextTests
{
    private static readonly Dictionary<string, long> Households = new(StringComparer.OrdinalIgnoreCase) { ["HH-0001"] = 1, ["HH-0002"] = 2 };

    [TestCase("Zorgtoeslag HH-0001 2026-06", 1L)]
    [TestCase("zorgtoeslag hh-0001 en HH-0001", 1L)]
    [TestCase("toeslagen HH-0001 HH-0002", null)]
    [TestCase("toeslag zonder kenmerk", null)]
    public void A_line_names_a_household_only_when_it_names_exactly_one(string text, long? household) =>
        StatementText.OneHouseholdIn(text, Households).Should().Be(household);

    [TestCase("Zorgtoeslag HH-0001 2026-06", 1L)]
    [TestCase("toeslagen HH-0001 HH-0002", null)]
    public void Any_read_only_dictionary_of_households_finds_the_same_household(string text, long? household) =>
        StatementText.OneHouseholdIn(text, new System.Collections.ObjectModel.ReadOnlyDictionary<string, long>(Households)).Should().Be(household);

    [TestCase("Huurtoeslag HH-0001", IncomeKind.Huurtoeslag)]
    [TestCase("HUURTOESLAG en zorgtoeslag", null)]
    [TestCase("betaling", null)]
    public void A_line_brings_a_toeslag_only_when_it_names_exactly_one(string text, IncomeKind? kind) =>
        StatementText.OneToeslagIn(text).Should().Be(kind);

    [TestCase("Bijstand juni 2026", MunicipalTransfer.Bijstand)]
    [TestCase("Krediet bijstand juni", MunicipalTransfer.CreditFunding)]
    [TestCase("overboeking", null)]
    public void A_municipal_transfer_is_credit_funding_before_bijstand(string text, MunicipalTransfer? transfer) =>
        StatementText.MunicipalTransferIn(text).Should().Be(transfer);

    [TestCase("STORNO huur juni", true)]
    [TestCase("Terugboeking", true)]
    [TestCase("huur juni", false)]
    public void A_bank_marks_a_returned_payment_by_its_words(string text, bool marked) =>
        StatementText.IsMarkedAsReturn(text).Should().Be(marked);
}
