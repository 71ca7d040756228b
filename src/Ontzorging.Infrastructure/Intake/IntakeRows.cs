using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Infrastructure.Intake;

public sealed record HouseholdRow(int Line, string Reference, string Municipality, LocalDate BijstandStart, int Adults, int Children, Iban Iban, LeefgeldFrequency Frequency, string? Language);

public sealed record PersonRow(int Line, string Household, Bsn Bsn, string Name, LocalDate DateOfBirth, string Role);

public sealed record ContractRow(int Line, string Household, FixedCostKind Kind, string CreditorName, Iban CreditorIban, Money Amount, int DueDay, PaymentReference? Reference, LocalDate ValidFrom, LocalDate? ValidTo, LocalDate? ConsentOn);

public sealed record IncomeRow(int Line, string Household, IncomeKind Kind, Money Amount, YearMonth From, YearMonth? To, bool Routed, LocalDate? AppliedOn);

public sealed record ReceiptRow(int Line, string Household, IncomeKind Kind, Money Amount, LocalDate ReceivedOn, YearMonth CoversFrom, YearMonth CoversTo, string? Reference);

/// <summary>An events.csv row as the decision it records; a write-off without amount means "all".</summary>
public sealed record EventRow(int Line, string Household, Decision Decision);

/// <summary>An openings.csv <c>position</c> line: where a household stands on its cut-over date (docs/rules.md §20).</summary>
public sealed record OpeningPositionRow(int Line, string Household, OpeningPosition Position);

/// <summary>An openings.csv <c>arrear</c> line: an installment of a month done outside the engine, still unpaid.</summary>
public sealed record OpeningArrearRow(int Line, string Household, FixedCostKind Kind, Iban CreditorIban, Money Amount, LocalDate DueDate, int Attempt);

/// <summary>An openings.csv <c>received</c> line: a receipt already in the position (recorded, never booked).</summary>
public sealed record OpeningReceivedRow(int Line, ReceiptRow Receipt);

/// <summary>What one intake directory holds, every row valid on its own.</summary>
public sealed class IntakeSet
{
    public List<HouseholdRow> Households { get; } = [];

    public List<PersonRow> Persons { get; } = [];

    public List<ContractRow> Contracts { get; } = [];

    public List<IncomeRow> Incomes { get; } = [];

    public List<ReceiptRow> Receipts { get; } = [];

    public List<EventRow> Events { get; } = [];

    public List<OpeningPositionRow> OpeningPositions { get; } = [];

    public List<OpeningArrearRow> OpeningArrears { get; } = [];

    public List<OpeningReceivedRow> OpeningReceived { get; } = [];

    /// <summary>Households with a refused openings.csv line: their other lines are not checked against a position.</summary>
    public HashSet<string> HouseholdsWithInvalidOpenings { get; } = new(StringComparer.Ordinal);

    /// <summary>Households with a refused persons.csv row: their member count is not checked again.</summary>
    public HashSet<string> HouseholdsWithInvalidPersons { get; } = new(StringComparer.Ordinal);

    /// <summary>References of refused households.csv rows: rows that name them are not also "unknown".</summary>
    public HashSet<string> RefusedHouseholds { get; } = new(StringComparer.Ordinal);

    /// <summary>Households with a refused incomes.csv row: a missing bijstand is not reported twice.</summary>
    public HashSet<string> HouseholdsWithInvalidIncomes { get; } = new(StringComparer.Ordinal);

    public IEnumerable<(string File, int Line, string Household)> References =>
        Persons.Select(p => (IntakeFiles.Persons, p.Line, p.Household))
            .Concat(Contracts.Select(c => (IntakeFiles.Contracts, c.Line, c.Household)))
            .Concat(Incomes.Select(i => (IntakeFiles.Incomes, i.Line, i.Household)))
            .Concat(Receipts.Select(r => (IntakeFiles.Receipts, r.Line, r.Household)))
            .Concat(Events.Select(e => (IntakeFiles.Events, e.Line, e.Household)))
            .Concat(OpeningPositions.Select(o => (IntakeFiles.Openings, o.Line, o.Household)))
            .Concat(OpeningArrears.Select(a => (IntakeFiles.Openings, a.Line, a.Household)))
            .Concat(OpeningReceived.Select(r => (IntakeFiles.Openings, r.Line, r.Receipt.Household)));
}
