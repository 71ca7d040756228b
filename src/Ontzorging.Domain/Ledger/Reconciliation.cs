using NodaTime;

namespace Ontzorging.Domain.Ledger;

/// <summary>A statement line of the managed account, with the bank-account movement its match produced, if it is matched.</summary>
public sealed record StatementLine(long Id, LocalDate Date, Money Amount, string Status, string Text, LocalDate? LedgerDate, Money? LedgerAmount)
{
    public bool Booked => Status == "matched";

    public string Counterparty { get; init; } = "";

    public string Description { get; init; } = "";
}

/// <summary>A movement of the ledger's bank account, with the statement line it came from, if any.</summary>
public sealed record BankMovement(long EntryId, LocalDate Date, Money Amount, string Description, long? LineId, LocalDate? LineDate);

/// <summary>
/// One day: what the statement moved, what the ledger's bank account moved, and how much of the
/// difference is explained. Where the bank's file carries balances: what it says the account held
/// at the day's opening and closing, and the ledger's bank account at the day's close.
/// </summary>
public sealed record ReconciliationDay(LocalDate Date, Money Statement, Money Ledger, Money Explained)
{
    public Money Difference => Statement - Ledger;

    public Money Unexplained => Difference - Explained;

    public Money? BankOpening { get; init; }

    public Money? BankClosing { get; init; }

    public Money? LedgerClosing { get; init; }

    /// <summary>How much more the bank's balance moved than the day's imported lines: lines missing from the statement. Null without balances.</summary>
    public Money? BalanceGap => BankClosing is { } closing && BankOpening is { } opening ? closing - opening - Statement : null;

    /// <summary>The bank's closing balance less the ledger's; from day to day it moves by the day's difference.</summary>
    public Money? BalanceDifference => BankClosing is { } bank && LedgerClosing is { } ledger ? bank - ledger : null;

    /// <summary>How far the day opens from where the same statement closed its previous day: lines missing between them. Null when not known.</summary>
    public Money? OpeningGap { get; init; }

    /// <summary>Something on this day nothing explains: a difference, or a balance the lines do not reach.</summary>
    public bool HasUnexplained => !Unexplained.IsZero || BalanceGap is { IsZero: false } || OpeningGap is { IsZero: false };
}

/// <summary>Per day, what the statement and the ledger's bank account moved (set-based sums).</summary>
public sealed record DayTotals(LocalDate Date, Money Statement, Money Ledger);

/// <summary>All items of one reason on one day (summed by the database), whether or not each is listed: their effect on statement − ledger and how many.</summary>
public sealed record ReasonTotal(LocalDate Date, ReconciliationReason Reason, Money Amount, int Count);

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

    /// <summary>The bank's balances moved more (or less) on a day than its imported lines: lines missing from the statement. Nothing explains it.</summary>
    BalanceGap,
}

/// <summary>
/// One item of a day's difference; <see cref="Amount"/> is its effect on statement − ledger (for a
/// <see cref="ReconciliationReason.BalanceGap"/>: the bank's movement not on its lines).
/// <see cref="What"/> is the item in plain English (the CLI); the site words it from the other fields:
/// the statement line or ledger entry, its text, the line's status, the other side's date and amount.
/// </summary>
public sealed record ReconciliationItem(LocalDate Date, Money Amount, ReconciliationReason Reason, string What)
{
    public long? LineId { get; init; }

    public long? EntryId { get; init; }

    /// <summary>The bank line's counterparty, or the entry's description: the bank's or our own text, shown as text.</summary>
    public string? Counterparty { get; init; }

    public string? Description { get; init; }

    public string? Status { get; init; }

    /// <summary>Timing: the day on the other side.</summary>
    public LocalDate? OtherDate { get; init; }

    /// <summary>Mismatch: what the ledger moved for the line (null: nothing).</summary>
    public Money? Booked { get; init; }

    /// <summary>Mismatch and balance gaps: nothing explains them.</summary>
    public bool Unexplained => Reason is ReconciliationReason.Mismatch or ReconciliationReason.BalanceGap;
}

