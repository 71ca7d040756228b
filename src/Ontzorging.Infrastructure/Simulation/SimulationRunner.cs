using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Simulation;

public sealed record SimulatedMonth(YearMonth Month, PreparedBatch Batch, IReadOnlyList<HouseholdReadiness> Readiness);

/// <summary>
/// docs/rules.md §13: imports the intake files and walks day by day from the preparation day of the
/// first month to the last day of the last, running the real services against the real database
/// under a <see cref="SimulationClock"/>. Each day, in this order: book receipts dated that day
/// (earlier ones on the first day) and apply write-offs; on a preparation day prepare the next
/// month's batch, approve it as a second user and export its pain.001 file; settle the payments
/// whose execution date it is; at the end of a month evaluate readiness.
/// </summary>
public sealed class SimulationRunner(IServiceProvider services)
{
    public const string Importer = "intake";
    public const string Preparer = "simulation-preparer";
    public const string Approver = "simulation-approver";

    // Who acts in a simulation: system subjects on the simulate channel (docs/rules.md §14), two of
    // them, so four eyes holds there too.
    private static readonly Actor Importing = Actor.Simulated(Importer);
    private static readonly Actor Preparing = Actor.Simulated(Preparer);
    private static readonly Actor Approving = Actor.Simulated(Approver);
    public const string PaymentFolder = "pain001";

    /// <param name="settleOnExecution">False leaves exported payments in transit, for bank statements to settle.</param>
    /// <param name="everyDay">Run at the end of each day, after that day's preparation and settlement (the daily jobs, such as the forecast watch).</param>
    public async Task<IReadOnlyList<SimulatedMonth>> Run(string input, YearMonth from, YearMonth to, string output, Action<string>? progress = null, bool settleOnExecution = true,
        Func<LocalDate, CancellationToken, Task>? everyDay = null, CancellationToken ct = default)
    {
        if (to < from)
        {
            throw new ArgumentException($"--to {to:yyyy-MM} lies before --from {from:yyyy-MM}");
        }

        var clock = services.GetRequiredService<IClock>() as SimulationClock
            ?? throw new InvalidOperationException("The simulation needs a SimulationClock registered as IClock");
        var policy = services.GetRequiredService<Policy>();
        var first = HouseholdMonth.PreparationDay(from, policy);
        var last = to.OnDayOfMonth(to.Calendar.GetDaysInMonth(to.Year, to.Month));

        clock.MoveTo(first);
        (await services.GetRequiredService<IntakeImporter>().Import(Importing, input, ct)).OrThrow();
        var bookkeeping = services.GetRequiredService<DailyBookkeeping>();
        var preparer = services.GetRequiredService<BatchPreparer>();
        var readiness = services.GetRequiredService<ReadinessService>();
        var lifecycle = services.GetRequiredService<BatchLifecycle>();

        var months = new List<SimulatedMonth>();
        PreparedBatch? batch = null;
        for (var day = first; day <= last; day = day.PlusDays(1))
        {
            ct.ThrowIfCancellationRequested();
            clock.MoveTo(day);
            await bookkeeping.Run(Importing, day, ct);

            var next = day.ToYearMonth().PlusMonths(1);
            if (next >= from && next <= to && day == HouseholdMonth.PreparationDay(next, policy))
            {
                batch = (await preparer.Prepare(Preparing, next, day, null, ct)).OrThrow();
                // The approver acknowledges the exceptions first, as an officer does (issue 22).
                (await lifecycle.AcknowledgeAll(Approving, batch.Id, ct)).OrThrow();
                (await lifecycle.Approve(Approving, batch.Id, ct)).OrThrow();
                var export = (await lifecycle.Export(Approving, batch.Id, Pain001Version.V09, Path.Combine(output, PaymentFolder, $"pain001-{next:yyyy-MM}.xml"), ct)).OrThrow();
                progress?.Invoke($"{next:yyyy-MM}: batch {batch.Id} prepared for {batch.Households} household(s) by {Preparer}, approved by {Approver}, "
                    + (export.File is null ? "nothing to pay" : $"{export.Payments} payment(s) totalling {export.ControlSum} exported as {export.MessageId}")
                    + $"; {batch.Issues} exception(s); credit drawn {batch.CreditDrawn}");
            }

            if (settleOnExecution)
            {
                await lifecycle.SettleDue(Approving, day, ct);
            }

            if (everyDay is not null)
            {
                await everyDay(day, ct);
            }

            var month = day.ToYearMonth();
            if (month >= from && day == month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month)))
            {
                var evaluated = await readiness.Evaluate(Preparing, day, ct);
                months.Add(new SimulatedMonth(month, batch!, evaluated));
            }
        }

        await using var connection = await services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync(ct);
        await SimulationOutput.Write(connection, output, ct);
        return months;
    }
}
