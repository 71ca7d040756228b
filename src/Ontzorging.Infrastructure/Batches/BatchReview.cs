using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>Which batches the list shows: a status (its code) and a range of months, one page at a time.</summary>
public sealed record BatchFilter(BatchStatus? Status = null, YearMonth? From = null, YearMonth? Through = null, int Page = 1, int PageSize = 12);

/// <summary>A batch as the list shows it, with the display names of who prepared and approved it.</summary>
public sealed record BatchListRow(long Id, LocalDate Month, string Status, int Households, int Payments, decimal Total, int Exceptions, decimal CreditDrawn,
    string PreparedBy, string PreparedByName, string? ApprovedBy, string? ApprovedByName);

/// <summary>One page of batches, and how many match the filter.</summary>
public sealed record BatchPage(IReadOnlyList<BatchListRow> Rows, int Matching, int Page, int PageSize)
{
    public int Pages => Math.Max(1, (Matching + PageSize - 1) / PageSize);
}

/// <summary>The scheduled preparation: its last run (when, and whether it succeeded) and its next firing (from Quartz's own table, else the policy's day).</summary>
public sealed record PreparationSchedule(Instant? LastStarted, Instant? LastFinished, string? LastOutcome, string? LastError, Instant? NextRun, bool NextFromScheduler);

/// <summary>An exception of a batch as the approver's worklist shows it, with its acknowledgement.</summary>
public sealed record ExceptionItem(long Id, string Household, string Kind, string Message, string? AcknowledgedBy, Instant? AcknowledgedAt);

/// <summary>Money the batch needs: the credit funding the municipality transfers, the bijstand it books, what it pays, and the managed account's balance now and expected after it.</summary>
public sealed record BatchFunding(Money CreditDrawn, Money Bijstand, Money Payments, Money AccountBalance, Money ExpectedBalance);

/// <summary>A kind's total in this batch and the previous one.</summary>
public sealed record KindChange(string Kind, int Payments, Money Total, int PreviousPayments, Money PreviousTotal);

/// <summary>A household whose batch total moved by more than the policy's percentage.</summary>
public sealed record HouseholdChange(string Household, Money Previous, Money Current);

/// <summary>
/// A payee account that changed since the previous batch: for a household and kind (the creditor of
/// its rent, its own account for leefgeld), or for a creditor by name (<see cref="Household"/> null).
/// </summary>
public sealed record IbanChange(string? Household, string Kind, string Payee, string PreviousIban, string Iban, int Households);

/// <summary>An account paid by this batch that no earlier batch ever paid.</summary>
public sealed record NewCreditor(string Payee, string Iban, int Households, Money Total);

/// <summary>What changed since the previous month's batch (none when there is none).</summary>
public sealed record BatchComparison(long PreviousBatch, LocalDate PreviousMonth, IReadOnlyList<IbanChange> IbanChanges, IReadOnlyList<NewCreditor> NewCreditors,
    int HouseholdsAdded, int HouseholdsGone, IReadOnlyList<string> Added, IReadOnlyList<string> Gone, IReadOnlyList<KindChange> Kinds,
    int HouseholdsChanged, IReadOnlyList<HouseholdChange> Changed, decimal Percent);

/// <summary>The payments of a kind, or of an execution date.</summary>
public sealed record KindTotal(string Kind, int Payments, Money Amount);

/// <summary>The payments executed on a date.</summary>
public sealed record DateTotal(LocalDate Date, int Payments, Money Amount);

/// <summary>The exceptions of a kind: how many, and how many still wait for their acknowledgement.</summary>
public sealed record ExceptionKind(string Kind, int Count, int Open);

/// <summary>
/// What the approver reads before signing (issue 22): totals, funding, the exceptions as a worklist
/// (counted per kind; <see cref="Exceptions"/> is one page of them, those waiting first), and the
/// comparison with last month.
/// </summary>
public sealed record BatchReviewView(BatchListRow Batch, IReadOnlyList<KindTotal> ByKind, IReadOnlyList<DateTotal> ByDate, BatchFunding Funding,
    IReadOnlyList<ExceptionKind> ExceptionKinds, IReadOnlyList<ExceptionItem> Exceptions, int ExceptionPage, BatchComparison? Comparison, string? Reason, string? RejectionReason)
{
    public const int ExceptionsPerPage = 50;

    public int Unacknowledged => ExceptionKinds.Sum(k => k.Open);

    public int ExceptionCount => ExceptionKinds.Sum(k => k.Count);

    public int ExceptionPages => Math.Max(1, (ExceptionCount + ExceptionsPerPage - 1) / ExceptionsPerPage);
}

