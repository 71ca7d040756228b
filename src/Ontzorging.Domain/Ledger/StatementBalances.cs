using NodaTime;

namespace Ontzorging.Domain.Ledger;

/// <summary>What the bank's file says the account held on a day: before its first transaction and after its last.</summary>
public sealed record DayBalance(string Account, LocalDate Date, Money Opening, Money Closing)
{
    /// <summary>The statement (import) that said so: within one statement the balances run on from day to day.</summary>
    public long? Statement { get; init; }
}

/// <summary>
/// The day balances of a statement whose lines carry the account's balance after each transaction
/// (docs/rules.md, "Settled (issue 22, bank statements and the ledger)"). The lines of a day form a
/// chain — each line's balance before it (its balance after, less its amount) is the previous line's
/// balance after — whatever order the bank writes them in (ING newest first, Rabobank by sequence
/// number): the day opens with the one balance-before that no line's balance-after gives, and closes
/// with the one balance-after that no line continues from. Where that is ambiguous (amounts of zero,
/// repeated balances) the file's order decides: the line nearest the day's other dates' side.
/// </summary>
public static class StatementBalances
{
    public static IReadOnlyList<DayBalance> Of(IEnumerable<(string Account, LocalDate Date, Money Amount, Money? Balance)> linesInFileOrder)
    {
        var lines = linesInFileOrder.Where(l => l.Balance is not null).ToList();
        if (lines.Count == 0)
        {
            return [];
        }

        // Newest first when the file's first date lies after its last.
        var newestFirst = lines[0].Date > lines[^1].Date;
        return lines.GroupBy(l => (l.Account, l.Date))
            .Select(day => Day(day.Key.Account, day.Key.Date, day.Select(l => (l.Amount, l.Balance!.Value)).ToList(), newestFirst))
            .OrderBy(d => d.Account, StringComparer.Ordinal).ThenBy(d => d.Date)
            .ToList();
    }

    private static DayBalance Day(string account, LocalDate date, List<(Money Amount, Money After)> lines, bool newestFirst)
    {
        var befores = lines.Select(l => l.After - l.Amount).ToList();
        var afters = lines.Select(l => l.After).ToList();
        var openings = Without(befores, afters);
        var closings = Without(afters, befores);
        if (openings.Count == 1 && closings.Count == 1)
        {
            return new DayBalance(account, date, openings[0], closings[0]);
        }

        var (first, last) = newestFirst ? (lines[^1], lines[0]) : (lines[0], lines[^1]);
        return new DayBalance(account, date, first.After - first.Amount, last.After);
    }

    /// <summary>The values of <paramref name="values"/> left after taking away one of each in <paramref name="taken"/>.</summary>
    private static List<Money> Without(List<Money> values, List<Money> taken)
    {
        var counts = taken.GroupBy(v => v).ToDictionary(g => g.Key, g => g.Count());
        var left = new List<Money>();
        foreach (var value in values)
        {
            if (counts.TryGetValue(value, out var n) && n > 0)
            {
                counts[value] = n - 1;
            }
            else
            {
                left.Add(value);
            }
        }

        return left;
    }
}
