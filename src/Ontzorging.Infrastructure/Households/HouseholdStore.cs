using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Intake;

namespace Ontzorging.Infrastructure.Households;

/// <summary>A household with everything recorded about it, as Domain types.</summary>
public sealed class HouseholdData(long id, HouseholdProfile profile, string municipality, LocalDate bijstandStart, string? language)
{
    public long Id { get; } = id;

    public HouseholdProfile Profile { get; } = profile;

    public string Reference => Profile.Reference;

    public string Municipality { get; } = municipality;

    public LocalDate BijstandStart { get; } = bijstandStart;

    public string? Language { get; } = language;

    public List<Decision> Decisions { get; } = [];

    public List<ContractVersion> Contracts { get; } = [];

    public List<BijstandRate> BijstandRates { get; } = [];

    public List<IncomeStream> Streams { get; } = [];

    public List<Receipt> Receipts { get; } = [];

    public OntzorgingPeriod Period(LocalDate asOf, Policy policy) => OntzorgingPeriod.Derive(BijstandStart, Decisions, asOf, policy);
}

/// <summary>
/// Households by id, inclusive; loading by range lets every query use its household index. With
/// <see cref="Municipalities"/>, only the households of those municipality codes (a person's view).
/// </summary>
public readonly record struct HouseholdRange(long From, long To, IReadOnlyCollection<string>? Municipalities = null)
{
    public static HouseholdRange All { get; } = new(long.MinValue, long.MaxValue);

    public static HouseholdRange Only(long id) => new(id, id);

    /// <summary>Every household a person with <paramref name="scope"/> may see.</summary>
    public static HouseholdRange Of(MunicipalityScope scope) => All with { Municipalities = scope.Codes };
}

/// <summary>
/// Loads households set-wise: one query per table for all (or the given) households, so the cost
/// of a batch grows with the data, not with round trips.
/// </summary>
public static class HouseholdStore
{
    private const string HouseholdsSql = """
        SELECT id, reference, municipality, bijstand_start AS BijstandStart, adults, children, iban, leefgeld_frequency AS Frequency, language
          FROM households WHERE id BETWEEN @From AND @To ORDER BY reference
        """;

    private const string DecisionsSql = """
        SELECT household_id AS HouseholdId, kind, decided_on AS DecidedOn, months, last_day AS LastDay, score, amount, reason, recorded_by AS RecordedBy
          FROM decisions WHERE household_id BETWEEN @From AND @To ORDER BY decided_on, id
        """;

    // The versions of each contract in the range through the contract's index (the OFFSET 0 keeps the
    // planner from flattening the lateral join): a join would scan every version of every household,
    // once per chunk of households, so preparing a batch would grow with the square of the municipality.
    private const string ContractsSql = """
        SELECT c.household_id AS HouseholdId, c.id AS ContractId, c.kind, c.creditor_iban AS CreditorIban, v.creditor_name AS CreditorName, v.amount,
               v.due_day AS DueDay, v.reference, v.valid_from AS ValidFrom, v.valid_to AS ValidTo, v.consent_on AS ConsentOn
          FROM contracts c
         CROSS JOIN LATERAL (SELECT * FROM contract_versions cv WHERE cv.contract_id = c.id OFFSET 0) v
         WHERE c.household_id BETWEEN @From AND @To ORDER BY c.id, v.valid_from
        """;


    private const string IncomesSql = """
        SELECT household_id AS HouseholdId, kind, amount, from_month AS FromMonth, to_month AS ToMonth, routed, applied_on AS AppliedOn
          FROM income_streams WHERE household_id BETWEEN @From AND @To ORDER BY from_month
        """;

    private const string ReceiptsSql = """
        SELECT household_id AS HouseholdId, kind, amount, received_on AS ReceivedOn, covers_from AS CoversFrom, covers_to AS CoversTo, reference
          FROM receipts WHERE household_id BETWEEN @From AND @To ORDER BY received_on, id
        """;

