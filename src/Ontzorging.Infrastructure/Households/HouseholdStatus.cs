using NodaTime;
using System.Text.Json.Serialization;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Households;

public sealed record MemberView(string Name, string Bsn, LocalDate DateOfBirth, string Role);

public sealed record PeriodView(LocalDate Start, LocalDate End, int ExtensionMonths, LocalDate? BijstandLastDay, LocalDate? OptOutOn, string State, int DaysLeft);

public sealed record DecisionView(string Kind, LocalDate Date, string Detail, string RecordedBy, string? Reason);

public sealed record ContractView(string Kind, string Creditor, string CreditorIban, Money Amount, int DueDay, string? Reference, LocalDate ValidFrom, LocalDate? ValidTo, LocalDate? ConsentOn);

public sealed record IncomeView(string Kind, Money ExpectedAmount,
    [property: JsonConverter(typeof(JsonFormats.YearMonthConverter))] YearMonth From,
    [property: JsonConverter(typeof(JsonFormats.NullableYearMonthConverter))] YearMonth? To, bool Routed, LocalDate? AppliedOn, string Status);

public sealed record ReceiptView(string Kind, Money Amount, LocalDate ReceivedOn, string Covers, bool Routed, LocalDate? BookedOn);

public sealed record ArrearView(string Kind, string Creditor, Money Amount, LocalDate DueDate);

public sealed record ReadinessView(LocalDate EvaluatedOn, string Verdict, string Unmet, string? Advice);

public sealed record PaymentView(LocalDate ExecutionDate, string Kind, string Payee, Money Amount, string Status, string EndToEndId);

/// <summary>
/// A payment the bank sent back (a storno on a statement) or rejected before it left (a pain.002
/// status report): when, why in words, and whether the creditor's account is marked as refused
/// until a person confirms it.
/// </summary>
public sealed record ReturnedPaymentView(LocalDate ExecutionDate, string Kind, string Payee, Money Amount, LocalDate ReturnedOn, string Reason, bool Rejected,
    string EndToEndId, bool AccountRefused);

/// <summary>
/// Where a household stood when the municipality went live with the engine (openings.csv,
/// docs/rules.md §20): the cut-over day, the last month unburdened before it, the balance and
/// credit taken over, the open arrears taken over (as they were then) and the receipts the position
/// already held; who imported it, by name.
/// </summary>
public sealed record OpeningView(LocalDate CutoverOn,
    [property: JsonConverter(typeof(JsonFormats.YearMonthConverter))] YearMonth UnburdenedThrough,
    Money Balance, Money CreditOutstanding, int Arrears, Money ArrearsAmount, int ReceiptsInOpening, string ImportedBy, Instant ImportedAt);

/// <summary>Everything a caseworker needs to see about one household's money, as of one day.</summary>
public sealed record HouseholdStatus(
    string Reference,
    string Municipality,
    LocalDate AsOf,
    int Adults,
    int Children,
    string Iban,
    string LeefgeldFrequency,
    string? Language,
    IReadOnlyList<MemberView> Members,
    PeriodView Period,
    IReadOnlyList<DecisionView> Decisions,
    IReadOnlyList<ContractView> Contracts,
    IReadOnlyList<IncomeView> Incomes,
    IReadOnlyList<ReceiptView> Receipts,
    Money Balance,
    Money CreditOutstanding,
    Money CreditCap,
    IReadOnlyList<ArrearView> Arrears,
    ReadinessView? Readiness,
    IReadOnlyList<PaymentView> NextPayments,
    IReadOnlyList<ReturnedPaymentView>? Returned = null,
    OpeningView? Opening = null);

/// <summary>One line of <c>household list</c>.</summary>
public sealed record HouseholdSummary(
    string Reference,
    LocalDate Start,
    LocalDate End,
    string State,
    int Size,
    string LeefgeldFrequency,
    Money CreditOutstanding,
    Money ArrearsOpen,
    string? Verdict,
    string? Unmet);
