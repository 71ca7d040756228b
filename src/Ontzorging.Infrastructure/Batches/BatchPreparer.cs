using System.Threading.Channels;
using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Resilience;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>The outcome of preparing a month: the batch, and whether this call created it.</summary>
public sealed record PreparedBatch(long Id, YearMonth Month, bool Created, int Households, int Payments, int Issues, Money CreditDrawn);

/// <summary>
/// What preparing a month would do, said before it is done (issue 22): computed by the preparation
/// itself in a transaction that is rolled back. <see cref="Refusal"/> is what preparing now would be
/// refused for (with <see cref="ReasonRequired"/>: a reason is missing or unfit, and the figures are
/// those of the preparation once it is given); <see cref="ExistingBatch"/> is the batch already
/// prepared for the month.
/// </summary>
public sealed record PreparationPreview(YearMonth Month, LocalDate PreparationDay, LocalDate ScheduledDay, int DaysLate, bool ReasonRequired, Refusal? Refusal,
    long? ExistingBatch, int Households, int Payments, Money Total, int Exceptions, int LateInstallments, Money CreditDrawn,
    IReadOnlyList<PreviewIssueCount> ExceptionsByKind)
{
    /// <summary>Whether preparing on these terms would be done (nothing refuses it, and the month is not prepared yet).</summary>
    public bool WouldPrepare => Refusal is null && ExistingBatch is null;
}

/// <summary>How many exceptions of a kind a preparation would raise.</summary>
public sealed record PreviewIssueCount(string Kind, int Count);

/// <summary>
/// Prepares the batch for a month: the waterfall (Domain) for every household in it, stored with
/// its payments, arrears, exceptions and ledger entries in one transaction. Preparing a month again
/// returns the existing batch. Preparations run one at a time for the whole engine (an advisory
/// lock; the unique month backs it), and a month is prepared only from the outcome of the month
/// before it (<see cref="MonthOrder"/>). What is due is booked first, so a receipt that landed is
/// never left out because nothing booked it. A household whose data cannot be carried through the
/// waterfall becomes the batch's exception, and every other household is paid. A transient database
/// failure (a restart, a failover) prepares again from the start (<see cref="TransientRetry"/>).
/// </summary>
public sealed class BatchPreparer(WriteDoor door, NpgsqlDataSource dataSource, Policy policy, DailyBookkeeping bookkeeping, ILogger<BatchPreparer> logger)
{
    private const int ChunkSize = 5_000;

    private const string FindBatch = """
        SELECT b.id, (SELECT count(*) FROM batch_households bh WHERE bh.batch_id = b.id)::int AS Households,
               (SELECT count(*) FROM payments p WHERE p.batch_id = b.id)::int AS Payments,
               (SELECT count(*) FROM batch_issues i WHERE i.batch_id = b.id)::int AS Issues,
               (SELECT coalesce(sum(credit_drawn), 0) FROM batch_households bh WHERE bh.batch_id = b.id) AS CreditDrawn
          FROM live_batches b WHERE b.month = @Month
        """;

    private const string InsertBatch = """
        INSERT INTO batches (month, preparation_day, prepared_by, prepared_at, out_of_order_reason) VALUES (@Month, @PreparationDay, @PreparedBy, @Now, @Reason) RETURNING id
        """;

    private const string LiveBatches = "SELECT month, status FROM live_batches";

    // Set once, by this preparation only (migrations/always/batches.sql); the approval takes a copy.
    private const string SetDigest = "UPDATE batches SET payment_count = @Count, control_sum = @Sum, payments_sha256 = @Sha256 WHERE id = @Id";

    private const string CopyHouseholds = """
        COPY batch_households (batch_id, household_id, period_start, period_end, balance_before, receipts, bijstand, minimum_leefgeld, credit_drawn,
                               installments_paid, arrears_open, leefgeld, credit_repaid, credit_outstanding, kept_back, paid, accounts) FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyPayments = """
        COPY payments (batch_id, household_id, end_to_end_id, obligation, attempt, kind, contract_id, payee_name, payee_iban, amount, due_date, execution_date, reference,
                       resends_payment_id)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string InsertArrears = """
        INSERT INTO arrears (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, attempt, raised_in_batch_id)
        SELECT *, @BatchId FROM unnest(@HouseholdIds::bigint[], @ContractIds::bigint[], @Kinds::text[], @Names::text[], @Ibans::text[], @Amounts::numeric[],
                                       @DueDates::date[], @References::text[], @Attempts::smallint[])
        ON CONFLICT ON CONSTRAINT uq_arrears_natural DO NOTHING
        """;

