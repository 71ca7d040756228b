using NodaTime;

namespace Ontzorging.Domain.Ledger;

/// <summary>One side of one account in an entry; exactly one of the amounts is positive.</summary>
public sealed record JournalLine(string Account, Money Debit, Money Credit);

/// <summary>
/// A double-entry journal entry: its debits equal its credits, or it is not created. Entries are
/// append-only; a correction is a new entry.
/// </summary>
public sealed record JournalEntry
{
    public JournalEntry(LocalDate date, string kind, string description, IReadOnlyList<JournalLine> lines)
    {
        if (lines.Count < 2)
        {
            throw new ArgumentException("An entry needs at least two lines", nameof(lines));
        }

        foreach (var line in lines)
        {
            if (line.Debit.IsNegative || line.Credit.IsNegative || line.Debit.IsPositive == line.Credit.IsPositive)
            {
                throw new ArgumentException($"Line on {line.Account} must have exactly one positive side", nameof(lines));
            }

            Accounts.TypeOf(line.Account);
        }

        var debits = Money.Sum(lines.Select(l => l.Debit));
        var credits = Money.Sum(lines.Select(l => l.Credit));
        if (debits != credits)
        {
            throw new ArgumentException($"Entry '{description}' does not balance: debits {debits}, credits {credits}", nameof(lines));
        }

        Date = date;
        Kind = kind;
        Description = description;
        Lines = lines;
    }

    public LocalDate Date { get; }

    /// <summary>What kind of movement this is (bijstand, receipt, draw, repay, payment, …).</summary>
    public string Kind { get; }

    public string Description { get; }

    public IReadOnlyList<JournalLine> Lines { get; }

    public Money Total => Money.Sum(Lines.Select(l => l.Debit));

    /// <summary>The common two-line entry: debit one account, credit another.</summary>
    public static JournalEntry Transfer(LocalDate date, string kind, string description, string debit, string credit, Money amount) =>
        new(date, kind, description, [new JournalLine(debit, amount, Money.Zero), new JournalLine(credit, Money.Zero, amount)]);
}

/// <summary>The postings of docs/rules.md §9, one method per movement.</summary>
public static class Postings
{
    public static JournalEntry BijstandBooked(string household, LocalDate date, Money amount) =>
        JournalEntry.Transfer(date, "bijstand", $"bijstand {date:yyyy-MM} for {household}", Accounts.BijstandReceivable, Accounts.Household(household), amount);

    /// <summary>
    /// What a batch for month M books for one household, dated the 1st of M, as one entry with a
    /// debit and a credit line per movement: bijstand (receivable → household), credit drawn
    /// (credit → household) and credit repaid (household → credit). Null when nothing moved.
    /// </summary>
    public static JournalEntry? BatchBooked(string household, YearMonth month, LocalDate date, Money bijstand, Money drawn, Money repaid)
    {
        var lines = new List<JournalLine>();
        void Move(string debit, string credit, Money amount)
        {
            if (amount.IsPositive)
            {
                lines.Add(new JournalLine(debit, amount, Money.Zero));
                lines.Add(new JournalLine(credit, Money.Zero, amount));
            }
        }

        Move(Accounts.BijstandReceivable, Accounts.Household(household), bijstand);
        Move(Accounts.Credit(household), Accounts.Household(household), drawn);
        Move(Accounts.Household(household), Accounts.Credit(household), repaid);
        return lines.Count == 0 ? null : new JournalEntry(date, "batch",
            $"batch {month:yyyy-MM} for {household}: bijstand {bijstand}, credit drawn {drawn}, credit repaid {repaid}", lines);
    }

    /// <summary>
    /// An opening position (§20), dated its cut-over: the balance held for the household
    /// (cutover → household) and the credit it owes (credit → cutover). Null when both are zero.
    /// </summary>
    public static JournalEntry? Opening(string household, LocalDate cutoverOn, Money balance, Money credit)
    {
        var lines = new List<JournalLine>();
        if (balance.IsPositive)
        {
            lines.Add(new JournalLine(Accounts.Cutover, balance, Money.Zero));
            lines.Add(new JournalLine(Accounts.Household(household), Money.Zero, balance));
        }

        if (credit.IsPositive)
        {
            lines.Add(new JournalLine(Accounts.Credit(household), credit, Money.Zero));
            lines.Add(new JournalLine(Accounts.Cutover, Money.Zero, credit));
        }

        return lines.Count == 0 ? null : new JournalEntry(cutoverOn, "opening",
            $"opening position of {household} on {cutoverOn:yyyy-MM-dd}: balance {balance}, credit outstanding {credit}", lines);
    }

    public static JournalEntry BijstandTransferred(LocalDate date, Money amount) =>
        JournalEntry.Transfer(date, "bijstand_transfer", "bijstand transfer from the municipality", Accounts.Bank, Accounts.BijstandReceivable, amount);

    public static JournalEntry ReceiptBooked(string household, LocalDate date, Money amount, string what) =>
        JournalEntry.Transfer(date, "receipt", $"{what} for {household}", Accounts.Bank, Accounts.Household(household), amount);

    public static JournalEntry CreditDrawn(string household, LocalDate date, Money amount) =>
        JournalEntry.Transfer(date, "draw", $"bridging credit drawn for {household}", Accounts.Credit(household), Accounts.Household(household), amount);

    public static JournalEntry CreditRepaid(string household, LocalDate date, Money amount) =>
        JournalEntry.Transfer(date, "repay", $"bridging credit repaid by {household}", Accounts.Household(household), Accounts.Credit(household), amount);

    public static JournalEntry CreditWrittenOff(string household, LocalDate date, Money amount, string reason) =>
        JournalEntry.Transfer(date, "write_off", $"credit of {household} written off: {reason}", Accounts.CreditLosses, Accounts.Credit(household), amount);

    public static JournalEntry CreditFunded(LocalDate date, Money amount) =>
        JournalEntry.Transfer(date, "funding", "municipal funding of bridging credit", Accounts.Bank, Accounts.CreditFund, amount);

    public static JournalEntry PaymentExported(string household, LocalDate date, Money amount, string what) =>
        JournalEntry.Transfer(date, "payment", $"{what} for {household}", Accounts.Household(household), Accounts.InTransit, amount);

    public static JournalEntry PaymentSettled(LocalDate date, Money amount, string what) =>
        JournalEntry.Transfer(date, "settlement", $"{what} on the bank statement", Accounts.InTransit, Accounts.Bank, amount);

    public static JournalEntry PaymentReturned(string household, LocalDate date, Money amount, string what) =>
        JournalEntry.Transfer(date, "return", $"{what} returned for {household}", Accounts.Bank, Accounts.Household(household), amount);

    /// <summary>The bank refused an exported payment before it left (pain.002): it was never on its way; the money is the household's again.</summary>
    public static JournalEntry PaymentRejected(string household, LocalDate date, Money amount, string what) =>
        JournalEntry.Transfer(date, "rejection", $"{what} rejected by the bank for {household}", Accounts.InTransit, Accounts.Household(household), amount);
}
