using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Signals;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Signals;

/// <summary>A money signal as stored (docs/rules.md §18), for the worklist, the household page and the CLI.</summary>
public sealed record MoneySignalView(long Id, long HouseholdId, string Household, SignalKind Kind, string Subject, YearMonth Month, Money? Expected, LocalDate? ExpectedOn,
    Money? Actual, LocalDate? ActualOn, string? Detail, SignalStatus Status, LocalDate FirstSeenOn, LocalDate? ResolvedOn, string? SuppressedReason, string? SuppressedBy,
    Instant? SuppressedAt)
{
    /// <summary>The date that says most: when it happened, else when it was expected.</summary>
    public LocalDate? Date => ActualOn ?? ExpectedOn;

    /// <summary>The amount that says most: what happened, else what was expected (a missing payment).</summary>
    public Money? Amount => Kind == SignalKind.Missing ? Expected : Actual ?? Expected;
}

public sealed record MoneySignalRun(LocalDate Day, int Households, int Found, int Added, int Updated, int Resolved);

public sealed record SignalSuppressed(long Id, string Household, string Reason);

/// <summary>
/// The daily signal watch and the caseworker's suppression (docs/rules.md §15, §18). The watch
/// reads each household's streams and receipts, its payments and the bank lines that name them,
/// and the worklist's own facts (arrears, credit, the last batch's leefgeld), finds the signals
/// with <see cref="MoneySignalRules"/>, and stores them once per household, kind, stream or payment
/// and month: new ones are added, open ones whose figures changed are updated, open ones no longer
/// found are resolved. Running it again adds nothing. One run at a time (an advisory lock).
/// </summary>
public sealed partial class MoneySignals(WriteDoor door, Policy policy, NpgsqlDataSource dataSource, ILogger<MoneySignals> logger)
{
    private const int ChunkSize = 5_000;

    private const string Columns = """
        s.id, s.household_id AS HouseholdId, h.reference AS Household, s.kind, s.subject, s.month, s.expected_amount AS ExpectedAmount, s.expected_on AS ExpectedOn,
        s.actual_amount AS ActualAmount, s.actual_on AS ActualOn, s.detail, s.status, s.first_seen_on AS FirstSeenOn, s.resolved_on AS ResolvedOn,
        s.suppressed_reason AS SuppressedReason, s.suppressed_by AS SuppressedBy, s.suppressed_at AS SuppressedAt
        """;

    private const string OpenSql = $"""
        SELECT {Columns} FROM money_signals s JOIN households h ON h.id = s.household_id
         WHERE s.status = 'open' AND s.first_seen_on <= @Today AND (@All OR h.municipality = ANY(@Codes))
        """;

    private const string StoredOpenSql = """
        SELECT id, household_id AS HouseholdId, kind, subject, month, status, first_seen_on AS FirstSeenOn, actual_amount AS ActualAmount, actual_on AS ActualOn, detail
          FROM money_signals WHERE status = 'open'
        """;

    private const string OpenArrearsSql = """
        SELECT household_id AS HouseholdId, contract_id AS ContractId, kind, amount, due_date AS DueDate FROM arrears WHERE paid_in_batch_id IS NULL
        """;

    private const string LastBatchSql = """
        SELECT b.month, b.preparation_day AS PreparationDay, bh.household_id AS HouseholdId, bh.leefgeld, bh.minimum_leefgeld AS MinimumLeefgeld
          FROM batches b JOIN batch_households bh ON bh.batch_id = b.id WHERE b.id = @LastBatch
        """;

    // Payments returned by the bank, with whether their re-sent payment (returned leefgeld: the one that re-sends it; an
    // installment: the next attempt of the same obligation and due date, paid as an arrear) settled by the day.
    private const string ReturnedSql = """
        SELECT p.household_id AS HouseholdId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.execution_date AS ExecutionDate, p.settled_on AS SettledOn,
               p.returned_on AS ReturnedOn, p.return_reason AS ReturnReason,
               EXISTS (SELECT 1 FROM payments r
                        WHERE (r.resends_payment_id = p.id
                               OR (r.household_id = p.household_id AND r.obligation = p.obligation AND r.due_date = p.due_date AND r.attempt = p.attempt + 1))
                          AND r.status IN ('settled', 'returned') AND r.settled_on <= @Today) AS ResendSettled
          FROM payments p WHERE p.status = 'returned' AND p.returned_on <= @Today
        """;

