using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Ledger;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>The outcome of preparing a month: the batch, and whether this call created it.</summary>
public sealed record PreparedBatch(long Id, YearMonth Month, bool Created, int Households, int Payments, int Issues, Money CreditDrawn);

/// <summary>
/// Prepares the batch for a month: the waterfall (Domain) for every household in it, stored with
/// its payments, arrears, exceptions and ledger entries in one transaction. Preparing a month again
/// returns the existing batch; an advisory lock and the unique month make two concurrent
/// preparations produce one batch.
/// </summary>
public sealed class BatchPreparer(NpgsqlDataSource dataSource, IClock clock, Policy policy)
{
    private const string FindBatch = """
        SELECT b.id, (SELECT count(*) FROM batch_households bh WHERE bh.batch_id = b.id)::int AS Households,
               (SELECT count(*) FROM payments p WHERE p.batch_id = b.id)::int AS Payments,
               (SELECT count(*) FROM batch_issues i WHERE i.batch_id = b.id)::int AS Issues,
               (SELECT coalesce(sum(credit_drawn), 0) FROM batch_households bh WHERE bh.batch_id = b.id) AS CreditDrawn
          FROM batches b WHERE b.month = @Month AND b.status NOT IN ('rejected', 'cancelled')
        """;

    private const string InsertBatch = """
        INSERT INTO batches (month, preparation_day, prepared_by, prepared_at) VALUES (@Month, @PreparationDay, @PreparedBy, @Now) RETURNING id
        """;

    private const string InsertHouseholds = """
        INSERT INTO batch_households (batch_id, household_id, period_start, period_end, balance_before, receipts, bijstand, minimum_leefgeld, credit_drawn,
                                      installments_paid, arrears_open, leefgeld, credit_repaid, credit_outstanding, kept_back)
        SELECT @BatchId, * FROM unnest(@HouseholdIds::bigint[], @Starts::date[], @Ends::date[], @Balances::numeric[], @Receipts::numeric[], @Bijstand::numeric[],
                                       @Minimums::numeric[], @Drawn::numeric[], @Paid::numeric[], @Arrears::numeric[], @Leefgeld::numeric[], @Repaid::numeric[],
                                       @Outstanding::numeric[], @KeptBack::numeric[])
        """;

    private const string InsertPayments = """
        INSERT INTO payments (batch_id, household_id, end_to_end_id, obligation, attempt, kind, contract_id, payee_name, payee_iban, amount, due_date, execution_date, reference)
        SELECT @BatchId, * FROM unnest(@HouseholdIds::bigint[], @EndToEndIds::text[], @Obligations::text[], @Attempts::smallint[], @Kinds::text[], @ContractIds::bigint[],
                                       @Names::text[], @Ibans::text[], @Amounts::numeric[], @DueDates::date[], @ExecutionDates::date[], @References::text[])
        """;

    private const string InsertArrears = """
        INSERT INTO arrears (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, raised_in_batch_id)
        SELECT *, @BatchId FROM unnest(@HouseholdIds::bigint[], @ContractIds::bigint[], @Kinds::text[], @Names::text[], @Ibans::text[], @Amounts::numeric[],
                                       @DueDates::date[], @References::text[])
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
         WHERE batch_id IS NULL AND booked_on IS NOT NULL AND routed AND household_id = ANY(@HouseholdIds)
        """;