/// <summary>
/// The finance officer's reads of batches for the site (issue 22): a filtered page of batches, the
/// scheduled preparation, and one batch's review. Each is set-based SQL: the list takes its counts
/// from the batch's own digest where it has one, and the totals and the comparison from the summaries its preparation kept.
/// </summary>
public sealed class BatchReview(NpgsqlDataSource dataSource, Policy policy, IClock clock)
{
    /// <summary>How many names a list of the comparison shows; the counts are always whole.</summary>
    public const int ListLimit = 100;

    private const string RowSql = """
        SELECT b.id, b.month, b.status,
               h.households AS Households,
               coalesce(b.payment_count, (SELECT coalesce(sum(t.payments), 0) FROM batch_totals t WHERE t.batch_id = b.id)::int) AS Payments,
               coalesce(b.control_sum, (SELECT coalesce(sum(t.amount), 0) FROM batch_totals t WHERE t.batch_id = b.id)) AS Total,
               (SELECT count(*) FROM batch_issues i WHERE i.batch_id = b.id)::int AS Exceptions,
               h.credit_drawn AS CreditDrawn,
               b.prepared_by AS PreparedBy, coalesce(pp.display_name, b.prepared_by) AS PreparedByName,
               b.approved_by AS ApprovedBy, coalesce(pa.display_name, b.approved_by) AS ApprovedByName
          FROM batches b
          -- The batch's households counted and summed in one pass.
          CROSS JOIN LATERAL (SELECT count(*)::int AS households, coalesce(sum(bh.credit_drawn), 0) AS credit_drawn
                                FROM batch_households bh WHERE bh.batch_id = b.id) h
          LEFT JOIN people pp ON pp.subject = b.prepared_by
          LEFT JOIN people pa ON pa.subject = b.approved_by
        """;

    // The page's batches are chosen first (batches is small: one row a month), then each is counted.
    private const string PageSql = """
        WITH chosen AS (
            SELECT id FROM batches
             WHERE (@Status::text IS NULL OR status = @Status) AND (@From::date IS NULL OR month >= @From) AND (@Through::date IS NULL OR month <= @Through)
             ORDER BY month DESC, id DESC LIMIT @Limit OFFSET @Offset)
        """ + RowSql + """
         WHERE b.id IN (SELECT id FROM chosen) ORDER BY b.month DESC, b.id DESC
        """;

    private const string CountSql = """
        SELECT count(*)::int FROM batches
         WHERE (@Status::text IS NULL OR status = @Status) AND (@From::date IS NULL OR month >= @From) AND (@Through::date IS NULL OR month <= @Through)
        """;

    private const string LastRunSql = """
        SELECT started_at AS LastStarted, finished_at AS LastFinished, outcome AS LastOutcome, error AS LastError
          FROM job_runs WHERE job_name = @Job ORDER BY started_at DESC LIMIT 1
        """;

    // Quartz keeps its next firing as .NET ticks (UTC) in its own table, in the same database.
    private const string NextFireSql = """
        SELECT min(next_fire_time) FROM qrtz_triggers WHERE job_name = @Name AND job_group = @Group AND next_fire_time > 0
        """;

    // One page of the exceptions, those waiting first; the households are looked up for that page only.
    private const string ExceptionsSql = """
        WITH page AS (
            SELECT i.id, i.household_id, i.kind, i.message, a.acknowledged_by, a.acknowledged_at
              FROM batch_issues i LEFT JOIN batch_issue_acknowledgements a ON a.issue_id = i.id AND a.batch_id = @Id
             WHERE i.batch_id = @Id ORDER BY (a.issue_id IS NOT NULL), i.id LIMIT @Limit OFFSET @Offset)
        SELECT page.id, h.reference AS Household, page.kind, page.message, coalesce(p.display_name, page.acknowledged_by) AS AcknowledgedBy, page.acknowledged_at AS AcknowledgedAt
          FROM page JOIN households h ON h.id = page.household_id LEFT JOIN people p ON p.subject = page.acknowledged_by
         ORDER BY (page.acknowledged_by IS NOT NULL), page.id
        """;

    private const string ExceptionKindsSql = """
        SELECT i.kind, count(*)::int AS Count, count(*) FILTER (WHERE a.issue_id IS NULL)::int AS Open
          FROM batch_issues i LEFT JOIN batch_issue_acknowledgements a ON a.issue_id = i.id AND a.batch_id = @Id
         WHERE i.batch_id = @Id GROUP BY i.kind ORDER BY i.kind
        """;

