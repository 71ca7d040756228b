using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>An opening arrear as stored, to compare a line of a repeated import with.</summary>
internal readonly record struct OpeningArrearKey(string Household, string Kind, string Iban, Money Amount, LocalDate DueDate, int Attempt)
{
    public static OpeningArrearKey Of(OpeningArrearRow a) => new(a.Household, a.Kind.Code(), a.CreditorIban.Value, a.Amount, a.DueDate, a.Attempt);
}

/// <summary>A receipt of an opening position as stored, to compare a line of a repeated import with.</summary>
internal readonly record struct OpeningReceivedKey(string Household, string Kind, Money Amount, LocalDate ReceivedOn, YearMonth CoversFrom, YearMonth CoversTo, string Reference)
{
    public static OpeningReceivedKey Of(ReceiptRow r) => new(r.Household, r.Kind.Code(), r.Amount, r.ReceivedOn, r.CoversFrom, r.CoversTo, r.Reference ?? "");
}

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
        var positions = new Dictionary<string, OpeningPositionRow>(StringComparer.Ordinal);
        var repeated = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in set.OpeningPositions)
        {
            // The first position stands; the second is named once.
            if (!positions.TryAdd(row.Household, row) && repeated.Add(row.Household))
            {
                Add(file, row.Line, "household_ref", $"{row.Household} has more than one position line");
            }
        }

        var sizes = set.Households.ToDictionary(h => h.Reference, h => h.Adults + h.Children, StringComparer.Ordinal);
        foreach (var row in positions.Values)
        {
            CheckPosition(row, sizes);
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
                else if (existing.Openings.ContainsKey(received.Receipt.Household) && !existing.OpeningReceipts.Contains(OpeningReceivedKey.Of(received.Receipt)))
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

    private void CheckPosition(OpeningPositionRow row, Dictionary<string, int> sizes)
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
        else if (existing.LatestLiveMonth is { } latest && OpeningRules.PreparedLaterProblem(latest.Month, latest.Batch, position.UnburdenedThrough) is { } later)
        {
            Add(file, row.Line, "unburdened_through", later);
        }

        int? size = sizes.TryGetValue(household, out var listed) ? listed : existing.Households.TryGetValue(household, out var known) ? known.Profile.Size : null;
        if (size is { } members && OpeningRules.CreditProblem(position.CreditOutstanding, members, policy) is { } credit)
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
        else if (existing.Openings.ContainsKey(arrear.Household) && !existing.OpeningArrears.Contains(OpeningArrearKey.Of(arrear)))
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

}
