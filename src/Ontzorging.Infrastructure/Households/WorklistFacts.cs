using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Signals;

namespace Ontzorging.Infrastructure.Households;

/// <summary>What the worklist knows of one household beyond its recorded data: names, open arrears, credit, verdict, the last batch's leefgeld.</summary>
public sealed class WorklistFact
{
    public long Id { get; set; }

    public string Reference { get; set; } = "";

    public string Municipality { get; set; } = "";

    public string Names { get; set; } = "";

    public decimal Arrears { get; set; }

    public decimal Credit { get; set; }

    public decimal Cap { get; set; }

    public string? Verdict { get; set; }

    public bool BelowMinimum { get; set; }
}

/// <summary>
/// The facts behind the worklist's reasons (docs/rules.md §15), read once for the worklist and for
/// the signal watch (§18), so both see the same arrears, credit and leefgeld.
/// </summary>
public static class WorklistFacts
{
    private const string Facts = """
        SELECT h.id, h.reference, h.municipality,
               coalesce((SELECT string_agg(p.name, ', ' ORDER BY p.role, p.date_of_birth) FROM persons p WHERE p.household_id = h.id), '') AS names,
               coalesce((SELECT sum(a.amount) FROM arrears a WHERE a.household_id = h.id AND a.paid_in_batch_id IS NULL), 0) AS arrears,
               coalesce(c.balance, 0) AS credit, coalesce(c.cap, 0) AS cap,
               (SELECT r.verdict FROM readiness_evaluations r WHERE r.household_id = h.id AND r.evaluated_on <= @Today ORDER BY r.evaluated_on DESC LIMIT 1) AS verdict,
               EXISTS (SELECT 1 FROM batch_households bh WHERE bh.batch_id = @LastBatch AND bh.household_id = h.id AND bh.leefgeld < bh.minimum_leefgeld) AS BelowMinimum
          FROM households h
          LEFT JOIN ledger_accounts c ON c.household_id = h.id AND c.code LIKE 'credit:%'
         WHERE @All OR h.municipality = ANY(@Codes)
        """;

    /// <summary>The last batch (§15 reason 5): the latest live batch prepared by <paramref name="today"/>.</summary>
    public static Task<long?> LastBatch(NpgsqlConnection connection, NpgsqlTransaction? transaction, LocalDate today, CancellationToken ct) =>
        connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM live_batches WHERE preparation_day <= @Today ORDER BY month DESC LIMIT 1", new { Today = today }, transaction, cancellationToken: ct));

    public static async Task<Dictionary<long, WorklistFact>> Load(NpgsqlConnection connection, NpgsqlTransaction? transaction, LocalDate today, long? lastBatch,
        MunicipalityScope scope, CancellationToken ct) =>
        (await connection.QueryAsync<WorklistFact>(new CommandDefinition(Facts,
            new { Today = today, LastBatch = lastBatch ?? -1, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] }, transaction, cancellationToken: ct)))
        .ToDictionary(f => f.Id);

    /// <summary>A household's reasons for attention on <paramref name="today"/>, from its data, its facts, the forecast watch and its open money signals.</summary>
    public static IReadOnlyList<AttentionReason> Reasons(HouseholdData household, WorklistFact fact, LocalDate today, Policy policy, bool forecastAtRisk,
        IReadOnlyCollection<SignalKind> openSignals)
    {
        var period = household.Period(today, policy);
        var toeslagen = household.Streams.Select(s => ToeslagWatch.Status(s, household.Receipts, today, policy)).ToList();
        return Attention.Reasons(new AttentionFacts(toeslagen, Money.FromEuros(fact.Arrears), Money.FromEuros(fact.Credit), Money.FromEuros(fact.Cap),
            fact.BelowMinimum, period, fact.Verdict, forecastAtRisk, openSignals), today);
    }
}