    private const string MarkArrearsPaid = """
        UPDATE arrears a SET paid_in_batch_id = @BatchId
          FROM unnest(@ContractIds::bigint[], @DueDates::date[]) AS p(contract_id, due_date)
         WHERE a.contract_id = p.contract_id AND a.due_date = p.due_date AND a.paid_in_batch_id IS NULL
        """;

    private const string InsertIssues = """
        INSERT INTO batch_issues (batch_id, household_id, kind, message)
        SELECT @BatchId, * FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Messages::text[])
        """;

    private const string TakeReceipts = """
        UPDATE receipts SET batch_id = @BatchId
         WHERE batch_id IS NULL AND booked_on IS NOT NULL AND routed AND NOT in_opening AND household_id = ANY(@HouseholdIds)
        """;

    // The receipts of an opening position that the batch reported (after the old system's last run): reported once (rules §20).
    private const string TakeOpeningReceipts = """
        UPDATE receipts r SET batch_id = @BatchId
          FROM unnest(@HouseholdIds::bigint[], @LastRuns::date[]) AS o(household_id, last_run)
         WHERE r.household_id = o.household_id AND r.batch_id IS NULL AND r.in_opening AND r.routed AND r.received_on > o.last_run
        """;

    private const string TakeReturns = """
        UPDATE payments SET return_taken_in_batch_id = @BatchId
         WHERE status = 'returned' AND return_taken_in_batch_id IS NULL AND household_id = ANY(@HouseholdIds)
        """;

    /// <summary>
    /// Use case: prepares <paramref name="month"/> as <paramref name="actor"/>;
    /// <paramref name="outOfOrderReason"/> is the officer's reason for preparing it although a month
    /// before it was never prepared, or more than the policy's days after its preparation day (kept
    /// with the batch; rules §6, issue 22). Refused while the month may not be
    /// prepared now (rules §6, one month at a time). The batch and its audit record commit together.
    /// </summary>
    public async Task<Result<PreparedBatch>> Prepare(Actor actor, YearMonth month, LocalDate preparationDay, string? outOfOrderReason = null, CancellationToken ct = default)
    {
        // Safe to repeat whole: a lost connection before the commit leaves nothing, after it the batch
        // is found. What is due is booked first (a write of its own, with its own record).
        return await TransientRetry.Run(async token =>
        {
            await bookkeeping.Run(actor, preparationDay, token);
            return await door.Run(actor, AuditActions.BatchPrepare, $"month {month:yyyy-MM}", (scope, inner) => PrepareOnce(scope, month, preparationDay, outOfOrderReason, inner), token);
        }, logger, ct);
    }