public sealed record Reconciliation(
    LocalDate From,
    LocalDate To,
    string Account,
    IReadOnlyList<ReconciliationDay> Days,
    IReadOnlyList<ReconciliationItem> Items,
    int LinesOnOtherAccounts)
{
    /// <summary>Every item's reason with how many there are and their sum, also where <see cref="Items"/> lists only the first of them.</summary>
    public IReadOnlyDictionary<ReconciliationReason, (int Count, Money Amount)> Counts { get; init; } =
        new Dictionary<ReconciliationReason, (int Count, Money Amount)>();

    public Money Statement => Money.Sum(Days.Select(d => d.Statement));

    public Money Ledger => Money.Sum(Days.Select(d => d.Ledger));

    public Money Explained => Money.Sum(Days.Select(d => d.Explained));

    public Money Unexplained => Money.Sum(Days.Select(d => d.Unexplained));

    /// <summary>Reconciled when no day has an unexplained difference or balance gap and no matched line disagrees with the ledger.</summary>
    public bool Reconciled => Days.All(d => !d.HasUnexplained) && Items.All(i => !i.Unexplained);

    /// <summary>Whether any day carried the bank's balances.</summary>
    public bool HasBalances => Days.Any(d => d.BankClosing is not null);

    /// <summary>
    /// Per day, the statement against the ledger's bank account, each difference explained by items:
    /// a line not booked, a movement not (yet) on a statement, the same money on different days.
    /// A matched line whose movement is missing or differs explains nothing: it is a mismatch.
    /// Here <paramref name="lines"/> and <paramref name="movements"/> are all of the period's.
    /// </summary>
    public static Reconciliation Explain(LocalDate from, LocalDate to, string account, IReadOnlyList<StatementLine> lines, IReadOnlyList<BankMovement> movements,
        int linesOnOtherAccounts)
    {
        var statement = lines.GroupBy(l => l.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(l => l.Amount)));
        var ledger = movements.GroupBy(m => m.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(m => m.Amount)));
        var totals = statement.Keys.Union(ledger.Keys).Select(d => new DayTotals(d, statement.GetValueOrDefault(d), ledger.GetValueOrDefault(d))).ToList();
        return Explain(from, to, account, totals, lines, movements, linesOnOtherAccounts, [], null);
    }

    /// <summary>
    /// The same from the day's sums and only the lines and movements that may explain something
    /// (not booked, booked on another day or for another amount, not on a statement), so a month of a
    /// hundred thousand matched lines is summed by the database. Days with the bank's balances
    /// (<paramref name="balances"/>) are set against the ledger's bank account's balance: it stood at
    /// <paramref name="ledgerBefore"/> at the close of the day before <paramref name="from"/>; a day
    /// whose balances moved other than its lines is a <see cref="ReconciliationReason.BalanceGap"/>.
    /// </summary>
    public static Reconciliation Explain(LocalDate from, LocalDate to, string account, IReadOnlyList<DayTotals> totals, IReadOnlyList<StatementLine> lines,
        IReadOnlyList<BankMovement> movements, int linesOnOtherAccounts, IReadOnlyList<DayBalance> balances, Money? ledgerBefore,
        IReadOnlyList<ReasonTotal>? reasonTotals = null)
    {
        var items = new List<ReconciliationItem>();
        foreach (var line in lines)
        {
            var what = $"bank line {line.Id}: {line.Text}".Trim();
            ReconciliationItem Item(Money amount, ReconciliationReason reason, string text) =>
                new(line.Date, amount, reason, text) { LineId = line.Id, Counterparty = line.Counterparty, Description = line.Description, Status = line.Status };
            if (!line.Booked)
            {
                items.Add(Item(line.Amount, ReconciliationReason.NotBooked, $"{what} ({line.Status})"));
            }
            else if (line.LedgerAmount is not { } booked)
            {
                items.Add(Item(line.Amount, ReconciliationReason.Mismatch, $"{what}: matched, but the ledger's bank account has no movement for it"));
            }
            else
            {
                if (booked != line.Amount)
                {
                    items.Add(Item(line.Amount - booked, ReconciliationReason.Mismatch, $"{what}: the ledger moved {booked} for it") with { Booked = booked });
                }

                if (line.LedgerDate != line.Date)
                {
                    items.Add(Item(booked, ReconciliationReason.Timing, $"{what}: booked in the ledger on {line.LedgerDate:yyyy-MM-dd}") with { OtherDate = line.LedgerDate });
                }
            }
        }

        foreach (var movement in movements)
        {
            if (movement.LineId is null)
            {
                items.Add(new(movement.Date, -movement.Amount, ReconciliationReason.NotOnStatement, $"entry {movement.EntryId}: {movement.Description}")
                    { EntryId = movement.EntryId, Description = movement.Description });
            }
            else if (movement.LineDate != movement.Date)
            {
                items.Add(new(movement.Date, -movement.Amount, ReconciliationReason.Timing, $"entry {movement.EntryId}: {movement.Description}: on the statement on {movement.LineDate:yyyy-MM-dd}")
                    { EntryId = movement.EntryId, LineId = movement.LineId, Description = movement.Description, OtherDate = movement.LineDate });
            }
        }

        var ours = balances.Where(b => b.Date >= from && b.Date <= to).GroupBy(b => b.Date).ToDictionary(g => g.Key, g => g.First());

        // Reasons the database summed in full explain by their sums; the listed items of those may be only the first.
        var summed = reasonTotals ?? [];
        var summedReasons = summed.Select(t => t.Reason).ToHashSet();
        var explained = items.Where(i => !i.Unexplained && !summedReasons.Contains(i.Reason)).Select(i => (i.Date, i.Amount))
            .Concat(summed.Select(t => (t.Date, t.Amount)))
            .GroupBy(i => i.Date).ToDictionary(g => g.Key, g => Money.Sum(g.Select(i => i.Amount)));
        var byDay = totals.GroupBy(t => t.Date).ToDictionary(g => g.Key, g => (Statement: Money.Sum(g.Select(t => t.Statement)), Ledger: Money.Sum(g.Select(t => t.Ledger))));
        var days = new List<ReconciliationDay>();
        var ledgerBalance = ledgerBefore;
        var lastOfStatement = new Dictionary<long, DayBalance>();
        foreach (var date in byDay.Keys.Union(ours.Keys).Order())
        {
            var (moved, booked) = byDay.GetValueOrDefault(date);
            ledgerBalance += booked;
            var day = new ReconciliationDay(date, moved, booked, explained.GetValueOrDefault(date));
            if (ours.TryGetValue(date, out var balance))
            {
                day = day with { BankOpening = balance.Opening, BankClosing = balance.Closing, LedgerClosing = ledgerBalance };
                if (balance.Statement is { } statementId)
                {
                    if (lastOfStatement.TryGetValue(statementId, out var previous) && previous.Closing != balance.Opening)
                    {
                        var jump = balance.Opening - previous.Closing;
                        day = day with { OpeningGap = jump };
                        items.Add(new(date, jump, ReconciliationReason.BalanceGap,
                            $"the bank's balance closed {previous.Date:yyyy-MM-dd} at {previous.Closing} and opened {date:yyyy-MM-dd} at {balance.Opening}, {jump} that no imported line moved: lines missing from the statement") { OtherDate = previous.Date });
                    }

                    lastOfStatement[statementId] = balance;
                }

                if (day.BalanceGap is { IsZero: false } gap)
                {
                    items.Add(new(date, gap, ReconciliationReason.BalanceGap,
                        $"the bank's balance went from {balance.Opening} to {balance.Closing}, {gap} more than the day's {moved} of imported lines: lines missing from the statement"));
                }
            }

            days.Add(day);
        }

        var counts = items.Where(i => !summedReasons.Contains(i.Reason)).Select(i => (i.Reason, Count: 1, i.Amount))
            .Concat(summed.Select(t => (t.Reason, t.Count, t.Amount)))
            .GroupBy(c => c.Reason).ToDictionary(g => g.Key, g => (g.Sum(c => c.Count), Money.Sum(g.Select(c => c.Amount))));
        return new Reconciliation(from, to, account, days, items.OrderBy(i => i.Date).ThenBy(i => i.Reason).ToList(), linesOnOtherAccounts) { Counts = counts };
    }
}
