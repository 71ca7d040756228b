using NodaTime;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Domain.Forecasts;

/// <summary>
/// The changes a caseworker may try on the household page (issue 23), as typed. Empty fields are
/// not tried. <see cref="WriteOff"/> is an amount or <c>all</c>.
/// </summary>
public sealed record WhatIfInput(
    string? ExtensionMonths = null,
    string? RentAmount = null,
    string? RentFrom = null,
    string? ToeslagKind = null,
    string? ToeslagAmount = null,
    string? ToeslagFrom = null,
    string? WriteOff = null,
    string? Frequency = null)
{
    public bool IsEmpty => new[] { ExtensionMonths, RentAmount, ToeslagAmount, ToeslagFrom, WriteOff, Frequency }.All(string.IsNullOrWhiteSpace);
}

/// <summary>
/// Applies a what-if to a forecast's starting point without recording anything. The decisions it
/// tries (an extension, a write-off) are read by <see cref="DecisionInput"/> and checked by
/// <see cref="DecisionRules"/>, as recording them is, so what it accepts could be recorded; each
/// refusal names its form field.
/// </summary>
public static class WhatIf
{
    public const string TriedBy = "what-if";

    public static (ForecastStart? Changed, IReadOnlyList<Refusal> Refusals) Apply(ForecastStart start, WhatIfInput input, LocalDate today)
    {
        var refusals = new List<Refusal>();
        if (input.IsEmpty)
        {
            return (null, [Refusal.Of(RefusalCode.WhatIfNothingToTry, "what_if")]);
        }

        T? Take<T>(Result<T> result)
            where T : struct
        {
            if (result.Refusal is { } refusal)
            {
                refusals.Add(refusal);
                return null;
            }

            return result.Value;
        }

        var changed = start;
        if (!string.IsNullOrWhiteSpace(input.ExtensionMonths) && Take(DecisionInput.WholeNumber(input.ExtensionMonths, "extension_months")) is { } months)
        {
            var decision = new Decision(DecisionKind.Extension, today, TriedBy, TriedBy, Months: months);
            if (Checked(decision, "extension_months", refusals))
            {
                changed = changed with { Decisions = [.. changed.Decisions, decision] };
            }
        }

        if (!string.IsNullOrWhiteSpace(input.WriteOff) && Take(DecisionInput.WriteOff(input.WriteOff, "write_off")) is { } writeOff)
        {
            var decision = new Decision(DecisionKind.WriteOff, today, TriedBy, TriedBy, Amount: writeOff.Amount);
            if (Checked(decision, "write_off", refusals))
            {
                if (DecisionRules.WriteOffRefusal(writeOff.Amount, start.CreditOutstanding) is { } exceeds)
                {
                    refusals.Add(exceeds with { Field = "write_off" });
                }
                else
                {
                    changed = changed with { WriteOffs = [.. changed.WriteOffs, new PendingWriteOff(today, writeOff.Amount)] };
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(input.RentAmount))
        {
            var amount = Take(DecisionInput.Amount(input.RentAmount, "rent_amount"));
            var from = string.IsNullOrWhiteSpace(input.RentFrom) ? today : Take(DecisionInput.Date(input.RentFrom, "rent_from"));
            if (amount is { } rent && from is { } validFrom)
            {
                if (NewRent(changed.Contracts, rent, validFrom) is { } contracts)
                {
                    changed = changed with { Contracts = contracts };
                }
                else
                {
                    refusals.Add(Refusal.Of(RefusalCode.NoRentContract, "rent_amount"));
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(input.ToeslagAmount) || !string.IsNullOrWhiteSpace(input.ToeslagFrom))
        {
            var kind = IncomeKinds.Parse(input.ToeslagKind?.Trim());
            if (!kind.Success || !kind.Value.IsToeslag())
            {
                refusals.Add(Refusal.Of(RefusalCode.ToeslagKindUnknown, "toeslag_kind", ("text", input.ToeslagKind ?? "")));
            }
            else
            {
                var amount = string.IsNullOrWhiteSpace(input.ToeslagAmount) ? null : Take(DecisionInput.Amount(input.ToeslagAmount, "toeslag_amount"));
                var from = string.IsNullOrWhiteSpace(input.ToeslagFrom) ? null : Take(DecisionInput.Month(input.ToeslagFrom, "toeslag_from"));
                if (amount is null && !changed.Streams.Any(s => s.Kind == kind.Value) && refusals.Count == 0)
                {
                    // A toeslag the household does not have yet needs its amount.
                    refusals.Add(Refusal.Of(RefusalCode.AmountMissing, "toeslag_amount"));
                }

                if (refusals.Count == 0)
                {
                    changed = changed with { Streams = Toeslag(changed.Streams, kind.Value, amount, from, today, start.FirstMonth) };
                }
            }
        }

        if (!string.IsNullOrWhiteSpace(input.Frequency))
        {
            var frequency = input.Frequency.Trim() switch
            {
                "monthly" => LeefgeldFrequency.Monthly,
                "weekly" => LeefgeldFrequency.Weekly,
                _ => (LeefgeldFrequency?)null,
            };
            if (frequency is { } chosen)
            {
                changed = changed with { Household = changed.Household with { Frequency = chosen } };
            }
            else
            {
                refusals.Add(Refusal.Of(RefusalCode.FrequencyUnknown, "frequency", ("text", input.Frequency)));
            }
        }

        return refusals.Count > 0 ? (null, refusals) : (changed, []);
    }

    private static bool Checked(Decision decision, string field, List<Refusal> refusals)
    {
        if (DecisionRules.Refusal(decision) is { } refusal)
        {
            refusals.Add(refusal with { Field = field });
            return false;
        }

        return true;
    }

    /// <summary>A new version of the rent contract from <paramref name="from"/>: the version valid then ends the day before; later ones give way.</summary>
    private static IReadOnlyList<ContractVersion>? NewRent(IReadOnlyList<ContractVersion> contracts, Money amount, LocalDate from)
    {
        var rent = contracts.Where(c => c.Kind == FixedCostKind.Rent).OrderBy(c => c.ValidFrom).ToList();
        var current = rent.LastOrDefault(c => c.ValidFrom <= from) ?? rent.FirstOrDefault();
        if (current is null)
        {
            return null;
        }

        var others = contracts.Where(c => c.ContractId != current.ContractId).ToList();
        var kept = rent.Where(c => c.ContractId == current.ContractId && c.ValidFrom < from)
            .Select(c => c.ValidTo is null || c.ValidTo >= from ? c with { ValidTo = from.PlusDays(-1) } : c);
        return [.. others, .. kept, current with { Amount = amount, ValidFrom = from, ValidTo = null }];
    }

    /// <summary>The stream of <paramref name="kind"/> with another amount or first month; a new routed one, applied for today, when there is none.</summary>
    private static IReadOnlyList<IncomeStream> Toeslag(IReadOnlyList<IncomeStream> streams, IncomeKind kind, Money? amount, YearMonth? from, LocalDate today, YearMonth firstMonth)
    {
        var existing = streams.FirstOrDefault(s => s.Kind == kind);
        // Trying a toeslag assumes it is applied for (today, when it was not yet), or it would never be expected.
        var changed = existing is null
            ? new IncomeStream(kind, amount ?? Money.Zero, from ?? firstMonth, null, true, today)
            : existing with { ExpectedAmount = amount ?? existing.ExpectedAmount, From = from ?? existing.From, AppliedOn = existing.AppliedOn ?? today };
        return [.. streams.Where(s => s != existing), changed];
    }
}
