using System.Collections.Concurrent;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;

namespace Ontzorging.Infrastructure.Households;

/// <summary>The municipalities a person may see; <see cref="All"/> only where no person is limited (the CLI on its own database).</summary>
public sealed record MunicipalityScope(IReadOnlySet<string>? Codes)
{
    public static MunicipalityScope All { get; } = new((IReadOnlySet<string>?)null);

    public static MunicipalityScope Of(IEnumerable<string> codes) => new(codes.ToHashSet(StringComparer.Ordinal));

    public bool Includes(string municipality) => Codes is null || Codes.Contains(municipality);

    /// <summary>A key for caches: the same set of codes gives the same key.</summary>
    public string Key => Codes is null ? "*" : string.Join(',', Codes.Order(StringComparer.Ordinal));
}

public sealed record WorklistRow(
    string Reference,
    string Municipality,
    string Names,
    string State,
    LocalDate PeriodEnd,
    Money CreditOutstanding,
    Money CreditCap,
    Money OpenArrears,
    string? Verdict,
    IReadOnlyList<AttentionReason> Reasons)
{
    public int Rank => Attention.Rank(Reasons);
}

public enum WorklistSort
{
    Attention,
    Reference,
    PeriodEnd,
    Credit,
}

public sealed record WorklistQuery(string? Search = null, AttentionReason? Reason = null, string? State = null, WorklistSort Sort = WorklistSort.Attention, int Page = 1, int PageSize = 50);

public sealed record WorklistPage(IReadOnlyList<WorklistRow> Rows, int Total, int Page, int PageCount, int NeedingAttention);

/// <summary>
/// The caseworker's worklist (docs/rules.md §15): every household of the person's municipalities
/// with the reasons it needs attention, most urgent first; filtered, searched, sorted and paged.
/// The municipality scope is applied before anything else, so a count or a search never sees a
/// household outside it. The computed list is kept for a short while per scope and day
/// (<see cref="Freshness"/>) and dropped at once when anything is written through <see cref="Changed"/>.
/// </summary>
public sealed class HouseholdWorklist(NpgsqlDataSource dataSource, Policy policy, IClock clock)
{
    public static readonly Duration Freshness = Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Scope, LocalDate Day), (Instant At, Task<List<WorklistRow>> Rows)> cache = new();

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

    public async Task<WorklistPage> Page(MunicipalityScope scope, LocalDate today, WorklistQuery query, CancellationToken ct = default)
    {
        var rows = await Rows(scope, today, ct);
        IEnumerable<WorklistRow> selected = rows;
        if (!string.IsNullOrWhiteSpace(query.Search))
        {
            var term = query.Search.Trim();
            selected = selected.Where(r => r.Reference.Contains(term, StringComparison.OrdinalIgnoreCase) || r.Names.Contains(term, StringComparison.OrdinalIgnoreCase));
        }

        if (query.Reason is { } reason)
        {
            selected = selected.Where(r => r.Reasons.Contains(reason));
        }

        if (!string.IsNullOrEmpty(query.State))
        {
            selected = selected.Where(r => r.State == query.State);
        }

        var ordered = (query.Sort switch
        {
            WorklistSort.Reference => selected.OrderBy(r => r.Reference, StringComparer.Ordinal),
            WorklistSort.PeriodEnd => selected.OrderBy(r => r.PeriodEnd).ThenBy(r => r.Reference, StringComparer.Ordinal),
            WorklistSort.Credit => selected.OrderByDescending(r => r.CreditOutstanding).ThenBy(r => r.Reference, StringComparer.Ordinal),
            _ => selected.OrderBy(r => r.Rank).ThenBy(r => r.PeriodEnd).ThenBy(r => r.Reference, StringComparer.Ordinal),
        }).ToList();
        var size = Math.Clamp(query.PageSize, 1, 200);
        var pages = Math.Max(1, (ordered.Count + size - 1) / size);
        var page = Math.Clamp(query.Page, 1, pages);
        return new WorklistPage(ordered.Skip((page - 1) * size).Take(size).ToList(), ordered.Count, page, pages, ordered.Count(r => r.Reasons.Count > 0));
    }

    /// <summary>Something was written: the next page is computed afresh.</summary>
    public void Changed() => cache.Clear();

    private async Task<List<WorklistRow>> Rows(MunicipalityScope scope, LocalDate today, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var key = (scope.Key, today);
        if (cache.TryGetValue(key, out var hit) && now - hit.At < Freshness && !hit.Rows.IsFaulted && !hit.Rows.IsCanceled)
        {
            return await hit.Rows;
        }

        var computing = Compute(scope, today, CancellationToken.None);
        cache[key] = (now, computing);
        return await computing.WaitAsync(ct);
    }

    private async Task<List<WorklistRow>> Compute(MunicipalityScope scope, LocalDate today, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var lastBatch = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM live_batches WHERE preparation_day <= @Today ORDER BY month DESC LIMIT 1", new { Today = today }, cancellationToken: ct));
        var facts = (await connection.QueryAsync<FactRow>(new CommandDefinition(Facts,
            new { Today = today, LastBatch = lastBatch ?? -1, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] }, cancellationToken: ct))).ToDictionary(f => f.Id);
        var households = (await HouseholdStore.Load(connection, null, HouseholdRange.All, ct)).Where(h => facts.ContainsKey(h.Id));

        var rows = new List<WorklistRow>();
        foreach (var h in households)
        {
            var f = facts[h.Id];
            var period = h.Period(today, policy);
            var toeslagen = h.Streams.Select(s => ToeslagWatch.Status(s, h.Receipts, today, policy)).ToList();
            var reasons = Attention.Reasons(new AttentionFacts(toeslagen, Money.FromEuros(f.Arrears), Money.FromEuros(f.Credit), Money.FromEuros(f.Cap),
                f.BelowMinimum, period, f.Verdict), today);
            rows.Add(new WorklistRow(h.Reference, h.Municipality, f.Names, HouseholdQueries.State(period, today), period.End,
                Money.FromEuros(f.Credit), Money.FromEuros(f.Cap), Money.FromEuros(f.Arrears), f.Verdict, reasons));
        }

        return rows;
    }

    private sealed class FactRow
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
}