    /// <summary>
    /// What <see cref="Prepare"/> would do for <paramref name="month"/> on <paramref name="preparationDay"/>
    /// with <paramref name="reason"/>: the same bookkeeping and preparation, in one transaction that
    /// is rolled back, so the figures are the engine's own and nothing is written or recorded.
    /// </summary>
    public async Task<PreparationPreview> Preview(Actor actor, YearMonth month, LocalDate preparationDay, string? reason = null, CancellationToken ct = default)
    {
        var outcome = await door.Run(actor, AuditActions.BatchPrepare, $"month {month:yyyy-MM}", async (scope, token) =>
        {
            scope.NothingChanged = true;
            var (connection, transaction) = (scope.Connection, scope.Transaction);
            var scheduled = MonthOrder.ScheduledDay(month, policy);
            var daysLate = MonthOrder.DaysLate(month, preparationDay, policy);
            await DailyBookkeeping.Book(connection, transaction, preparationDay, scope.Actor.Subject, scope.Now, token);
            await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:batch'))", transaction: transaction, commandTimeout: 0, cancellationToken: token));
            var live = await Live(connection, transaction, token);
            var needsReason = MonthOrder.NeedsReason(month, live, preparationDay, policy);
            var refusal = MonthOrder.Refusal(month, live, reason, preparationDay, policy);
            var empty = new PreparationPreview(month, preparationDay, scheduled, daysLate, needsReason, refusal, null, 0, 0, Money.Zero, 0, 0, Money.Zero, []);
            if (refusal is not null && refusal.Field != "reason")
            {
                return empty;
            }

            // The figures as the preparation makes them; a missing reason stands in as "preview" (the refusal above still says it is missing).
            var prepared = await PrepareOnce(scope, month, preparationDay, string.IsNullOrWhiteSpace(reason) || refusal is not null ? "preview" : reason, token);
            scope.NothingChanged = true;
            if (!prepared.Created)
            {
                return empty with { ExistingBatch = prepared.Id, ReasonRequired = false, Refusal = null };
            }

            var figures = await connection.QuerySingleAsync<(decimal Total, int Late)>(new CommandDefinition("""
                SELECT (SELECT coalesce(sum(amount), 0) FROM payments WHERE batch_id = @Id),
                       (SELECT count(*)::int FROM batch_issues WHERE batch_id = @Id AND kind = 'late_execution')
                """, new { prepared.Id }, transaction, cancellationToken: token));
            var kinds = (await connection.QueryAsync<PreviewIssueCount>(new CommandDefinition(
                "SELECT kind, count(*)::int AS Count FROM batch_issues WHERE batch_id = @Id GROUP BY kind ORDER BY kind", new { prepared.Id }, transaction, cancellationToken: token))).ToList();
            return empty with
            {
                Households = prepared.Households, Payments = prepared.Payments, Total = Money.FromEuros(figures.Total), Exceptions = prepared.Issues,
                LateInstallments = figures.Late, CreditDrawn = prepared.CreditDrawn, ExceptionsByKind = kinds,
            };
        }, ct);
        return outcome.OrThrow();
    }

    private static async Task<List<LiveBatch>> Live(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct) =>
        (await connection.QueryAsync<(LocalDate Month, string Status)>(new CommandDefinition(LiveBatches, transaction: transaction, cancellationToken: ct)))
            .Select(b => new LiveBatch(b.Month.ToYearMonth(), BatchStates.Parse(b.Status) == BatchStatus.Draft)).ToList();

    private async Task<PreparedBatch> PrepareOnce(WriteScope scope, YearMonth month, LocalDate preparationDay, string? outOfOrderReason, CancellationToken ct)
    {
        var monthStart = month.OnDayOfMonth(1);
        var (connection, transaction, preparedBy) = (scope.Connection, scope.Transaction, scope.Actor.Subject);
        // Waiting for another preparation is not a failure: no command timeout on the lock.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:batch'))", transaction: transaction, commandTimeout: 0, cancellationToken: ct));

        var existing = await connection.QuerySingleOrDefaultAsync<ExistingBatch>(new CommandDefinition(FindBatch, new { Month = monthStart }, transaction, cancellationToken: ct));
        if (existing is not null)
        {
            scope.NothingChanged = true;
            return new PreparedBatch(existing.Id, month, false, existing.Households, existing.Payments, existing.Issues, Money.FromEuros(existing.CreditDrawn));
        }

        var live = await Live(connection, transaction, ct);
        if (MonthOrder.Refusal(month, live, outOfOrderReason, preparationDay, policy) is { } refusal)
        {
            throw new RefusedException(refusal);
        }

        var now = scope.Now;
        var reason = MonthOrder.NeedsReason(month, live, preparationDay, policy) ? TextRules.Nfc(outOfOrderReason!.Trim()) : null;
        var batchId = await connection.QuerySingleAsync<long>(new CommandDefinition(InsertBatch,
            new
            {
                Month = monthStart, PreparationDay = preparationDay, PreparedBy = preparedBy, Now = now,
                Reason = reason,
            }, transaction, cancellationToken: ct));
        var state = await BatchState.Load(connection, transaction, month, policy, ct);

        // A chunk of households at a time, so memory stays flat as the municipality grows. The next
        // chunk is loaded and planned on a second connection (this transaction's snapshot) while
        // this one stores the previous chunk.
        var snapshot = await SharedSnapshot.Export(connection, transaction, ct);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        var chunks = Channel.CreateBounded<Chunk>(1);
        var planning = Task.Run(() => PlanChunks(snapshot, month, preparationDay, state, chunks.Writer, stop.Token), CancellationToken.None);
        var (households, payments, issues, drawn) = (0, 0, 0, Money.Zero);
        var digest = new PaymentsDigest.Builder();
        var summary = new BatchComparisonSummary();
        try
        {
            await foreach (var (planned, failed) in chunks.Reader.ReadAllAsync(ct))
            {
                await Store(connection, transaction, batchId, month, planned, failed, preparedBy, now, state, digest, summary, ct);
                households += planned.Count;
                payments += planned.Sum(p => p.Result.Payments.Count);
                issues += planned.Sum(p => p.Result.Issues.Count) + failed.Count;
                drawn += Money.Sum(planned.Select(p => p.Result.Waterfall.Drawn));
            }
        }
        finally
        {
            // When storing failed the planner is stopped; when planning failed, its exception has
            // already come through the channel. Either way the second connection is closed here.
            await stop.CancelAsync();
            await Task.WhenAny(planning);
            _ = planning.Exception;
        }

        // The digest of the payments as written: what the second officer approves and the export checks.
        var written = digest.Digest();
        await summary.Write(connection, transaction, batchId, ct);
        await connection.ExecuteAsync(new CommandDefinition(SetDigest, new { Id = batchId, written.Count, Sum = written.ControlSum.ToDecimal(), written.Sha256 }, transaction, cancellationToken: ct));

        scope.Target = $"batch {batchId}";
        scope.Detail = reason;
        scope.After = new
        {
            Month = $"{month:yyyy-MM}", Status = BatchStatus.Draft.Code(), Households = households, Payments = payments, Exceptions = issues, CreditDrawn = drawn.ToString(),
            ControlSum = written.ControlSum.ToString(), PaymentsSha256 = written.Sha256,
        };
        return new PreparedBatch(batchId, month, true, households, payments, issues, drawn);
    }

