using Ontzorging.Domain.Ledger;
using static Ontzorging.Domain.Tests.TestData;

namespace Ontzorging.Domain.Tests.Ledger;

public sealed class JournalEntryTests
{
    private static readonly LocalDate Day = new(2026, 4, 1);

    [Test]
    public void An_entry_whose_debits_and_credits_differ_is_refused()
    {
        var act = () => new JournalEntry(Day, "test", "unbalanced", [new JournalLine(Accounts.Bank, Euros(10), Money.Zero), new JournalLine(Accounts.Household("HH-1"), Money.Zero, Euros(9.99m))]);

        act.Should().Throw<ArgumentException>().WithMessage("*does not balance*");
    }

    [Test]
    public void A_line_with_both_sides_or_neither_is_refused()
    {
        var act = () => new JournalEntry(Day, "test", "odd", [new JournalLine(Accounts.Bank, Euros(1), Euros(1)), new JournalLine(Accounts.Bank, Money.Zero, Money.Zero)]);

        act.Should().Throw<ArgumentException>();
    }

    [Test]
    public void An_unknown_account_is_refused()
    {
        var act = () => JournalEntry.Transfer(Day, "test", "x", "petty_cash", Accounts.Bank, Euros(1));

        act.Should().Throw<ArgumentException>().WithMessage("*unknown account*");
    }

    [Test]
    public void Every_posting_of_the_rulebook_balances_on_the_accounts_it_names()
    {
        JournalEntry[] entries =
        [
            Postings.BijstandBooked("HH-1", Day, Euros(1300)),
            Postings.ReceiptBooked("HH-1", Day, Euros(509), "zorgtoeslag"),
            Postings.CreditDrawn("HH-1", Day, Euros(107.33m)),
            Postings.CreditRepaid("HH-1", Day, Euros(107.33m)),
            Postings.PaymentExported("HH-1", Day, Euros(905), "rent"),
            Postings.PaymentSettled(Day, Euros(905), "rent"),
            Postings.PaymentReturned("HH-1", Day, Euros(905), "rent"),
            Postings.CreditWrittenOff("HH-1", Day, Euros(50), "hardship"),
            Postings.CreditFunded(Day, Euros(1000)),
            Postings.BijstandTransferred(Day, Euros(1300)),
        ];

        entries.Should().OnlyContain(e => Money.Sum(e.Lines.Select(l => l.Debit)) == Money.Sum(e.Lines.Select(l => l.Credit)));
        entries[0].Lines.Select(l => l.Account).Should().Equal(Accounts.BijstandReceivable, "household:HH-1");
        entries[2].Lines.Select(l => l.Account).Should().Equal("credit:HH-1", "household:HH-1");
    }
}

public sealed class BatchPostingTests
{
    [Test]
    public void A_batch_books_bijstand_draw_and_repayment_as_one_balanced_entry_per_household()
    {
        var entry = Postings.BatchBooked("HH-A", new YearMonth(2026, 7), new LocalDate(2026, 7, 1), Money.FromEuros(1300), Money.Zero, Money.FromEuros(321.99m))!;

        entry.Lines.Select(l => (l.Account, l.Debit.ToString(), l.Credit.ToString())).Should().Equal(
            ("bijstand_receivable", "1300.00", "0.00"), ("household:HH-A", "0.00", "1300.00"),
            ("household:HH-A", "321.99", "0.00"), ("credit:HH-A", "0.00", "321.99"));
    }

    [Test]
    public void A_batch_that_moves_nothing_books_nothing() =>
        Postings.BatchBooked("HH-A", new YearMonth(2026, 10), new LocalDate(2026, 10, 1), Money.Zero, Money.Zero, Money.Zero).Should().BeNull();
}