    private const string FundingSql = """
        SELECT (SELECT coalesce(sum(bijstand), 0) FROM batch_households WHERE batch_id = @Id) AS Bijstand,
               (SELECT coalesce(sum(amount), 0) FROM batch_totals WHERE batch_id = @Id) AS Payments,
               (SELECT coalesce(sum(balance), 0) FROM ledger_accounts WHERE code = 'bank') AS Balance,
               b.rejection_reason AS RejectionReason, b.out_of_order_reason AS Reason
          FROM batches b WHERE b.id = @Id
        """;

    // Per kind and per execution date, from the totals the preparation kept (migration 0026).
    private const string TotalsSql = """
        SELECT kind, execution_date AS ExecutionDate, sum(payments)::int AS Payments, sum(amount) AS Amount
          FROM batch_totals WHERE batch_id = @Id
         GROUP BY GROUPING SETS ((kind), (execution_date))
        """;

    private const string PreviousSql = "SELECT id, month FROM live_batches WHERE month < @Month ORDER BY month DESC LIMIT 1";

    // The comparison in one statement, from what each preparation kept (migration 0026): both months'
    // households are paired once with their sums and the accounts they pay, and only an account new
    // since last month is looked up further. Every section is a set of rows tagged with its name.
    private const string ComparisonSql = """
        WITH              -- Both months' households side by side, once: membership, totals, and whether this month
             -- pays an account ("kind iban") that last month did not (kept narrow: 100,000 rows).
             pair AS MATERIALIZED (
                 SELECT coalesce(c.household_id, p.household_id) AS household_id, c.paid AS current, p.paid AS previous,
                        c.household_id IS NOT NULL AS in_cur, p.household_id IS NOT NULL AS in_prev,
                        c.household_id IS NOT NULL AND NOT (c.accounts <@ coalesce(p.accounts, '{}')) AS pays_new
                   FROM (SELECT household_id, paid, accounts FROM batch_households WHERE batch_id = @Id) c
                   FULL JOIN (SELECT household_id, paid, accounts FROM batch_households WHERE batch_id = @Prev) p ON p.household_id = c.household_id),
             -- Those pairs, for the households that have one (each looked up by its key); a household
             -- whose pairs are all among last month's changed no account and is not looked at further.
             new_accounts AS MATERIALIZED (
                 SELECT d.household_id, x.prev_accounts, split_part(a, ' ', 1) AS kind, split_part(a, ' ', 2) AS iban
                   FROM pair d
                  CROSS JOIN LATERAL (
                      SELECT c.accounts, (SELECT p.accounts FROM batch_households p WHERE p.batch_id = @Prev AND p.household_id = d.household_id) AS prev_accounts
                        FROM batch_households c WHERE c.batch_id = @Id AND c.household_id = d.household_id) x
                  CROSS JOIN LATERAL unnest(x.accounts) a
                  WHERE d.pays_new AND NOT (a = ANY (coalesce(x.prev_accounts, '{}')))),
             -- Each is compared with the accounts of its kind in the last batch before this month that
             -- paid the household that kind: last month's, or an earlier one for a month without rent
             -- or a period resumed. A kind never paid before is no change.
             compared AS (
                 SELECT n.household_id, n.kind, n.iban, coalesce(
                     (SELECT array_agg(split_part(x, ' ', 2) ORDER BY x) FROM unnest(n.prev_accounts) x WHERE split_part(x, ' ', 1) = n.kind),
                     (SELECT array_agg(split_part(x, ' ', 2) ORDER BY x)
                        FROM (SELECT bh.accounts FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id
                               WHERE bh.household_id = n.household_id AND b.month < @Month
                                 AND EXISTS (SELECT FROM unnest(bh.accounts) y WHERE split_part(y, ' ', 1) = n.kind)
                               ORDER BY b.month DESC LIMIT 1) l
                        CROSS JOIN LATERAL unnest(l.accounts) x WHERE split_part(x, ' ', 1) = n.kind)) AS previous
                   FROM new_accounts n),
             household_iban AS (
                 SELECT h.reference AS household, c.kind, e.payee_name AS payee, array_to_string(c.previous, ' ') AS previous_iban, c.iban, 1 AS n
                   FROM compared c JOIN households h ON h.id = c.household_id
                   CROSS JOIN LATERAL (SELECT DISTINCT e.payee_name FROM payments e
                                        WHERE e.household_id = c.household_id AND e.batch_id = @Id AND e.kind = c.kind AND e.payee_iban = c.iban) e
                  WHERE c.previous IS NOT NULL AND NOT (c.iban = ANY (c.previous))),
             -- Creditors by name and account, from the batches' summaries (leefgeld is not in them).
             cur_names AS (SELECT lower(payee_name) AS name, min(payee_name) AS payee, min(kind COLLATE "C") AS kind, payee_iban, sum(households)::int AS n
                             FROM batch_payees WHERE batch_id = @Id GROUP BY lower(payee_name), payee_iban),
             prev_names AS (SELECT DISTINCT lower(payee_name) AS name, payee_iban FROM batch_payees WHERE batch_id = @Prev),
             creditor_iban AS (
                 SELECT NULL::text AS household, c.kind, c.payee, string_agg(p.payee_iban, ' ' ORDER BY p.payee_iban) AS previous_iban, c.payee_iban AS iban, c.n
                   FROM cur_names c JOIN prev_names p ON p.name = c.name
                  WHERE NOT EXISTS (SELECT 1 FROM prev_names q WHERE q.name = c.name AND q.payee_iban = c.payee_iban)
                  GROUP BY c.kind, c.payee, c.payee_iban, c.n),
             cur_creditors AS (
                 SELECT min(payee_name) AS payee, payee_iban AS iban, sum(households)::int AS n, sum(amount) AS amount
                   FROM batch_payees WHERE batch_id = @Id GROUP BY payee_iban),
             -- Each account of this batch is looked up once in the summaries of the batches before it.
             new_creditors AS (
                 SELECT payee, iban, n, amount FROM cur_creditors g
                  WHERE NOT EXISTS (SELECT 1 FROM batch_payees e JOIN live_batches b ON b.id = e.batch_id WHERE e.payee_iban = g.iban AND b.month < @Month)),
             membership_named AS (
                 SELECT m.section, h.reference, count(*) OVER (PARTITION BY m.section)::int AS n, row_number() OVER (PARTITION BY m.section ORDER BY h.reference) AS r
                   FROM (SELECT CASE WHEN in_cur THEN 'added' ELSE 'gone' END AS section, household_id FROM pair WHERE in_cur <> in_prev) m
                   JOIN households h ON h.id = m.household_id),
             -- The households that moved, ranked by how much. Only those ranked within the limit (ties
             -- at the limit included) get their reference read; the first of them by amount, then by
             -- reference, are named, as before.
             moved_all AS (
                 SELECT household_id, previous, current, count(*) OVER ()::int AS n, rank() OVER (ORDER BY abs(current - previous) DESC) AS rk
                   FROM pair WHERE in_cur AND in_prev AND abs(current - previous) > previous * @Percent / 100),
             moved AS (
                 SELECT h.reference, m.previous, m.current, m.n, row_number() OVER (ORDER BY abs(m.current - m.previous) DESC, h.reference) AS r
                   FROM moved_all m JOIN households h ON h.id = m.household_id WHERE m.rk <= @Limit),
             kinds AS (
                 SELECT coalesce(c.kind, p.kind) AS kind, coalesce(c.n, 0) AS n, coalesce(c.amount, 0) AS amount, coalesce(p.n, 0) AS previous_n, coalesce(p.amount, 0) AS previous
                   FROM (SELECT kind, sum(payments)::int AS n, sum(amount) AS amount FROM batch_totals WHERE batch_id = @Id GROUP BY kind) c
                   FULL JOIN (SELECT kind, sum(payments)::int AS n, sum(amount) AS amount FROM batch_totals WHERE batch_id = @Prev GROUP BY kind) p ON p.kind = c.kind)
        SELECT 'iban' AS Section, household, kind, payee, previous_iban AS PreviousIban, iban, n AS Count, NULL::numeric AS Previous, NULL::numeric AS Current, 0 AS PreviousCount
          FROM (SELECT * FROM household_iban UNION ALL SELECT * FROM creditor_iban) i
        UNION ALL
        SELECT 'new', NULL, NULL, payee, NULL, iban, n, NULL, amount, 0 FROM new_creditors
        UNION ALL
        SELECT section, reference, NULL, NULL, NULL, NULL, n, NULL, NULL, 0 FROM membership_named WHERE r <= @Limit
        UNION ALL
        SELECT 'moved', reference, NULL, NULL, NULL, NULL, n, previous, current, 0 FROM moved WHERE r <= @Limit
        UNION ALL
        SELECT 'kind', NULL, kind, NULL, NULL, NULL, n, previous, amount, previous_n FROM kinds
        """;

