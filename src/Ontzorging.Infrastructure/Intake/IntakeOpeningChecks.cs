using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>
/// The checks of openings.csv (docs/rules.md §20) between its lines, the other intake files and what
/// the engine already holds: one position per household, a month the engine has not prepared, a
/// household the engine does not keep yet, arrears of contracts the household has, and receipts
/// received by the cut-over.
/// </summary>
internal sealed partial class IntakeChecks
{
    private void CheckOpenings()
    {
        const string file = IntakeFiles.Openings;
        foreach (var duplicate in set.OpeningPositions.GroupBy(o => o.Household).Where(g => g.Count() > 1))
        {
            Add(file, duplicate.Skip(1).First().Line, "household_ref", $"{duplicate.Key} has more than one position line");
        }

        var positions = set.OpeningPositions.GroupBy(o => o.Household).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        foreach (var row in positions.Values)
        {
            CheckPosition(row);
        }

        foreach (var arrear in set.OpeningArrears)
        {
            if (Position(arrear.Household, arrear.Line) is { } position)
            {
                CheckArrear(arrear, position);
            }
        }

        foreach (var duplicate in set.OpeningArrears.GroupBy(a => (a.Household, a.Kind, a.CreditorIban, a.DueDate)).Where(g => g.Count() > 1))
        {
            Add(file, duplicate.Skip(1).First().Line, "due_date", $"the {duplicate.Key.Kind.Code()} arrear due {duplicate.Key.DueDate:yyyy-MM-dd} appears more than once for {duplicate.Key.Household}");
        }

        foreach (var received in set.OpeningReceived)
        {
            if (Position(received.Receipt.Household, received.Line) is { } position)
            {
                if (OpeningRules.ReceivedProblem(received.Receipt.ReceivedOn, position.CutoverOn) is { } problem)
                {
                    Add(file, received.Line, "received_on", problem);
                }
                else if (existing.Openings.ContainsKey(received.Receipt.Household) && !existing.OpeningLines.Contains(ReceivedKey(received.Receipt)))
                {
                    Add(file, received.Line, "household_ref", $"the opening position of {received.Receipt.Household} was imported before without this receipt; record a later receipt in receipts.csv");
                }
            }
        }

        OpeningPosition? Position(string household, int line)
        {
            if (positions.TryGetValue(household, out var row))
            {
                return row.Position;
            }

            if (existing.Openings.TryGetValue(household, out var imported))
            {
                return imported;
            }

            if (!set.HouseholdsWithInvalidOpenings.Contains(household))
            {
                Add(file, line, "household_ref", $"{household} has no position line in openings.csv (nor an opening position imported before)");
            }

            return null;
        }
    }

    private void CheckPosition(OpeningPositionRow row)
    {
        const string file = IntakeFiles.Openings;
        var (household, position) = (row.Household, row.Position);
        if (existing.Openings.TryGetValue(household, out var imported))
        {
            if (imported != position)
            {
                Add(file, row.Line, "household_ref", $"the opening position of {household} was imported before with other values; a position is final, correct it with decisions");
            }

            return;
        }

        if (existing.KeptByEngine.TryGetValue(household, out var why))
        {
            Add(file, row.Line, "household_ref", $"{household} is already kept by the engine ({why}); an opening position comes before the engine prepares or books anything for a household");
        }

        if (OpeningRules.CutoverProblem(position.CutoverOn, today) is { } future)
        {
            Add(file, row.Line, "cutover_on", future);
        }
        else if (OpeningRules.MonthProblem(position.CutoverOn, position.UnburdenedThrough, policy) is { } months)
        {
            Add(file, row.Line, "unburdened_through", months);
        }
        else if (existing.LatestLiveMonth is { } latest && latest.Month > position.UnburdenedThrough)
        {
            Add(file, row.Line, "unburdened_through",
                $"the engine already prepared {latest.Month:yyyy-MM} (batch {latest.Batch}), after the months unburdened outside it (through {position.UnburdenedThrough:yyyy-MM}); cancel or reject that batch, or cut over later");
        }

        if (Size(household) is { } size && OpeningRules.CreditProblem(position.CreditOutstanding, size, policy) is { } credit)
        {
            Add(file, row.Line, "credit_outstanding", credit);
        }
    }

    private void CheckArrear(OpeningArrearRow arrear, OpeningPosition position)
    {
        const string file = IntakeFiles.Openings;
        if (OpeningRules.ArrearDueProblem(arrear.DueDate, position.UnburdenedThrough) is { } late)
        {
            Add(file, arrear.Line, "due_date", late);
            return;
        }

        var versions = ContractVersions(arrear.Household, arrear.Kind, arrear.CreditorIban);
        if (versions.Count == 0)
        {
            Add(file, arrear.Line, "creditor_iban", $"{arrear.Household} has no {arrear.Kind.Code()} contract with creditor {arrear.CreditorIban.Masked} in contracts.csv (nor imported before)");
        }
        else if (!versions.Any(v => v.IsValidOn(arrear.DueDate)))
        {
            Add(file, arrear.Line, "due_date", $"no version of {arrear.Household}'s {arrear.Kind.Code()} contract with {arrear.CreditorIban.Masked} is valid on {arrear.DueDate:yyyy-MM-dd}");
        }
        else if (existing.Openings.ContainsKey(arrear.Household) && !existing.OpeningLines.Contains(ArrearKey(arrear)))
        {
            Add(file, arrear.Line, "household_ref", $"the opening position of {arrear.Household} was imported before without this arrear; a position is final");
        }
    }

    /// <summary>The contract's versions, from this import and from the database (a contract's versions may come in either).</summary>
    internal List<ContractVersion> ContractVersions(string household, FixedCostKind kind, Iban creditor) =>
    [
        .. set.Contracts.Where(c => c.Household == household && c.Kind == kind && c.CreditorIban == creditor)
            .Select(c => new ContractVersion(0, c.Kind, c.CreditorName, c.CreditorIban, c.Amount, c.DueDay, c.Reference, c.ValidFrom, c.ValidTo, c.ConsentOn)),
        .. existing.Versions(household, kind, creditor),
    ];

    private int? Size(string household) =>
        set.Households.FirstOrDefault(h => h.Reference == household) is { } row ? row.Adults + row.Children
        : existing.Households.TryGetValue(household, out var known) ? known.Profile.Size : null;

    /// <summary>The key of an arrear line as <c>ExistingState.OpeningLines</c> holds it.</summary>
    internal static string ArrearKey(OpeningArrearRow a) => $"{a.Household}|arrear|{a.Kind.Code()}|{a.CreditorIban.Value}|{a.Amount}|{a.DueDate:yyyy-MM-dd}|{a.Attempt}";

    /// <summary>The key of a received line as <c>ExistingState.OpeningLines</c> holds it.</summary>
    internal static string ReceivedKey(ReceiptRow r) =>
        $"{r.Household}|received|{r.Kind.Code()}|{r.Amount}|{r.ReceivedOn:yyyy-MM-dd}|{r.CoversFrom.OnDayOfMonth(1):yyyy-MM-dd}|{r.CoversTo.OnDayOfMonth(1):yyyy-MM-dd}|{r.Reference ?? ""}";
}