    // Outgoing lines that name a payment's EndToEndId and settled nothing: paid twice, or another amount.
    private const string StraySql = """
        SELECT p.household_id AS HouseholdId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.execution_date AS ExecutionDate, p.settled_on AS SettledOn,
               -b.amount AS LineAmount, b.booking_date AS BookingDate
          FROM bank_lines b JOIN payments p ON p.end_to_end_id = b.reference AND p.status <> 'cancelled'
         WHERE b.amount < 0 AND b.payment_id IS NULL AND b.reference IS NOT NULL AND b.status IN ('unmatched', 'suggested') AND b.booking_date <= @Today
        """;

    private const string InsertSignals = """
        INSERT INTO money_signals (household_id, kind, subject, month, expected_amount, expected_on, actual_amount, actual_on, detail, status, first_seen_on)
        SELECT h, k, s, m, ea, eo, aa, ao, d, 'open', @Day
          FROM unnest(@Households::bigint[], @Kinds::text[], @Subjects::text[], @Months::date[], @ExpectedAmounts::numeric[], @ExpectedOns::date[],
                      @ActualAmounts::numeric[], @ActualOns::date[], @Details::text[]) AS n(h, k, s, m, ea, eo, aa, ao, d)
        ON CONFLICT ON CONSTRAINT uq_money_signals_key DO NOTHING
        """;

    private const string UpdateSignals = """
        UPDATE money_signals m SET expected_amount = u.ea, expected_on = u.eo, actual_amount = u.aa, actual_on = u.ao, detail = u.d
          FROM unnest(@Ids::bigint[], @ExpectedAmounts::numeric[], @ExpectedOns::date[], @ActualAmounts::numeric[], @ActualOns::date[], @Details::text[]) AS u(id, ea, eo, aa, ao, d)
         WHERE m.id = u.id AND m.status = 'open'
        """;

    private const string ResolveSignals = "UPDATE money_signals SET status = 'resolved', resolved_on = @Day WHERE id = ANY(@Ids) AND status = 'open'";

    private const string UpsertRun = """
        INSERT INTO money_signal_runs (computed_on, households, found, added, resolved, computed_at) VALUES (@Day, @Households, @Found, @Added, @Resolved, @Now)
        ON CONFLICT ON CONSTRAINT pk_money_signal_runs DO UPDATE
           SET households = EXCLUDED.households, found = EXCLUDED.found, added = money_signal_runs.added + EXCLUDED.added,
               resolved = money_signal_runs.resolved + EXCLUDED.resolved, computed_at = EXCLUDED.computed_at
        """;

