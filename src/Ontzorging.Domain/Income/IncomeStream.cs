using NodaTime;

namespace Ontzorging.Domain.Income;

/// <summary>
/// An expected, uncertain income (a toeslag, kinderbijslag, other): it counts only once received.
/// Routed: paid into the managed account; otherwise paid to the household and only reported.
/// </summary>
public sealed record IncomeStream(IncomeKind Kind, Money ExpectedAmount, YearMonth From, YearMonth? To, bool Routed, LocalDate? AppliedOn)
{
    public bool Covers(YearMonth month) => month >= From && (To is null || month <= To);
}

/// <summary>Money received for a household: the months it covers, whatever the amount.</summary>
public sealed record Receipt(IncomeKind Kind, Money Amount, LocalDate ReceivedOn, YearMonth CoversFrom, YearMonth CoversTo, string? Reference)
{
    public bool Covers(YearMonth month) => month >= CoversFrom && month <= CoversTo;

    /// <summary>
    /// A bank line without a stated range covers the month after its received date when received on
    /// or after the 15th (an advance), else its own month.
    /// </summary>
    public static YearMonth DefaultCoverage(LocalDate receivedOn) =>
        receivedOn.Day >= 15 ? receivedOn.ToYearMonth().PlusMonths(1) : receivedOn.ToYearMonth();
}
