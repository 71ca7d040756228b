using System.Diagnostics;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.Benchmarks;

public sealed record PhaseResult(string Phase, TimeSpan Elapsed, long PeakWorkingSetBytes, long AllocatedBytes, string Detail);

/// <summary>
/// <c>ontzorging bench batch</c>: seeds N synthetic households (server-side, deterministic), then
/// measures the monthly cycle an officer runs: prepare, approve, export. Each phase reports wall
/// time, the peak working set sampled while it ran, and what it allocated.
/// </summary>
public sealed class BatchBenchmark(NpgsqlDataSource dataSource, DailyBookkeeping bookkeeping, BatchPreparer preparer, BatchLifecycle lifecycle)
{
    public static readonly YearMonth Month = new(2026, 6);
    public static readonly LocalDate PreparedOn = new(2026, 5, 24);

    // Valid invented IBANs: households cycle through the first list, creditors through the second.
    private static readonly string[] HouseholdIbans = Enumerable.Range(1, 97).Select(i => DutchIban("INGB", 500_000_000 + i)).ToArray();
    private static readonly string[] CreditorIbans = Enumerable.Range(1, 13).Select(i => DutchIban("RABO", 300_000_000 + i)).ToArray();

    private const string SeedHouseholds = """
        INSERT INTO households (reference, municipality, bijstand_start, adults, children, iban, leefgeld_frequency, language, created_at)
        SELECT 'B' || lpad(i::text, 7, '0'), 'GM0344', date '2026-01-01' + ((i * 37) % 120), 1 + (i % 10 >= 4)::int, CASE WHEN i % 10 >= 7 THEN 1 + i % 4 ELSE 0 END,
               (@Ibans::text[])[1 + i % cardinality(@Ibans::text[])], CASE WHEN i % 10 < 3 THEN 'weekly' ELSE 'monthly' END, 'nl', now()
          FROM generate_series(1, @Count) AS i
        """;

    private const string SeedAccounts = """
        INSERT INTO ledger_accounts (code, type, household_id, cap)
        SELECT 'household:' || reference, 'liability', id, NULL FROM households
        UNION ALL
        SELECT 'credit:' || reference, 'asset', id, CASE WHEN adults + children = 1 THEN 1000 ELSE 1500 END FROM households
        """;

    private const string SeedContracts = """
        INSERT INTO contracts (household_id, kind, creditor_iban)
        SELECT h.id, k.kind, (@Creditors::text[])[1 + (h.id + k.n) % cardinality(@Creditors::text[])]
          FROM households h CROSS JOIN (VALUES (1, 'rent'), (2, 'health_insurance'), (3, 'energy'), (4, 'water')) AS k(n, kind)
        """;

    private const string SeedVersions = """
        INSERT INTO contract_versions (contract_id, creditor_name, amount, due_day, valid_from)
        SELECT c.id, initcap(replace(c.kind, '_', ' ')) || ' BV',
               CASE c.kind WHEN 'rent' THEN 780 + (c.household_id % 45) * 10 WHEN 'health_insurance' THEN 159 * (1 + (h.adults = 2)::int)
                           WHEN 'energy' THEN 120 + (c.household_id % 8) * 15 ELSE 20 + (c.household_id % 4) * 5 END,
               CASE c.kind WHEN 'water' THEN 1 + (c.household_id % 28) ELSE 1 END, date '2025-01-01'
          FROM contracts c JOIN households h ON h.id = c.household_id
        """;

    private const string SeedIncomes = """
        INSERT INTO income_streams (household_id, kind, amount, from_month, routed, applied_on)
        SELECT id, 'bijstand', CASE WHEN adults = 2 THEN 1858 ELSE 1300 END, date_trunc('month', bijstand_start)::date, true, NULL FROM households
        UNION ALL
        SELECT id, 'zorgtoeslag', 129 * adults, date_trunc('month', bijstand_start)::date, true, bijstand_start + 3 FROM households
        """;

    private const string SeedReceipts = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, routed)
        SELECT id, 'zorgtoeslag', 129 * adults * 3, date '2026-05-20', date_trunc('month', bijstand_start)::date,
               (date_trunc('month', bijstand_start) + interval '2 months')::date, true
          FROM households WHERE id % 2 = 0
        """;

    public async Task<PhaseResult> Seed(int households, CancellationToken ct = default)
    {
        return await Measure("seed", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            foreach (var sql in new[] { SeedHouseholds, SeedAccounts, SeedContracts, SeedVersions, SeedIncomes, SeedReceipts })
            {
                await connection.ExecuteAsync(new CommandDefinition(sql, new { Count = households, Ibans = HouseholdIbans, Creditors = CreditorIbans }, transaction,
                    commandTimeout: 600, cancellationToken: ct));
            }

            await transaction.CommitAsync(ct);
            // The receipts are booked the way the engine books them, so the ledger agrees with the balances.
            await bookkeeping.Run(Actor.Simulated("bench-seed"), PreparedOn, ct);
            await connection.ExecuteAsync(new CommandDefinition("ANALYZE households, contracts, contract_versions, income_streams, receipts, ledger_accounts", commandTimeout: 600, cancellationToken: ct));
            return $"{households:N0} households, {households * 4:N0} contracts";
        });
    }

    public async Task<IReadOnlyList<PhaseResult>> Run(string exportFile, CancellationToken ct = default)
    {
        PreparedBatch? batch = null;
        var prepare = await Measure("prepare", async () =>
        {
            batch = (await preparer.Prepare(Actor.Simulated("bench-preparer"), Month, PreparedOn, null, ct)).OrThrow();
            return $"{batch.Households:N0} households, {batch.Payments:N0} payments, {batch.Issues:N0} exceptions";
        });
        var approve = await Measure("approve", async () =>
        {
            (await lifecycle.AcknowledgeAll(Actor.Simulated("bench-approver"), batch!.Id, ct)).OrThrow();
            (await lifecycle.Approve(Actor.Simulated("bench-approver"), batch.Id, ct)).OrThrow();
            return "four eyes";
        });
        var export = await Measure("export", async () =>
        {
            var result = (await lifecycle.Export(Actor.Simulated("bench-approver"), batch!.Id, Pain001Version.V09, exportFile, ct)).OrThrow();
            return $"{result.Payments:N0} payments, {new FileInfo(exportFile).Length / 1024 / 1024:N0} MiB pain.001";
        });
        return [prepare, approve, export];
    }

    public static async Task<PhaseResult> Measure(string phase, Func<Task<string>> work)
    {
        using var process = Process.GetCurrentProcess();
        GC.Collect();
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var peak = 0L;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                process.Refresh();
                peak = Math.Max(peak, process.WorkingSet64);
                try
                {
                    await Task.Delay(20, sampling.Token);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        });
        var stopwatch = Stopwatch.StartNew();
        var detail = await work();
        stopwatch.Stop();
        await sampling.CancelAsync();
        await sampler;
        process.Refresh();
        return new PhaseResult(phase, stopwatch.Elapsed, Math.Max(peak, process.WorkingSet64), GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore, detail);
    }

    internal static string DutchIban(string bank, long account)
    {
        var digits = string.Concat($"{bank}{account:0000000000}NL00".Select(c => char.IsAsciiLetter(c) ? (c - 'A' + 10).ToString(System.Globalization.CultureInfo.InvariantCulture) : c.ToString()));
        var remainder = digits.Aggregate(0, (r, c) => (r * 10 + (c - '0')) % 97);
        var iban = $"NL{98 - remainder:00}{bank}{account:0000000000}";
        return Iban.Of(iban).Value;
    }
}