    /// <summary>Loads and plans the households chunk by chunk on a connection that sees <paramref name="snapshot"/>.</summary>
    private async Task PlanChunks(string snapshot, YearMonth month, LocalDate preparationDay, BatchState state, ChannelWriter<Chunk> output, CancellationToken ct)
    {
        try
        {
            await using var reading = await SharedSnapshot.Import(dataSource, snapshot, ct);
            var ids = (await reading.Connection.QueryAsync<long>(new CommandDefinition("SELECT id FROM households ORDER BY id", transaction: reading.Transaction, cancellationToken: ct))).ToList();
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                var planned = new List<Planned>();
                var failed = new List<NotPrepared>();
                foreach (var household in await HouseholdStore.Load(reading.Connection, reading.Transaction, new HouseholdRange(chunk[0], chunk[^1]), ct))
                {
                    // A month its opening position covers was done outside the engine (rules §20).
                    if (state.DoneOutside(household.Id, month))
                    {
                        continue;
                    }

                    if (!SaneDates.Contains(household.BijstandStart))
                    {
                        failed.Add(new NotPrepared(household.Id, $"{household.Reference} was left out of this batch: its bijstand start {household.BijstandStart:yyyy-MM-dd} lies outside {SaneDates.Description}; correct it"));
                        continue;
                    }

                    HouseholdMonthResult result;
                    try
                    {
                        var context = new HouseholdMonthContext(household.Profile, household.BijstandStart, household.Decisions, household.Contracts, household.BijstandRates,
                            state.Balance(household.Id), [.. state.Arrears[household.Id]], state.CreditOutstanding(household.Id), month, preparationDay,
                            [.. state.PastBijstand[household.Id]], state.PreviousPreparationDay, [.. state.ReturnedLeefgeld[household.Id]], [.. state.RefusedAccounts[household.Id]]);
                        result = HouseholdMonth.Plan(context, policy);
                    }
                    catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
                    {
                        // Data the intake should have refused (from before it did): this household is
                        // left out, with its balance untouched, and the officer sees why.
                        failed.Add(new NotPrepared(household.Id, $"{household.Reference} was left out of this batch: its data cannot be carried through the waterfall ({e.GetType().Name}: {e.Message}); correct it and prepare the household by hand or in the next batch"));
                        continue;
                    }

                    if (result.InBatch)
                    {
                        planned.Add(new Planned(household, result, state.ReportedReceipts(household.Id)));
                    }
                }

                await output.WriteAsync(new Chunk(planned, failed), ct);
            }

            output.Complete();
        }
        catch (Exception e)
        {
            output.Complete(e);
            throw;
        }
    }

    private static async Task Store(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId, YearMonth month,
        List<Planned> planned, List<NotPrepared> failed, string user, Instant now, BatchState state, PaymentsDigest.Builder digest, BatchComparisonSummary summary, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: ct);
        static decimal[] Amounts<T>(IEnumerable<T> items, Func<T, Money> pick) => items.Select(i => pick(i).ToDecimal()).ToArray();

        await BinaryCopy.Write(connection, CopyHouseholds, planned, (row, p) =>
        {
            var w = p.Result.Waterfall;
            row.Write(batchId, NpgsqlDbType.Bigint);
            row.Write(p.Household.Id, NpgsqlDbType.Bigint);
            row.Write(p.Result.Period.Start, NpgsqlDbType.Date);
            row.Write(p.Result.Period.End, NpgsqlDbType.Date);
            foreach (var amount in new[] { state.Balance(p.Household.Id), p.Receipts, p.Result.Bijstand, p.Result.MinimumLeefgeld, w.Drawn, w.InstallmentsPaid, w.ArrearsOpen,
                         p.Result.LeefgeldPaid, w.Repaid, w.CreditOutstandingAfter, w.KeptBack })
            {
                row.Write(amount.ToDecimal(), NpgsqlDbType.Numeric);
            }

            var (paid, accounts) = BatchComparisonSummary.Household(p.Result.Payments);
            row.Write(paid.ToDecimal(), NpgsqlDbType.Numeric);
            row.Write(accounts, NpgsqlDbType.Array | NpgsqlDbType.Text);
            summary.Add(p.Household.Id, p.Result.Payments);
        }, ct);

        var payments = planned.SelectMany(p => p.Result.Payments.Select(payment => (p.Household.Id, Payment: payment, payment.Key.EndToEndId))).ToList();
        var duplicate = payments.GroupBy(p => p.EndToEndId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two payments of batch {month:yyyy-MM} share the key {duplicate.Key}: {string.Join("; ", duplicate.Select(d => $"{d.Payment.KindCode} {d.Payment.Amount} on {d.Payment.ExecutionDate:yyyy-MM-dd}"))}");
        }

        foreach (var (_, payment, endToEndId) in payments)
        {
            digest.Add(new PaidFacts(payment.PayeeName, payment.PayeeIban.Value, payment.Amount, payment.ExecutionDate, payment.Reference?.Value, endToEndId, payment.KindCode));
        }

        await BinaryCopy.Write(connection, CopyPayments, payments, (row, p) =>
        {
            row.Write(batchId, NpgsqlDbType.Bigint);
            row.Write(p.Id, NpgsqlDbType.Bigint);
            row.Write(p.EndToEndId, NpgsqlDbType.Text);
            row.Write(p.Payment.Key.Obligation, NpgsqlDbType.Text);
            row.Write((short)p.Payment.Key.Attempt, NpgsqlDbType.Smallint);
            row.Write(p.Payment.KindCode, NpgsqlDbType.Text);
            row.WriteNullable(p.Payment.ContractId, NpgsqlDbType.Bigint);
            row.Write(p.Payment.PayeeName, NpgsqlDbType.Text);
            row.Write(p.Payment.PayeeIban.Value, NpgsqlDbType.Text);
            row.Write(p.Payment.Amount.ToDecimal(), NpgsqlDbType.Numeric);
            row.WriteNullable(p.Payment.DueDate, NpgsqlDbType.Date);
            row.Write(p.Payment.ExecutionDate, NpgsqlDbType.Date);
            row.WriteNullable(p.Payment.Reference?.Value, NpgsqlDbType.Text);
            row.WriteNullable(p.Payment.Resends, NpgsqlDbType.Bigint);
        }, ct);

        var arrears = planned.SelectMany(p => p.Result.Waterfall.Arrears.Select(a => (p.Household.Id, Arrear: a))).ToList();
        await connection.ExecuteAsync(Command(InsertArrears, new
        {
            BatchId = batchId,
            HouseholdIds = arrears.Select(a => a.Id).ToArray(),
            ContractIds = arrears.Select(a => a.Arrear.ContractId).ToArray(),
            Kinds = arrears.Select(a => a.Arrear.Kind.Code()).ToArray(),
            Names = arrears.Select(a => a.Arrear.CreditorName).ToArray(),
            Ibans = arrears.Select(a => a.Arrear.CreditorIban.Value).ToArray(),
            Amounts = Amounts(arrears, a => a.Arrear.Amount),
            DueDates = arrears.Select(a => a.Arrear.DueDate).ToArray(),
            References = arrears.Select(a => a.Arrear.Reference?.Value).ToArray(),
            Attempts = arrears.Select(a => (short)a.Arrear.Attempt).ToArray(),
        }));

        // Only a carried arrear can be in the arrears table; this month's installments never are.
        var paid = planned.SelectMany(p => p.Result.Waterfall.Paid.Where(i => state.Arrears[p.Household.Id].Contains(i))).ToList();
        await connection.ExecuteAsync(Command(MarkArrearsPaid, new
        {
            BatchId = batchId,
            ContractIds = paid.Select(i => i.ContractId).ToArray(),
            DueDates = paid.Select(i => i.DueDate).ToArray(),
        }));

        // The waterfall's exceptions and the households left out, in one statement.
        var issues = planned.SelectMany(p => p.Result.Issues.Select(i => (p.Household.Id, Kind: IssueCode(i.Kind), i.Message)))
            .Concat(failed.Select(f => (Id: f.HouseholdId, Kind: NotPreparedIssue, f.Message))).ToList();
        await connection.ExecuteAsync(Command(InsertIssues, new
        {
            BatchId = batchId,
            HouseholdIds = issues.Select(i => i.Id).ToArray(),
            Kinds = issues.Select(i => i.Kind).ToArray(),
            Messages = issues.Select(i => i.Message).ToArray(),
        }));

        var inBatch = new { BatchId = batchId, HouseholdIds = planned.Select(p => p.Household.Id).ToArray() };
        await connection.ExecuteAsync(Command(TakeReceipts, inBatch));
        var opened = planned.Where(p => state.OpeningLastRun.ContainsKey(p.Household.Id)).Select(p => p.Household.Id).ToArray();
        await connection.ExecuteAsync(Command(TakeOpeningReceipts, new { BatchId = batchId, HouseholdIds = opened, LastRuns = opened.Select(id => state.OpeningLastRun[id]).ToArray() }));
        await connection.ExecuteAsync(Command(TakeReturns, inBatch));
        await BulkLedgerWriter.PostMany(connection, transaction, LedgerPostings(batchId, month, planned, user, now), ct);
    }

    /// <summary>What the batch itself books, dated the 1st of M: one entry per household for bijstand, credit drawn and credit repaid.</summary>
    private static List<(JournalEntry, Posting)> LedgerPostings(long batchId, YearMonth month, List<Planned> planned, string user, Instant now)
    {
        var date = HouseholdMonth.EntryDate(month);
        var postings = new List<(JournalEntry, Posting)>();
        foreach (var (household, result, _) in planned)
        {
            if (Postings.BatchBooked(household.Reference, month, date, result.Bijstand, result.Waterfall.Drawn, result.Waterfall.Repaid) is { } entry)
            {
                postings.Add((entry, new Posting($"batch:{batchId}:{household.Reference}", user, now, household.Id, batchId)));
            }
        }

        return postings;
    }

    public static string IssueCode(BatchIssueKind kind) => kind switch
    {
        BatchIssueKind.Arrear => "arrear",
        BatchIssueKind.ShortfallBeyondCap => "shortfall_beyond_cap",
        BatchIssueKind.LeefgeldBelowMinimum => "leefgeld_below_minimum",
        BatchIssueKind.LateExecution => "late_execution",
        BatchIssueKind.InvalidCreditorAccount => "invalid_creditor_account",
        BatchIssueKind.OverpaidAfterDecision => "overpaid_after_decision",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>A household of the batch with its waterfall and the receipts it took in.</summary>
    private sealed record Planned(HouseholdData Household, HouseholdMonthResult Result, Money Receipts);

    /// <summary>A household left out of the batch, and why.</summary>
    private sealed record NotPrepared(long HouseholdId, string Message);

    /// <summary>What the planner hands the store at a time.</summary>
    private sealed record Chunk(List<Planned> Planned, List<NotPrepared> Failed);

    /// <summary>The exception kind of a household left out (migration 0016).</summary>
    public const string NotPreparedIssue = "household_not_prepared";

    private sealed class ExistingBatch
    {
        public long Id { get; set; }

        public int Households { get; set; }

        public int Payments { get; set; }

        public int Issues { get; set; }

        public decimal CreditDrawn { get; set; }
    }
}
