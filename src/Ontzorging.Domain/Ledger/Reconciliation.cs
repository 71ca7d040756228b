using NodaTime;

namespace Ontzorging.Domain.Ledger;

/// <summary>A statement line of the managed account, with the bank-account movement its match produced, if it is matched.</summary>
public sealed record StatementLine(long Id, LocalDate Date, Money Amount, string Status, string Text, LocalDate? LedgerDate, Money? LedgerAmount)
{
    public bool Booked => Status == "matched";
}

/// <summary>A movement of the ledger's bank account, with the statement line it came from, if any.</summary>
public sealed record BankMovement(long EntryId, LocalDate Date, Money Amount, string Description, long? LineId, LocalDate? LineDate);

/// <summary>One day: what the statement moved, what the ledger's bank account moved, and how much of the difference is explained.</summary>
public sealed record ReconciliationDay(LocalDate Date, Money Statement, Money Ledger, Money Explained)
{
    public Money Difference => Statement - Ledger;

    public Money Unexplained => Difference - Explained;
}

public enum ReconciliationReason
{
    /// <summary>On the statement, not booked: an unmatched line or one waiting for confirmation.</summary>
    NotBooked,

    /// <summary>In the ledger, not (yet) on an imported statement: a payment an officer settled, a receipt recorded by a caseworker.</summary>
    NotOnStatement,

    /// <summary>The same money on both sides, on different days.</summary>
    Timing,

    /// <summary>A matched line whose ledger movement is missing or differs: nothing explains it.</summary>
    Mismatch,
}

/// <summary>One item of a day's difference; <see cref="Amount"/> is its effect on statement − ledger.</summary>
public sealed record ReconciliationItem(LocalDate Date, Money Amount, ReconciliationReason Reason, string What);

public sealed record Reconciliation(
    LocalDate From,
    LocalDate To,
    string Account,
    IReadOnlyList<ReconciliationDay> Days,
    IReadOnlyList<ReconciliationItem> Items,
    int LinesOnOtherAccounts)
{
    public Money Statement => Money.Sum(Days.Select(d => d.Statement));

    public Money Ledger => Money.Sum(Days.Select(d => d.Ledger));

    public Money Explained => Money.Sum(Days.Select(d => d.Explained));

    public Money Unexplained => Money.Sum(Days.Select(d => d.Unexplained));

    /// <summary>Reconciled when no day has an unexplained difference and no matched line disagrees with the ledger.</summary>
    public bool Reconciled => Days.All(d => d.Unexplained.IsZero) && Items.All(i => i.Reason != ReconciliationReason.Mismatch);

    /// <summary>
    /// Per day, the statement against the ledger's bank account, each difference explained by items:
    /// a line not booked, a movement not (yet) on a statement, the same money on different days.
    /// A matched line whose movement is missing or differs explains nothing: it is a mismatch.
    /// </summary>
    public static Reconciliation Explain(LocalDate from, LocalDate to, string account, IReadOnlyList<StatementLine> lines, IReadOnlyList<BankMovement> movements,
        int linesOnOtherAccounts)
    {
        var items = new List<ReconciliationItem>();
        foreach (var line in lines)
        {
            var what = $"bank line {line.Id}: {line.Text}".Trim();
            if (!line.Booked)
            {
                items.Add(new(line.Date, line.Amount, ReconciliationReason.NotBooked, $"{what} ({line.Status})"));
            }
            else if (line.LedgerAmount is not { } booked)
            {
                items.Add(new(line.Date, line.Amount, ReconciliationReason.Mismatch, $"{what}: matched, but the ledger's bank account has no movement for it"));
            }
            else
            {
                if (booked != line.Amount)
                {
                    items.Add(new(line.Date, line.Amount - booked, ReconciliationReason.Mismatch, $"{what}: the ledger moved {booked} for it"));
                }

                if (line.LedgerDate != line.Date)
                {
                    items.Add(new(line.Date, booked, ReconciliationReason.Timing, $"{what}: booked in the ledger on {line.LedgerDate:yyyy-MM-dd}"));
                }
            }
        }

        foreach (var movement in movements)
        {
            if (movement.LineId is null)
            {
                items.Add(new(movement.Date, -movement.Amount, ReconciliationReason.NotOnStatement, $"entry {movement.EntryId}: {movement.Description}"));
            }
            else if (movement.LineDate != movement.Date)
            {
                items.Add(new(movement.Date, -movement.Amount, ReconciliationReason.Timing, $"entry {movement.EntryId}: {movement.Description}: on the statement on {movement.LineDate:yyyy-MM-dd}"));
            }
        }

        var statement = lines.GroupBy(l => l.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(l => l.Amount)));
        var ledger = movements.GroupBy(m => m.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(m => m.Amount)));
        var explained = items.Where(i => i.Reason != ReconciliationReason.Mismatch).GroupBy(i => i.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(i => i.Amount)));
        var days = statement.Keys.Union(ledger.Keys).Order()
            .Select(d => new ReconciliationDay(d, statement.GetValueOrDefault(d), ledger.GetValueOrDefault(d), explained.GetValueOrDefault(d)))
            .ToList();
        return new Reconciliation(from, to, account, days, items.OrderBy(i => i.Date).ThenBy(i => i.Reason).ToList(), linesOnOtherAccounts);
    }
}