    /// <param name="contracts">False leaves <see cref="HouseholdData.Contracts"/> empty, for views that need no installments (the worklist).</param>
    public static async Task<List<HouseholdData>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, HouseholdRange range, CancellationToken ct, bool contracts = true)
    {
        // The queries go to the server in one round trip and are read in order; the contracts last,
        // so a view without them just leaves their query out.
        string[] queries = contracts ? [HouseholdsSql, DecisionsSql, IncomesSql, ReceiptsSql, ContractsSql] : [HouseholdsSql, DecisionsSql, IncomesSql, ReceiptsSql];
        var sql = string.Join(";\n", queries);
        if (range.Municipalities is not null)
        {
            // Only the given municipalities' households, and only their rows of every other table.
            sql = sql.Replace("WHERE id BETWEEN @From AND @To", "WHERE id BETWEEN @From AND @To AND municipality = ANY(@Codes)", StringComparison.Ordinal)
                .Replace("household_id BETWEEN @From AND @To", "household_id BETWEEN @From AND @To AND household_id IN (SELECT id FROM households WHERE municipality = ANY(@Codes))",
                    StringComparison.Ordinal);
        }

        await using var grid = await connection.QueryMultipleAsync(new CommandDefinition(sql, new { range.From, range.To, Codes = range.Municipalities?.ToArray() ?? [] },
            transaction, cancellationToken: ct));
        var households = new Dictionary<long, HouseholdData>();
        foreach (var h in await grid.ReadAsync<HouseholdRow>())
        {
            var frequency = h.Frequency == "weekly" ? LeefgeldFrequency.Weekly : LeefgeldFrequency.Monthly;
            households[h.Id] = new HouseholdData(h.Id, new HouseholdProfile(h.Reference, h.Adults, h.Children, Iban.Of(h.Iban), frequency), h.Municipality, h.BijstandStart, h.Language);
        }

        foreach (var d in await grid.ReadAsync<DecisionRow>())
        {
            households[d.HouseholdId].Decisions.Add(new Decision(DecisionKinds.Parse(d.Kind)!.Value, d.DecidedOn, d.RecordedBy, d.Reason, d.Months, d.LastDay, d.Score,
                d.Amount is { } amount ? Money.FromEuros(amount) : null));
        }

        foreach (var i in await grid.ReadAsync<IncomeRow>())
        {
            var kind = IncomeKinds.Parse(i.Kind).Value;
            var from = i.FromMonth.ToYearMonth();
            var to = i.ToMonth?.ToYearMonth();
            if (kind == IncomeKind.Bijstand)
            {
                households[i.HouseholdId].BijstandRates.Add(new BijstandRate(Money.FromEuros(i.Amount), from, to));
            }
            else
            {
                households[i.HouseholdId].Streams.Add(new IncomeStream(kind, Money.FromEuros(i.Amount), from, to, i.Routed, i.AppliedOn));
            }
        }

        foreach (var r in await grid.ReadAsync<ReceiptRow>())
        {
            households[r.HouseholdId].Receipts.Add(new Receipt(IncomeKinds.Parse(r.Kind).Value, Money.FromEuros(r.Amount), r.ReceivedOn,
                r.CoversFrom.ToYearMonth(), r.CoversTo.ToYearMonth(), r.Reference));
        }

        foreach (var c in contracts ? await grid.ReadAsync<ContractRow>() : [])
        {
            households[c.HouseholdId].Contracts.Add(new ContractVersion(c.ContractId, FixedCostKinds.Parse(c.Kind).Value, c.CreditorName, Iban.Of(c.CreditorIban),
                Money.FromEuros(c.Amount), c.DueDay, c.Reference is null ? null : PaymentReference.Parse(c.Reference).Value, c.ValidFrom, c.ValidTo, c.ConsentOn));
        }

        return [.. households.Values];
    }

    private sealed class HouseholdRow
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";

        public string Municipality { get; set; } = "";

        public LocalDate BijstandStart { get; set; }

        public short Adults { get; set; }

        public short Children { get; set; }

        public string Iban { get; set; } = "";

        public string Frequency { get; set; } = "";

        public string? Language { get; set; }
    }

    private sealed class DecisionRow
    {
        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public LocalDate DecidedOn { get; set; }

        public short? Months { get; set; }

        public LocalDate? LastDay { get; set; }

        public short? Score { get; set; }

        public decimal? Amount { get; set; }

        public string? Reason { get; set; }

        public string RecordedBy { get; set; } = "";
    }

    private sealed class ContractRow
    {
        public long HouseholdId { get; set; }

        public long ContractId { get; set; }

        public string Kind { get; set; } = "";

        public string CreditorIban { get; set; } = "";

        public string CreditorName { get; set; } = "";

        public decimal Amount { get; set; }

        public short DueDay { get; set; }

        public string? Reference { get; set; }

        public LocalDate ValidFrom { get; set; }

        public LocalDate? ValidTo { get; set; }

        public LocalDate? ConsentOn { get; set; }
    }

    private sealed class IncomeRow
    {
        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate FromMonth { get; set; }

        public LocalDate? ToMonth { get; set; }

        public bool Routed { get; set; }

        public LocalDate? AppliedOn { get; set; }
    }

    private sealed class ReceiptRow
    {
        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ReceivedOn { get; set; }

        public LocalDate CoversFrom { get; set; }

        public LocalDate CoversTo { get; set; }

        public string? Reference { get; set; }
    }
}
