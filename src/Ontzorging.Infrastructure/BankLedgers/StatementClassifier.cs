using NodaTime;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// What the text of an incoming statement line says, read once while the file is read (docs/rules.md
/// §5, §9): the one household it names by reference and the one toeslag it brings (each null when
/// not certain), whether the bank marks it as a returned payment, and whether it is one of the
/// municipality's own transfers. Matching in the database then joins on these instead of scanning
/// every line's text again.
/// </summary>
public sealed class StatementClassifier(IReadOnlyDictionary<string, long> households, string municipalityIban)
{
    private static readonly LineHints None = new(null, null, null, null, false);

    /// <summary>Hints for one line; outgoing lines (money out) have none.</summary>
    public LineHints Classify(BankLine line)
    {
        if (!line.Amount.IsPositive)
        {
            return None;
        }

        var transfer = string.Equals(line.CounterpartyIban, municipalityIban, StringComparison.Ordinal) ? StatementText.MunicipalTransferIn(line.Description) : null;
        return new LineHints(StatementText.OneHouseholdIn(line.Description, households), StatementText.OneToeslagIn(line.Description)?.Code(),
            Receipt.DefaultCoverage(line.BookingDate).OnDayOfMonth(1), transfer?.Code(),
            line.ReturnReason is not null || StatementText.IsMarkedAsReturn(line.Description));
    }
}

/// <summary>
/// What an incoming line names: <see cref="Household"/> and <see cref="Kind"/> (a toeslag code) when
/// exactly one of each, the first day of the month a receipt from it would cover, the municipal
/// <see cref="Transfer"/> it is ("bijstand", "credit_funding"), and whether it is marked as a return.
/// </summary>
public sealed record LineHints(long? Household, string? Kind, LocalDate? Covers, string? Transfer, bool ReturnMarked);
