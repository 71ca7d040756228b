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
    IReadOnlyList<AttentionReason> Reasons,
    YearMonth? RiskMonth = null,
    Money RiskMissing = default,
    IReadOnlyList<Signals.MoneySignalView>? Signals = null,
    long HouseholdId = 0)
{
    public int Rank => Attention.Rank(Reasons);

    /// <summary>The household's open money signals (rules §18), most urgent kind first.</summary>
    public IReadOnlyList<Signals.MoneySignalView> OpenSignals => Signals ?? [];

    /// <summary>The reference and the names as a search compares them (<see cref="TextSearch"/>), folded once per computed list.</summary>
    public string Searchable { get; } = TextSearch.Fold(Reference) + "\n" + TextSearch.Fold(Names);
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
/// household outside it. The computed list is kept per scope and day, each ordering sorted once;
/// after <see cref="Freshness"/> the kept list is still answered while a fresh one is computed in the
/// background, and after a write (<see cref="Changed"/>: by this site at once, and by another
/// instance, the CLI or a job when the database announces it, <see cref="WorklistChanges"/>) it is
/// computed afresh before the next answer. Only the households of the person's municipalities are
/// loaded.
/// </summary>
public sealed class HouseholdWorklist(NpgsqlDataSource dataSource, Policy policy, IClock clock)
{
    public static readonly Duration Freshness = Duration.FromSeconds(30);

    private readonly ConcurrentDictionary<(string Scope, LocalDate Day), Entry> cache = new();

    public async Task<WorklistPage> Page(MunicipalityScope scope, LocalDate today, WorklistQuery query, CancellationToken ct = default)
    {
        var list = await List(scope, today, ct);
        var ordered = list.Ordered(query.Sort);
        var size = Math.Clamp(query.PageSize, 1, 200);
        var filtered = string.IsNullOrWhiteSpace(query.Search) && query.Reason is null && string.IsNullOrEmpty(query.State);
        var term = string.IsNullOrWhiteSpace(query.Search) ? null : TextSearch.Fold(query.Search.Trim());
        IReadOnlyList<WorklistRow> selected = filtered ? ordered : ordered.Where(r => Matches(r, query, term)).ToList();
        var pages = Math.Max(1, (selected.Count + size - 1) / size);
        var page = Math.Clamp(query.Page, 1, pages);
        var rows = Enumerable.Range((page - 1) * size, Math.Max(0, Math.Min(size, selected.Count - (page - 1) * size))).Select(i => selected[i]).ToList();
        // The open signals of this page's rows (those that have any), read now: the list keeps only their kinds.
        var withSignals = rows.Where(r => r.HouseholdId != 0).Select(r => r.HouseholdId).ToList();
        if (withSignals.Count > 0)
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var open = (await Signals.MoneySignals.OpenOf(connection, today, withSignals, ct)).ToLookup(s => s.HouseholdId);
            rows = [.. rows.Select(r => r.HouseholdId == 0 ? r : r with { Signals = [.. open[r.HouseholdId]] })];
        }

        return new WorklistPage(rows, selected.Count, page, pages, filtered ? list.NeedingAttention : selected.Count(r => r.Reasons.Count > 0));
    }

    /// <summary>Something was written: the next page is computed afresh.</summary>
    public void Changed() => cache.Clear();

    /// <summary>Whether <paramref name="row"/> is asked for; <paramref name="term"/> is the search, folded once for all rows.</summary>
    private static bool Matches(WorklistRow row, WorklistQuery query, string? term) =>
        (string.IsNullOrEmpty(term) || TextSearch.Contains(row.Searchable, term))
        && (query.Reason is not { } reason || row.Reasons.Contains(reason))
        && (string.IsNullOrEmpty(query.State) || row.State == query.State);

    private async Task<ComputedList> List(MunicipalityScope scope, LocalDate today, CancellationToken ct)
    {
        var now = clock.GetCurrentInstant();
        var key = (scope.Key, today);
        if (cache.TryGetValue(key, out var entry) && !entry.List.IsFaulted && !entry.List.IsCanceled)
        {
            if (now - entry.At >= Freshness && entry.List.IsCompletedSuccessfully && Interlocked.Exchange(ref entry.Refreshing, 1) == 0)
            {
                // Stale: answer with the kept list and compute the next one in the background.
                _ = Refresh(key, scope, today, entry);
            }

            return await entry.List.WaitAsync(ct);
        }

        var computing = Compute(scope, today, CancellationToken.None);
        cache[key] = new Entry(now, computing);
        return await computing.WaitAsync(ct);
    }

    private async Task Refresh((string, LocalDate) key, MunicipalityScope scope, LocalDate today, Entry stale)
    {
        try
        {
            var fresh = await Compute(scope, today, CancellationToken.None);
            cache.TryUpdate(key, new Entry(clock.GetCurrentInstant(), Task.FromResult(fresh)), stale);
        }
        catch (Exception ex) when (ex is NpgsqlException or TimeoutException)
        {
            // The kept list stays; the next request after Freshness tries again.
            Interlocked.Exchange(ref stale.Refreshing, 0);
        }
    }

    private async Task<ComputedList> Compute(MunicipalityScope scope, LocalDate today, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var lastBatch = await WorklistFacts.LastBatch(connection, null, today, ct);
        var facts = await WorklistFacts.Load(connection, null, today, lastBatch, scope, ct);
        var households = (await HouseholdStore.Load(connection, null, HouseholdRange.Of(scope), ct, contracts: false)).Where(h => facts.ContainsKey(h.Id));
        var signals = (await connection.QueryAsync<(long HouseholdId, LocalDate Month, string Risks, decimal Missing)>(new CommandDefinition(Forecasts.ForecastSignals.LatestSql,
            new { Today = today }, cancellationToken: ct))).ToDictionary(s => s.HouseholdId);
        // Only each household's kinds: the details are read for a page's rows when it is shown.
        var moneySignals = await Signals.MoneySignals.OpenKinds(connection, today, scope, ct);

        var rows = new List<WorklistRow>();
        foreach (var h in households)
        {
            var f = facts[h.Id];
            var period = h.Period(today, policy);
            var signal = signals.TryGetValue(h.Id, out var s) ? s : default;
            var kinds = moneySignals.TryGetValue(h.Id, out var k) ? k : new HashSet<Domain.Signals.SignalKind>();
            var reasons = WorklistFacts.Reasons(h, f, today, policy, signal.HouseholdId != 0, kinds.ToHashSet());
            rows.Add(new WorklistRow(h.Reference, h.Municipality, f.Names, HouseholdQueries.State(period, today), period.End,
                Money.FromEuros(f.Credit), Money.FromEuros(f.Cap), Money.FromEuros(f.Arrears), f.Verdict, reasons,
                signal.HouseholdId != 0 ? signal.Month.ToYearMonth() : null, Money.FromEuros(signal.Missing), null, kinds.Count > 0 ? h.Id : 0));
        }

        return new ComputedList(rows);
    }

    private sealed class Entry(Instant at, Task<ComputedList> list)
    {
        public Instant At { get; } = at;

        public Task<ComputedList> List { get; } = list;

        public int Refreshing;
    }

    /// <summary>One computed worklist with each ordering sorted once, on first use.</summary>
    private sealed class ComputedList(List<WorklistRow> rows)
    {
        private readonly ConcurrentDictionary<WorklistSort, WorklistRow[]> orderings = new();

        public int NeedingAttention { get; } = rows.Count(r => r.Reasons.Count > 0);

        public WorklistRow[] Ordered(WorklistSort sort) => orderings.GetOrAdd(sort, s => (s switch
        {
            WorklistSort.Reference => rows.OrderBy(r => r.Reference, StringComparer.Ordinal),
            WorklistSort.PeriodEnd => rows.OrderBy(r => r.PeriodEnd).ThenBy(r => r.Reference, StringComparer.Ordinal),
            WorklistSort.Credit => rows.OrderByDescending(r => r.CreditOutstanding).ThenBy(r => r.Reference, StringComparer.Ordinal),
            _ => rows.OrderBy(r => r.Rank).ThenBy(r => r.PeriodEnd).ThenBy(r => r.Reference, StringComparer.Ordinal),
        }).ToArray());
    }
}