    public async Task<PreparedBatch> Prepare(YearMonth month, LocalDate preparationDay, string preparedBy, CancellationToken ct = default)
    {
        var monthStart = month.OnDayOfMonth(1);
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:batch'), @Key)",
            new { Key = month.Year * 100 + month.Month }, transaction, cancellationToken: ct));

        var existing = await connection.QuerySingleOrDefaultAsync<ExistingBatch>(new CommandDefinition(FindBatch, new { Month = monthStart }, transaction, cancellationToken: ct));
        if (existing is not null)
        {
            return new PreparedBatch(existing.Id, month, false, existing.Households, existing.Payments, existing.Issues, Money.FromEuros(existing.CreditDrawn));
        }

        var households = await HouseholdStore.Load(connection, transaction, [], ct);
        var state = await BatchState.Load(connection, transaction, ct);
        var planned = new List<(HouseholdData Household, HouseholdMonthResult Result, Money Receipts)>();
        foreach (var household in households)
        {
            var context = new HouseholdMonthContext(household.Profile, household.BijstandStart, household.Decisions, household.Contracts, household.BijstandRates,
                state.Balance(household.Id), [.. state.Arrears[household.Id]], state.CreditOutstanding(household.Id), month, preparationDay);
            var result = HouseholdMonth.Plan(context, policy);
            if (result.InBatch)
            {
                planned.Add((household, result, state.Receipts(household.Id)));
            }
        }

        var now = clock.GetCurrentInstant();
        var batchId = await connection.QuerySingleAsync<long>(new CommandDefinition(InsertBatch,
            new { Month = monthStart, PreparationDay = preparationDay, PreparedBy = preparedBy, Now = now }, transaction, cancellationToken: ct));
        await Store(connection, transaction, batchId, month, planned, preparedBy, now, state, ct);
        await transaction.CommitAsync(ct);

        return new PreparedBatch(batchId, month, true, planned.Count, planned.Sum(p => p.Result.Payments.Count), planned.Sum(p => p.Result.Issues.Count),
            Money.Sum(planned.Select(p => p.Result.Waterfall.Drawn)));
    }

    private static async Task Store(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId, YearMonth month,
        List<(HouseholdData Household, HouseholdMonthResult Result, Money Receipts)> planned, string user, Instant now, BatchState state, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: ct);
        static decimal[] Amounts<T>(IEnumerable<T> items, Func<T, Money> pick) => items.Select(i => pick(i).ToDecimal()).ToArray();

        await connection.ExecuteAsync(Command(InsertHouseholds, new
        {
            BatchId = batchId,
            HouseholdIds = planned.Select(p => p.Household.Id).ToArray(),
            Starts = planned.Select(p => p.Result.Period.Start).ToArray(),
            Ends = planned.Select(p => p.Result.Period.End).ToArray(),
            Balances = Amounts(planned, p => state.Balance(p.Household.Id)),
            Receipts = Amounts(planned, p => p.Receipts),
            Bijstand = Amounts(planned, p => p.Result.Bijstand),
            Minimums = Amounts(planned, p => p.Result.MinimumLeefgeld),
            Drawn = Amounts(planned, p => p.Result.Waterfall.Drawn),
            Paid = Amounts(planned, p => p.Result.Waterfall.InstallmentsPaid),
            Arrears = Amounts(planned, p => p.Result.Waterfall.ArrearsOpen),
            Leefgeld = Amounts(planned, p => p.Result.Waterfall.Leefgeld),
            Repaid = Amounts(planned, p => p.Result.Waterfall.Repaid),
            Outstanding = Amounts(planned, p => p.Result.Waterfall.CreditOutstandingAfter),
            KeptBack = Amounts(planned, p => p.Result.Waterfall.KeptBack),
        }));

        var payments = planned.SelectMany(p => p.Result.Payments.Select(payment => (p.Household.Id, Payment: payment))).ToList();
        var duplicate = payments.GroupBy(p => p.Payment.Key.EndToEndId).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new InvalidOperationException($"Two payments of batch {month:yyyy-MM} share the key {duplicate.Key}: {string.Join("; ", duplicate.Select(d => $"{d.Payment.KindCode} {d.Payment.Amount} on {d.Payment.ExecutionDate:yyyy-MM-dd}"))}");
        }
        await connection.ExecuteAsync(Command(InsertPayments, new
        {
            BatchId = batchId,
            HouseholdIds = payments.Select(p => p.Id).ToArray(),
            EndToEndIds = payments.Select(p => p.Payment.Key.EndToEndId).ToArray(),
            Obligations = payments.Select(p => p.Payment.Key.Obligation).ToArray(),
            Attempts = payments.Select(p => (short)p.Payment.Key.Attempt).ToArray(),
            Kinds = payments.Select(p => p.Payment.KindCode).ToArray(),
            ContractIds = payments.Select(p => p.Payment.ContractId).ToArray(),
            Names = payments.Select(p => p.Payment.PayeeName).ToArray(),
            Ibans = payments.Select(p => p.Payment.PayeeIban.Value).ToArray(),
            Amounts = Amounts(payments, p => p.Payment.Amount),
            DueDates = payments.Select(p => p.Payment.DueDate).ToArray(),
            ExecutionDates = payments.Select(p => p.Payment.ExecutionDate).ToArray(),
            References = payments.Select(p => p.Payment.Reference?.Value).ToArray(),
        }));

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
        }));

        var paid = planned.SelectMany(p => p.Result.Waterfall.Paid).ToList();
        await connection.ExecuteAsync(Command(MarkArrearsPaid, new
        {
            BatchId = batchId,
            ContractIds = paid.Select(i => i.ContractId).ToArray(),
            DueDates = paid.Select(i => i.DueDate).ToArray(),
        }));

        var issues = planned.SelectMany(p => p.Result.Issues.Select(i => (p.Household.Id, Issue: i))).ToList();
        await connection.ExecuteAsync(Command(InsertIssues, new
        {
            BatchId = batchId,
            HouseholdIds = issues.Select(i => i.Id).ToArray(),
            Kinds = issues.Select(i => IssueCode(i.Issue.Kind)).ToArray(),
            Messages = issues.Select(i => i.Issue.Message).ToArray(),
        }));

        await connection.ExecuteAsync(Command(TakeReceipts, new { BatchId = batchId, HouseholdIds = planned.Select(p => p.Household.Id).ToArray() }));
        await BulkLedgerWriter.PostMany(connection, transaction, LedgerPostings(batchId, month, planned, user, now), ct);
    }

    /// <summary>What the batch itself books, dated the 1st of M: bijstand, credit drawn, credit repaid.</summary>
    private static List<(JournalEntry, Posting)> LedgerPostings(long batchId, YearMonth month, List<(HouseholdData Household, HouseholdMonthResult Result, Money Receipts)> planned, string user, Instant now)
    {
        var date = HouseholdMonth.EntryDate(month);
        var postings = new List<(JournalEntry, Posting)>();
        foreach (var (household, result, _) in planned)
        {
            Posting Key(string kind) => new($"batch:{batchId}:{kind}:{household.Reference}", user, now, household.Id, batchId);
            if (result.Bijstand.IsPositive)
            {
                postings.Add((Postings.BijstandBooked(household.Reference, date, result.Bijstand), Key("bijstand")));
            }

            if (result.Waterfall.Drawn.IsPositive)
            {
                postings.Add((Postings.CreditDrawn(household.Reference, date, result.Waterfall.Drawn), Key("draw")));
            }

            if (result.Waterfall.Repaid.IsPositive)
            {
                postings.Add((Postings.CreditRepaid(household.Reference, date, result.Waterfall.Repaid), Key("repay")));
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
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    private sealed class ExistingBatch
    {
        public long Id { get; set; }

        public int Households { get; set; }

        public int Payments { get; set; }

        public int Issues { get; set; }

        public decimal CreditDrawn { get; set; }
    }
}
