using Dapper;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Households;

using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.Monitoring;

public sealed record ToeslagFlag(string Household, string Kind, string Status);

public sealed record PeriodEndNotice(string Household, LocalDate PeriodEnd, int DaysLeft);

/// <summary>
/// The daily watches: toeslag streams that are overdue or whose decision is overdue, and households
/// whose period ends soon. Findings are stored once per flag (first and last seen) and per period
/// end, so running a watch again on the same day changes nothing.
/// </summary>
public sealed class Watches(WriteDoor door, Policy policy)
{
    private const string UpsertFlags = """
        INSERT INTO toeslag_flags (household_id, kind, status, first_seen_on, last_seen_on)
        SELECT h, k, s, @Today, @Today FROM unnest(@Households::bigint[], @Kinds::text[], @Statuses::text[]) AS f(h, k, s)
        ON CONFLICT ON CONSTRAINT pk_toeslag_flags DO UPDATE SET last_seen_on = EXCLUDED.last_seen_on
        """;

    private const string InsertNotices = """
        INSERT INTO period_end_notices (household_id, period_end, noticed_on)
        SELECT h, e, @Today FROM unnest(@Households::bigint[], @Ends::date[]) AS n(h, e)
        ON CONFLICT ON CONSTRAINT pk_period_end_notices DO NOTHING
        """;

    public async Task<IReadOnlyList<ToeslagFlag>> Toeslagen(Actor actor, LocalDate today, CancellationToken ct = default) =>
        (await door.Run(actor, AuditActions.ToeslagWatch, $"day {today:yyyy-MM-dd}", async (scope, token) =>
        {
            var flags = await Toeslagen(scope, today, token);
            scope.After = new { Flags = flags.Count };
            return flags;
        }, ct)).Value;

    private async Task<IReadOnlyList<ToeslagFlag>> Toeslagen(WriteScope scope, LocalDate today, CancellationToken ct)
    {
        var connection = scope.Connection;
        var flags = new List<(long Id, ToeslagFlag Flag)>();
        foreach (var h in await HouseholdStore.Load(connection, scope.Transaction, HouseholdRange.All, ct))
        {
            foreach (var stream in h.Streams.Where(s => s.Kind != IncomeKind.Other))
            {
                var status = ToeslagWatch.Status(stream, h.Receipts, today, policy);
                if (status is ToeslagStatus.Overdue or ToeslagStatus.DecisionOverdue)
                {
                    flags.Add((h.Id, new ToeslagFlag(h.Reference, stream.Kind.Code(), status.Code())));
                }
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(UpsertFlags, new
        {
            Today = today,
            Households = flags.Select(f => f.Id).ToArray(),
            Kinds = flags.Select(f => f.Flag.Kind).ToArray(),
            Statuses = flags.Select(f => f.Flag.Status).ToArray(),
        }, scope.Transaction, cancellationToken: ct));
        return flags.Select(f => f.Flag).ToList();
    }

    /// <summary>Active households whose period ends within <paramref name="days"/> days; each period end is noticed once.</summary>
    public async Task<IReadOnlyList<PeriodEndNotice>> PeriodEnds(Actor actor, LocalDate today, int days, CancellationToken ct = default) =>
        (await door.Run(actor, AuditActions.PeriodEndWatch, $"day {today:yyyy-MM-dd}", async (scope, token) =>
        {
            var notices = await PeriodEnds(scope, today, days, token);
            scope.After = new { Notices = notices.Count };
            return notices;
        }, ct)).Value;

    private async Task<IReadOnlyList<PeriodEndNotice>> PeriodEnds(WriteScope scope, LocalDate today, int days, CancellationToken ct)
    {
        var connection = scope.Connection;
        var ending = (await HouseholdStore.Load(connection, scope.Transaction, HouseholdRange.All, ct))
            .Select(h => (h, Period: h.Period(today, policy)))
            .Where(x => x.Period.Start <= today && today < x.Period.End && x.Period.End <= today.PlusDays(days))
            .ToList();
        var noticed = await connection.ExecuteAsync(new CommandDefinition(InsertNotices, new
        {
            Today = today,
            Households = ending.Select(x => x.h.Id).ToArray(),
            Ends = ending.Select(x => x.Period.End).ToArray(),
        }, scope.Transaction, cancellationToken: ct));
        scope.NothingChanged = noticed == 0;
        return ending.Select(x => new PeriodEndNotice(x.h.Reference, x.Period.End, Period.Between(today, x.Period.End, PeriodUnits.Days).Days)).ToList();
    }
}