    /// <summary>Use case: the watch for <paramref name="today"/> as <paramref name="actor"/> (action <c>watch.signals</c>).</summary>
    public async Task<MoneySignalRun> Run(Actor actor, LocalDate today, CancellationToken ct = default) =>
        (await door.Run(actor, AuditActions.SignalWatch, $"day {today:yyyy-MM-dd}", async (scope, token) =>
        {
            // One watch at a time (the job on two nodes, a run asked for on /beheer): the second waits and finds nothing new.
            await scope.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:signal-watch'))", transaction: scope.Transaction,
                commandTimeout: 0, cancellationToken: token));
            var run = await Store(scope, today, token);
            scope.After = new { run.Households, run.Found, run.Added, run.Updated, run.Resolved };
            return run;
        }, ct)).Value;

    private async Task<MoneySignalRun> Store(WriteScope scope, LocalDate today, CancellationToken ct)
    {
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        var (households, found) = await Compute(connection, transaction, today, ct);
        var stored = (await connection.QueryAsync<StoredRow>(new CommandDefinition(StoredOpenSql, transaction: transaction, cancellationToken: ct))).ToList();
        var storedByHousehold = stored.ToLookup(s => s.HouseholdId);
        var ids = stored.ToDictionary(s => (s.HouseholdId, s.Key), s => s.Id);
        var added = new List<(long Household, SignalFinding Finding)>();
        var updated = new List<(long Id, SignalFinding Finding)>();
        var resolved = new List<long>();
        var foundByHousehold = found.ToLookup(f => f.Household, f => f.Finding);
        foreach (var household in storedByHousehold.Select(g => g.Key).Union(foundByHousehold.Select(g => g.Key)))
        {
            var changes = MoneySignalRules.Reconcile(storedByHousehold[household].Select(s => s.ToStored()).ToList(), foundByHousehold[household].ToList(), today);
            added.AddRange(changes.Added.Select(f => (household, f)));
            updated.AddRange(changes.Updated.Select(f => (ids[(household, f.Key)], f)));
            resolved.AddRange(changes.Resolved.Select(k => ids[(household, k)]));
        }

        var insertedCount = await connection.ExecuteAsync(new CommandDefinition(InsertSignals, new
        {
            Day = today,
            Households = added.Select(a => a.Household).ToArray(),
            Kinds = added.Select(a => a.Finding.Kind.Code()).ToArray(),
            Subjects = added.Select(a => a.Finding.Key.Subject).ToArray(),
            Months = added.Select(a => a.Finding.Key.Month.OnDayOfMonth(1)).ToArray(),
            ExpectedAmounts = added.Select(a => a.Finding.Expected?.ToDecimal()).ToArray(),
            ExpectedOns = added.Select(a => a.Finding.ExpectedOn).ToArray(),
            ActualAmounts = added.Select(a => a.Finding.Actual?.ToDecimal()).ToArray(),
            ActualOns = added.Select(a => a.Finding.ActualOn).ToArray(),
            Details = added.Select(a => a.Finding.Detail).ToArray(),
        }, transaction, commandTimeout: 0, cancellationToken: ct));
        if (updated.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(UpdateSignals, new
            {
                Ids = updated.Select(u => u.Id).ToArray(),
                ExpectedAmounts = updated.Select(u => u.Finding.Expected?.ToDecimal()).ToArray(),
                ExpectedOns = updated.Select(u => u.Finding.ExpectedOn).ToArray(),
                ActualAmounts = updated.Select(u => u.Finding.Actual?.ToDecimal()).ToArray(),
                ActualOns = updated.Select(u => u.Finding.ActualOn).ToArray(),
                Details = updated.Select(u => u.Finding.Detail).ToArray(),
            }, transaction, commandTimeout: 0, cancellationToken: ct));
        }

        if (resolved.Count > 0)
        {
            await connection.ExecuteAsync(new CommandDefinition(ResolveSignals, new { Day = today, Ids = resolved.ToArray() }, transaction, commandTimeout: 0, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition(UpsertRun, new { Day = today, Households = households, Found = found.Count, Added = insertedCount, Resolved = resolved.Count, scope.Now },
            transaction, cancellationToken: ct));
        return new MoneySignalRun(today, households, found.Count, insertedCount, updated.Count, resolved.Count);
    }

    /// <summary>What the watch finds on <paramref name="today"/>, household by household, chunk by chunk; writes nothing.</summary>
    public async Task<(int Households, IReadOnlyList<(long Household, SignalFinding Finding)> Found)> Compute(NpgsqlConnection connection, NpgsqlTransaction? transaction,
        LocalDate today, CancellationToken ct)
    {
        CommandDefinition Query(string sql, object? parameters = null) => new(sql, parameters, transaction, commandTimeout: 0, cancellationToken: ct);
        var lastBatch = await WorklistFacts.LastBatch(connection, transaction, today, ct);
        var facts = await WorklistFacts.Load(connection, transaction, today, lastBatch, MunicipalityScope.All, ct);
        var arrears = (await connection.QueryAsync<ArrearRow>(Query(OpenArrearsSql))).ToLookup(a => a.HouseholdId);
        var batchRows = (await connection.QueryAsync<BatchRow>(Query(LastBatchSql, new { LastBatch = lastBatch ?? -1 }))).ToDictionary(b => b.HouseholdId);
        var returned = (await connection.QueryAsync<PaymentRow>(Query(ReturnedSql, new { Today = today }))).ToList();
        var stray = (await connection.QueryAsync<PaymentRow>(Query(StraySql, new { Today = today }))).ToList();
        var payments = returned.Concat(stray).ToLookup(p => p.HouseholdId);

        var found = new List<(long, SignalFinding)>();
        var ids = facts.Keys.Order().ToList();
        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            foreach (var household in await HouseholdStore.Load(connection, transaction, new HouseholdRange(chunk[0], chunk[^1]), ct, contracts: false))
            {
                if (!facts.TryGetValue(household.Id, out var fact))
                {
                    continue;
                }

                try
                {
                    var tolerances = policy.SignalTolerancesFor(household.Municipality);
                    var period = household.Period(today, policy);
                    foreach (var stream in household.Streams)
                    {
                        found.AddRange(MoneySignalRules.ForStream(stream, household.Receipts, period, today, tolerances, policy).Select(f => (household.Id, f)));
                    }

                    foreach (var payment in payments[household.Id].GroupBy(p => p.EndToEndId))
                    {
                        found.AddRange(MoneySignalRules.ForPayment(PaymentRow.Facts(payment.ToList()), today, tolerances).Select(f => (household.Id, f)));
                    }

                    var reasons = WorklistFacts.Reasons(household, fact, today, policy, forecastAtRisk: false, openSignals: []);
                    var batch = batchRows.TryGetValue(household.Id, out var b)
                        ? new LastBatchFacts(b.Month.ToYearMonth(), b.PreparationDay, Money.FromEuros(b.Leefgeld), Money.FromEuros(b.MinimumLeefgeld))
                        : null;
                    found.AddRange(MoneySignalRules.ForShortage(reasons,
                        arrears[household.Id].Select(a => new ArrearFacts($"arrear:{a.ContractId}", a.Kind, Money.FromEuros(a.Amount), a.DueDate)).ToList(),
                        Money.FromEuros(fact.Credit), Money.FromEuros(fact.Cap), batch, today).Select(f => (household.Id, f)));
                }
                catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
                {
                    // Data the intake should have refused: this household has no signals today; every other one does.
                    LogNoSignals(logger, household.Reference, e.Message);
                }
            }
        }

        return (facts.Count, found);
    }

    /// <summary>The open signals first seen by <paramref name="today"/> of the households in <paramref name="scope"/> (the worklist).</summary>
    /// <summary>
    /// The kinds of each household's open signals, for the worklist's reasons: one row a household, so
    /// computing the list does not read every signal's details (the page reads its rows' with <see cref="OpenOf"/>).
    /// </summary>
    public static async Task<IReadOnlyDictionary<long, IReadOnlySet<SignalKind>>> OpenKinds(NpgsqlConnection connection, LocalDate today, MunicipalityScope scope, CancellationToken ct) =>
        (await connection.QueryAsync<(long HouseholdId, string[] Kinds)>(new CommandDefinition("""
            SELECT s.household_id, array_agg(DISTINCT s.kind) FROM money_signals s JOIN households h ON h.id = s.household_id
             WHERE s.status = 'open' AND s.first_seen_on <= @Today AND (@All OR h.municipality = ANY(@Codes))
             GROUP BY s.household_id
            """, new { Today = today, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] }, cancellationToken: ct)))
            .ToDictionary(r => r.HouseholdId, r => (IReadOnlySet<SignalKind>)r.Kinds.Select(SignalKinds.ParseKind).ToHashSet());

    /// <summary>The open signals of the households <paramref name="ids"/> (a worklist page's rows), in the worklist's order.</summary>
    public static async Task<IReadOnlyList<MoneySignalView>> OpenOf(NpgsqlConnection connection, LocalDate today, IReadOnlyCollection<long> ids, CancellationToken ct) =>
        (await connection.QueryAsync<ViewRow>(new CommandDefinition(OpenSql + " AND s.household_id = ANY(@Ids)",
            new { Today = today, All = true, Codes = Array.Empty<string>(), Ids = ids.ToArray() }, cancellationToken: ct)))
            .Select(r => r.View()).OrderBy(v => v.Kind).ThenBy(v => v.Month).ThenBy(v => v.Subject, StringComparer.Ordinal).ToList();

    public static async Task<IReadOnlyList<MoneySignalView>> Open(NpgsqlConnection connection, NpgsqlTransaction? transaction, LocalDate today, MunicipalityScope scope,
        CancellationToken ct) =>
        (await connection.QueryAsync<ViewRow>(new CommandDefinition(OpenSql, new { Today = today, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] }, transaction,
            cancellationToken: ct))).Select(r => r.View()).OrderBy(v => v.Kind).ThenBy(v => v.Month).ThenBy(v => v.Subject, StringComparer.Ordinal).ToList();

    /// <summary>Every signal (open, suppressed, resolved) of one household, or of every household in scope when <paramref name="reference"/> is null; newest month first.</summary>
    public async Task<IReadOnlyList<MoneySignalView>> List(string? reference, MunicipalityScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var sql = $"""
            SELECT {Columns} FROM money_signals s JOIN households h ON h.id = s.household_id
             WHERE (@Reference::text IS NULL OR h.reference = @Reference) AND (@All OR h.municipality = ANY(@Codes))
             ORDER BY h.reference, CASE s.status WHEN 'open' THEN 0 WHEN 'suppressed' THEN 1 ELSE 2 END, s.month DESC, s.kind, s.subject
            """;
        return (await connection.QueryAsync<ViewRow>(new CommandDefinition(sql, new { Reference = reference, All = scope.Codes is null, Codes = scope.Codes?.ToArray() ?? [] },
            cancellationToken: ct))).Select(r => r.View()).ToList();
    }

    /// <summary>
    /// Use case: a caseworker suppresses an open signal of household <paramref name="reference"/>
    /// with a reason (rules §18): refused without a reason, with a hidden or control character or
    /// more than <see cref="TextRules.MaxReasonLength"/> characters, for a signal the household
    /// does not have (or outside <paramref name="scope"/>), or one not open. Nothing is written then
    /// but the refusal's record.
    /// </summary>
    public async Task<Result<SignalSuppressed>> Suppress(Actor actor, string reference, long signal, string? reason, MunicipalityScope scope, CancellationToken ct = default)
    {
        var target = $"household {reference}";
        var text = string.IsNullOrWhiteSpace(reason) ? null : TextRules.Nfc(reason.Trim());
        var attempted = new { Signal = signal, Reason = text };
        if (text is null)
        {
            return await door.Refuse<SignalSuppressed>(actor, AuditActions.SignalSuppress, target, Refusal.Of(RefusalCode.SuppressNeedsReason, "reason"), attempted);
        }

        if (TextRules.ReasonRefusal(text, TextRules.MaxReasonLength) is { } unfit)
        {
            return await door.Refuse<SignalSuppressed>(actor, AuditActions.SignalSuppress, target, unfit, new { Signal = signal });
        }

        return await door.Run(actor, AuditActions.SignalSuppress, target, async (scope2, token) =>
        {
            scope2.After = attempted;
            var row = await scope2.Connection.QuerySingleOrDefaultAsync<(long Id, string Status, string Kind, string Subject, LocalDate Month, string Municipality)?>(new CommandDefinition("""
                SELECT s.id, s.status, s.kind, s.subject, s.month, h.municipality FROM money_signals s JOIN households h ON h.id = s.household_id
                 WHERE s.id = @Id AND h.reference = @Reference FOR UPDATE OF s
                """, new { Id = signal, Reference = reference }, scope2.Transaction, cancellationToken: token));
            if (row is not { } found || !scope.Includes(found.Municipality))
            {
                throw new RefusedException(Refusal.Of(RefusalCode.SignalUnknown, "signal", ("household", reference), ("signal", signal)));
            }

            scope2.Municipality = found.Municipality;
            scope2.Before = new { Signal = signal, found.Kind, found.Subject, Month = found.Month.ToYearMonth().ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture), found.Status };
            if (found.Status != SignalStatus.Open.Code())
            {
                throw new RefusedException(Refusal.Of(RefusalCode.SignalNotOpen, "signal", ("signal", signal), ("status", found.Status)));
            }

            await scope2.Connection.ExecuteAsync(new CommandDefinition("""
                UPDATE money_signals SET status = 'suppressed', suppressed_reason = @Reason, suppressed_by = @By, suppressed_at = @At WHERE id = @Id
                """, new { Id = signal, Reason = text, By = actor.Subject, At = scope2.Now }, scope2.Transaction, cancellationToken: token));
            return new SignalSuppressed(signal, reference, text);
        }, ct);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Signal watch: {Household} has no signals today ({Reason})")]
    private static partial void LogNoSignals(ILogger logger, string household, string reason);

    private sealed class StoredRow
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public string Subject { get; set; } = "";

        public LocalDate Month { get; set; }

        public string Status { get; set; } = "";

        public LocalDate FirstSeenOn { get; set; }

        public decimal? ActualAmount { get; set; }

        public LocalDate? ActualOn { get; set; }

        public string? Detail { get; set; }

        public SignalKey Key => new(SignalKinds.ParseKind(Kind), Subject, Month.ToYearMonth());

        public StoredSignal ToStored() => new(Key, SignalKinds.ParseStatus(Status), FirstSeenOn, ActualAmount is { } a ? Money.FromEuros(a) : null, ActualOn, Detail);
    }

    private sealed class ArrearRow
    {
        public long HouseholdId { get; set; }

        public long ContractId { get; set; }

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate DueDate { get; set; }
    }

    private sealed class BatchRow
    {
        public LocalDate Month { get; set; }

        public LocalDate PreparationDay { get; set; }

        public long HouseholdId { get; set; }

        public decimal Leefgeld { get; set; }

        public decimal MinimumLeefgeld { get; set; }
    }

    private sealed class PaymentRow
    {
        public long HouseholdId { get; set; }

        public string EndToEndId { get; set; } = "";

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ExecutionDate { get; set; }

        public LocalDate? SettledOn { get; set; }

        public LocalDate? ReturnedOn { get; set; }

        public string? ReturnReason { get; set; }

        public bool ResendSettled { get; set; }

        public decimal? LineAmount { get; set; }

        public LocalDate? BookingDate { get; set; }

        /// <summary>The rows of one payment (its return, its stray lines) as one <see cref="PaymentFacts"/>.</summary>
        public static PaymentFacts Facts(IReadOnlyList<PaymentRow> rows)
        {
            var first = rows[0];
            var returned = rows.FirstOrDefault(r => r.ReturnedOn is not null);
            return new PaymentFacts(first.EndToEndId, first.Kind, Money.FromEuros(first.Amount), first.ExecutionDate, first.SettledOn, returned?.ReturnedOn, returned?.ReturnReason,
                returned?.ResendSettled ?? false,
                rows.Where(r => r.LineAmount is not null).Select(r => new StrayLine(Money.FromEuros(r.LineAmount!.Value), r.BookingDate!.Value)).ToList());
        }
    }

    private sealed class ViewRow
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public string Kind { get; set; } = "";

        public string Subject { get; set; } = "";

        public LocalDate Month { get; set; }

        public decimal? ExpectedAmount { get; set; }

        public LocalDate? ExpectedOn { get; set; }

        public decimal? ActualAmount { get; set; }

        public LocalDate? ActualOn { get; set; }

        public string? Detail { get; set; }

        public string Status { get; set; } = "";

        public LocalDate FirstSeenOn { get; set; }

        public LocalDate? ResolvedOn { get; set; }

        public string? SuppressedReason { get; set; }

        public string? SuppressedBy { get; set; }

        public Instant? SuppressedAt { get; set; }

        public MoneySignalView View() => new(Id, HouseholdId, Household, SignalKinds.ParseKind(Kind), Subject, Month.ToYearMonth(),
            ExpectedAmount is { } e ? Money.FromEuros(e) : null, ExpectedOn, ActualAmount is { } a ? Money.FromEuros(a) : null, ActualOn, Detail,
            SignalKinds.ParseStatus(Status), FirstSeenOn, ResolvedOn, SuppressedReason, SuppressedBy, SuppressedAt);
    }
}
