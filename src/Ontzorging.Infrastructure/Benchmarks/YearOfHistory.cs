using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.Infrastructure.Benchmarks;

/// <summary>
/// A year of history made by the engine itself for the seeded households (<see cref="BatchBenchmark.Seed"/>):
/// each month of 2026 prepared, approved, exported and settled. Shared by <c>bench web</c> and <c>bench signals</c>.
/// </summary>
public static class YearOfHistory
{
    private static readonly Actor Preparer = Actor.Simulated("bench-preparer");
    private static readonly Actor Approver = Actor.Simulated("bench-approver");

    public static readonly YearMonth FirstMonth = new(2026, 1);
    public static readonly YearMonth LastMonth = new(2026, 12);

    public static async Task<PhaseResult> Make(IServiceProvider services, string folder, CancellationToken ct) =>
        await BatchBenchmark.Measure("history", async () =>
        {
            var preparer = services.GetRequiredService<BatchPreparer>();
            var lifecycle = services.GetRequiredService<BatchLifecycle>();
            var months = 0;
            for (var month = FirstMonth; month <= LastMonth; month = month.PlusMonths(1))
            {
                var day = month.PlusMonths(-1).OnDayOfMonth(24);
                var batch = (await preparer.Prepare(Preparer, month, day, null, ct)).OrThrow();
                (await lifecycle.AcknowledgeAll(Approver, batch.Id, ct)).OrThrow();
                (await lifecycle.Approve(Approver, batch.Id, ct)).OrThrow();
                (await lifecycle.Export(Approver, batch.Id, Pain001Version.V09, Path.Combine(folder, $"{month:yyyy-MM}.xml"), ct)).OrThrow();
                (await lifecycle.Settle(Approver, batch.Id, month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month)), ct)).OrThrow();
                months++;
            }

            return $"{months} months prepared, approved, exported and settled";
        });
}