    /// <summary>One page of batches matching <paramref name="filter"/>, newest month first.</summary>
    public async Task<BatchPage> Page(BatchFilter filter, CancellationToken ct = default)
    {
        var size = Math.Clamp(filter.PageSize, 1, 100);
        var page = Math.Max(1, filter.Page);
        var parameters = new
        {
            Status = filter.Status?.Code(), From = filter.From?.OnDayOfMonth(1), Through = filter.Through?.OnDayOfMonth(1), Limit = size, Offset = (page - 1) * size,
        };
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var matching = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountSql, parameters, cancellationToken: ct));
        var rows = (await connection.QueryAsync<BatchListRow>(new CommandDefinition(PageSql, parameters, cancellationToken: ct))).ToList();
        return new BatchPage(rows, matching, page, size);
    }

    /// <summary>The scheduled preparation's last run and its next (<paramref name="jobName"/> and <paramref name="jobGroup"/> as Quartz knows the job).</summary>
    public async Task<PreparationSchedule> Schedule(string jobName = "prepare-monthly-batch", string jobGroup = "ontzorging", CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var last = await connection.QuerySingleOrDefaultAsync<LastRun>(new CommandDefinition(LastRunSql, new { Job = $"{jobGroup}.{jobName}" }, cancellationToken: ct));
        long? ticks = null;
        try
        {
            ticks = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(NextFireSql, new { Name = jobName, Group = jobGroup }, cancellationToken: ct));
        }
        catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UndefinedTable)
        {
            // A database without the scheduler's tables: the policy's day says when.
        }

        var next = ticks is { } t ? Instant.FromDateTimeOffset(new DateTimeOffset(t, TimeSpan.Zero)) : PolicyNext();
        return new PreparationSchedule(last?.LastStarted, last?.LastFinished, last?.LastOutcome, last?.LastError, next, ticks is not null);
    }

    /// <summary>06:00 in Amsterdam on the policy's preparation day: the configured default of the schedule.</summary>
    private Instant PolicyNext()
    {
        var now = clock.GetCurrentInstant();
        var today = clock.Today();
        for (var month = today.ToYearMonth(); ; month = month.PlusMonths(1))
        {
            var at = MonthOrder.ScheduledDay(month.PlusMonths(1), policy).At(new LocalTime(6, 0)).InZoneLeniently(MunicipalTime.Zone).ToInstant();
            if (at > now)
            {
                return at;
            }
        }
    }

    /// <summary>Whether <paramref name="subject"/> is the person who prepared batch <paramref name="id"/> (under any of their subjects): the one who may not approve it.</summary>
    public async Task<bool> PreparedBy(long id, string subject, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
            "SELECT coalesce((SELECT person_of(prepared_by) = person_of(@Subject) FROM batches WHERE id = @Id), false)", new { Id = id, Subject = subject }, cancellationToken: ct));
    }

    /// <summary>One batch as the approver reads it, or null when there is none.</summary>
    public async Task<BatchReviewView?> Show(long id, int exceptionPage = 1, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var batch = await connection.QuerySingleOrDefaultAsync<BatchListRow>(new CommandDefinition(RowSql + " WHERE b.id = @Id", new { Id = id }, cancellationToken: ct));
        if (batch is null)
        {
            return null;
        }

        var funding = await connection.QuerySingleAsync<FundingRow>(new CommandDefinition(FundingSql, new { Id = id }, cancellationToken: ct));
        var kinds = (await connection.QueryAsync<ExceptionKind>(new CommandDefinition(ExceptionKindsSql, new { Id = id }, cancellationToken: ct))).ToList();
        var page = Math.Max(1, exceptionPage);
        var exceptions = (await connection.QueryAsync<ExceptionItem>(new CommandDefinition(ExceptionsSql,
            new { Id = id, Limit = BatchReviewView.ExceptionsPerPage, Offset = (page - 1) * BatchReviewView.ExceptionsPerPage }, cancellationToken: ct))).ToList();
        var (drawn, bijstand, payments, balance) = (Money.FromEuros(batch.CreditDrawn), Money.FromEuros(funding.Bijstand), Money.FromEuros(funding.Payments), Money.FromEuros(funding.Balance));
        var money = new BatchFunding(drawn, bijstand, payments, balance, balance + bijstand + drawn - payments);
        var totals = (await connection.QueryAsync<TotalRow>(new CommandDefinition(TotalsSql, new { Id = id }, cancellationToken: ct))).ToList();
        var byKind = totals.Where(t => t.Kind is not null).OrderByDescending(t => t.Amount).Select(t => new KindTotal(t.Kind!, t.Payments, Money.FromEuros(t.Amount))).ToList();
        var byDate = totals.Where(t => t.ExecutionDate is not null).OrderBy(t => t.ExecutionDate).Select(t => new DateTotal(t.ExecutionDate!.Value, t.Payments, Money.FromEuros(t.Amount))).ToList();
        var comparison = await Compare(connection, id, batch.Month, ct);
        return new BatchReviewView(batch, byKind, byDate, money, kinds, exceptions, page, comparison, funding.Reason, funding.RejectionReason);
    }

    private async Task<BatchComparison?> Compare(NpgsqlConnection connection, long id, LocalDate month, CancellationToken ct)
    {
        var previous = await connection.QuerySingleOrDefaultAsync<(long Id, LocalDate Month)?>(new CommandDefinition(PreviousSql, new { Month = month }, cancellationToken: ct));
        if (previous is not { } prev)
        {
            return null;
        }

        var rows = (await connection.QueryAsync<ComparisonRow>(new CommandDefinition(ComparisonSql,
            new { Id = id, Prev = prev.Id, Month = month, Percent = policy.BatchChangePercent, Limit = ListLimit }, cancellationToken: ct))).ToList();
        List<ComparisonRow> Of(string section) => rows.Where(r => r.Section == section).ToList();
        int Count(string section) => Of(section).Select(r => r.Count).FirstOrDefault();
        var ibans = Of("iban").OrderBy(r => r.Household is null ? 0 : 1).ThenBy(r => r.Household, StringComparer.Ordinal).ThenBy(r => r.Kind, StringComparer.Ordinal)
            .Select(r => new IbanChange(r.Household, r.Kind!, r.Payee!, r.PreviousIban!, r.Iban!, r.Count)).ToList();
        var creditors = Of("new").OrderBy(r => r.Payee, StringComparer.Ordinal).Select(r => new NewCreditor(r.Payee!, r.Iban!, r.Count, Money.FromEuros(r.Current ?? 0))).ToList();
        var kinds = Of("kind").OrderByDescending(r => r.Current ?? 0).Select(r => new KindChange(r.Kind!, r.Count, Money.FromEuros(r.Current ?? 0), r.PreviousCount, Money.FromEuros(r.Previous ?? 0))).ToList();
        var moved = Of("moved").OrderByDescending(r => Math.Abs((r.Current ?? 0) - (r.Previous ?? 0))).ThenBy(r => r.Household, StringComparer.Ordinal)
            .Select(r => new HouseholdChange(r.Household!, Money.FromEuros(r.Previous ?? 0), Money.FromEuros(r.Current ?? 0))).ToList();
        return new BatchComparison(prev.Id, prev.Month, ibans, creditors, Count("added"), Count("gone"),
            Of("added").Select(r => r.Household!).Order(StringComparer.Ordinal).ToList(), Of("gone").Select(r => r.Household!).Order(StringComparer.Ordinal).ToList(),
            kinds, Count("moved"), moved, policy.BatchChangePercent);
    }

    private sealed class TotalRow
    {
        public string? Kind { get; set; }

        public LocalDate? ExecutionDate { get; set; }

        public int Payments { get; set; }

        public decimal Amount { get; set; }
    }

    private sealed class LastRun
    {
        public Instant? LastStarted { get; set; }

        public Instant? LastFinished { get; set; }

        public string? LastOutcome { get; set; }

        public string? LastError { get; set; }
    }

    private sealed class FundingRow
    {
        public decimal Bijstand { get; set; }

        public decimal Payments { get; set; }

        public decimal Balance { get; set; }

        public string? RejectionReason { get; set; }

        public string? Reason { get; set; }
    }

    private sealed class ComparisonRow
    {
        public string Section { get; set; } = "";

        public string? Household { get; set; }

        public string? Kind { get; set; }

        public string? Payee { get; set; }

        public string? PreviousIban { get; set; }

        public string? Iban { get; set; }

        public int Count { get; set; }

        public decimal? Previous { get; set; }

        public decimal? Current { get; set; }

        public int PreviousCount { get; set; }
    }
}
