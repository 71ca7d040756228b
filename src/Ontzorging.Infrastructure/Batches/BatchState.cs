using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>Where each household stands between batches: balance held, open arrears, credit outstanding.</summary>
internal sealed class BatchState
{
    // What the last live batch kept back; before any, what an opening position held (rules §20).
    private const string KeptBackSql = """
        SELECT DISTINCT ON (bh.household_id) bh.household_id AS HouseholdId, bh.kept_back AS Amount
          FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id
         ORDER BY bh.household_id, b.month DESC
        """;

    private const string OpeningsSql = """
        SELECT o.household_id AS HouseholdId, o.unburdened_through AS Through, o.balance AS Balance, o.cutover_on AS CutoverOn,
               EXISTS (SELECT 1 FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id WHERE bh.household_id = o.household_id) AS Batched
          FROM opening_positions o
        """;

    // Routed receipts in an opening position that came after the old system's last run and no batch
    // reported yet: already in the opening balance, but "received since the last batch" in the first
    // batch's receipts column, as they would have been had the engine run before (rules §20).
    private const string OpeningReceiptsSql = """
        SELECT r.household_id AS HouseholdId, r.received_on AS ReceivedOn, r.amount AS Amount
          FROM receipts r
         WHERE r.in_opening AND r.routed AND r.batch_id IS NULL
        """;

    private const string UnbatchedReceiptsSql = """
        SELECT household_id AS HouseholdId, sum(amount) AS Amount
          FROM receipts WHERE batch_id IS NULL AND booked_on IS NOT NULL AND routed AND NOT in_opening
         GROUP BY household_id
        """;

    private const string CreditSql = "SELECT household_id AS HouseholdId, balance AS Amount FROM ledger_accounts WHERE code LIKE 'credit:%'";

    private const string PastBijstandSql = """
        SELECT bh.household_id AS HouseholdId, b.month AS Month, bh.bijstand AS Amount
          FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id
         WHERE b.month < @Month AND bh.bijstand > 0
        """;

    private const string PreviousPreparationSql = """
        SELECT max(preparation_day) FROM live_batches WHERE month < @Month
        """;

    private const string ArrearsSql = """
        SELECT id, household_id AS HouseholdId, contract_id AS ContractId, kind, creditor_name AS CreditorName, creditor_iban AS CreditorIban,
               amount, due_date AS DueDate, reference, attempt
          FROM arrears WHERE paid_in_batch_id IS NULL
        """;

    // Money the bank returned that no live batch has taken into a household's balance yet.
    private const string UntakenReturnsSql = """
        SELECT household_id AS HouseholdId, sum(amount) AS Amount
          FROM payments WHERE status = 'returned' AND return_taken_in_batch_id IS NULL
         GROUP BY household_id
        """;

    // Returned leefgeld not yet sent again by a live batch.
    private const string ReturnedLeefgeldSql = """
        SELECT p.id, p.household_id AS HouseholdId, p.end_to_end_id AS EndToEndId, p.amount
          FROM payments p
         WHERE p.status = 'returned' AND p.kind = 'leefgeld'
           AND NOT EXISTS (SELECT 1 FROM payments r WHERE r.resends_payment_id = p.id AND r.status <> 'cancelled')
        """;

    // Creditor accounts the bank refused (pain.002 AC04, AC01) that no one has confirmed since.
    private const string RefusedAccountsSql = """
        SELECT c.household_id AS HouseholdId, r.contract_id AS ContractId, r.refused_on AS RefusedOn, r.reason_code AS ReasonCode
          FROM refused_creditor_accounts r JOIN contracts c ON c.id = r.contract_id
         WHERE r.confirmed_at IS NULL
        """;

    public Dictionary<long, decimal> KeptBack { get; private set; } = [];

    public Dictionary<long, decimal> UnbatchedReceipts { get; private set; } = [];

    public Dictionary<long, decimal> Credit { get; private set; } = [];

    public Dictionary<long, decimal> UntakenReturns { get; private set; } = [];

    /// <summary>Per household with an opening position: the last month done outside the engine (rules §20).</summary>
    public Dictionary<long, YearMonth> UnburdenedThrough { get; private set; } = [];

    /// <summary>Routed receipts of opening positions received after the old system's last run, not yet reported by a batch.</summary>
    public Dictionary<long, decimal> OpeningReceipts { get; private set; } = [];

    /// <summary>Per household whose opening position no live batch has followed yet: the old system's last run.</summary>
    public Dictionary<long, LocalDate> OpeningLastRun { get; private set; } = [];

    /// <summary>Whether <paramref name="month"/> of the household was done outside the engine (its opening position covers it).</summary>
    public bool DoneOutside(long household, YearMonth month) => UnburdenedThrough.TryGetValue(household, out var through) && month <= through;

    public ILookup<long, ReturnedLeefgeld> ReturnedLeefgeld { get; private set; } = Array.Empty<ReturnedLeefgeld>().ToLookup(_ => 0L);

    public ILookup<long, Installment> Arrears { get; private set; } = Array.Empty<Installment>().ToLookup(_ => 0L);

    /// <summary>Bijstand booked by earlier live batches, per household: what a backdated decision is checked against.</summary>
    public ILookup<long, (YearMonth Month, Money Booked)> PastBijstand { get; private set; } = Array.Empty<(YearMonth, Money)>().ToLookup(_ => 0L);

    public LocalDate? PreviousPreparationDay { get; private set; }

    public ILookup<long, RefusedAccount> RefusedAccounts { get; private set; } = Array.Empty<RefusedAccount>().ToLookup(_ => 0L);

    public static async Task<BatchState> Load(NpgsqlConnection connection, NpgsqlTransaction transaction, YearMonth month, Policy policy, CancellationToken ct)
    {
        async Task<Dictionary<long, decimal>> Amounts(string sql) =>
            (await connection.QueryAsync<(long HouseholdId, decimal Amount)>(new CommandDefinition(sql, transaction: transaction, cancellationToken: ct)))
                .ToDictionary(r => r.HouseholdId, r => r.Amount);

        var arrears = await connection.QueryAsync<ArrearRow>(new CommandDefinition(ArrearsSql, transaction: transaction, cancellationToken: ct));
        var returned = await connection.QueryAsync<(long Id, long HouseholdId, string EndToEndId, decimal Amount)>(new CommandDefinition(ReturnedLeefgeldSql, transaction: transaction, cancellationToken: ct));
        var monthStart = new { Month = month.OnDayOfMonth(1) };
        var refused = await connection.QueryAsync<(long HouseholdId, long ContractId, LocalDate RefusedOn, string ReasonCode)>(new CommandDefinition(RefusedAccountsSql, transaction: transaction, cancellationToken: ct));
        var openings = (await connection.QueryAsync<(long HouseholdId, LocalDate Through, decimal Balance, LocalDate CutoverOn, bool Batched)>(
            new CommandDefinition(OpeningsSql, transaction: transaction, cancellationToken: ct))).ToList();
        var keptBack = await Amounts(KeptBackSql);
        foreach (var opening in openings.Where(o => !o.Batched))
        {
            keptBack[opening.HouseholdId] = opening.Balance;
        }

        // The old system's last run: the preparation day of the last month it did.
        var lastRun = openings.Where(o => !o.Batched).ToDictionary(o => o.HouseholdId, o => policy.PreparationDayOf(o.Through.ToYearMonth()));
        var openingReceipts = (await connection.QueryAsync<(long HouseholdId, LocalDate ReceivedOn, decimal Amount)>(
                new CommandDefinition(OpeningReceiptsSql, transaction: transaction, cancellationToken: ct)))
            .Where(r => lastRun.TryGetValue(r.HouseholdId, out var run) && r.ReceivedOn > run)
            .GroupBy(r => r.HouseholdId).ToDictionary(g => g.Key, g => g.Sum(r => r.Amount));
        var past = await connection.QueryAsync<(long HouseholdId, LocalDate Month, decimal Amount)>(new CommandDefinition(PastBijstandSql, monthStart, transaction, cancellationToken: ct));
        return new BatchState
        {
            PastBijstand = past.ToLookup(p => p.HouseholdId, p => (p.Month.ToYearMonth(), Money.FromEuros(p.Amount))),
            PreviousPreparationDay = await connection.ExecuteScalarAsync<LocalDate?>(new CommandDefinition(PreviousPreparationSql, monthStart, transaction, cancellationToken: ct)),
            KeptBack = keptBack,
            UnburdenedThrough = openings.ToDictionary(o => o.HouseholdId, o => o.Through.ToYearMonth()),
            OpeningReceipts = openingReceipts,
            OpeningLastRun = lastRun,
            UnbatchedReceipts = await Amounts(UnbatchedReceiptsSql),
            Credit = await Amounts(CreditSql),
            UntakenReturns = await Amounts(UntakenReturnsSql),
            Arrears = arrears.ToLookup(a => a.HouseholdId, a => a.ToInstallment()),
            ReturnedLeefgeld = returned.ToLookup(r => r.HouseholdId, r => Returned(r.Id, r.EndToEndId, r.Amount)),
            RefusedAccounts = refused.ToLookup(r => r.HouseholdId, r => new RefusedAccount(r.ContractId, r.RefusedOn, r.ReasonCode)),
        };
    }

    public Money Receipts(long household) => Money.FromEuros(UnbatchedReceipts.GetValueOrDefault(household));

    /// <summary>The receipts the batch reports as received since the last batch: <see cref="Receipts"/> and those of an opening position after the old system's last run.</summary>
    public Money ReportedReceipts(long household) => Receipts(household) + Money.FromEuros(OpeningReceipts.GetValueOrDefault(household));

    /// <summary>What the household holds before the batch: kept back by the last batch, receipts since, and returned payments.</summary>
    public Money Balance(long household) =>
        Money.FromEuros(KeptBack.GetValueOrDefault(household)) + Receipts(household) + Money.FromEuros(UntakenReturns.GetValueOrDefault(household));

    public Money CreditOutstanding(long household) => Money.FromEuros(Credit.GetValueOrDefault(household));

    /// <summary>A returned leefgeld payment as the next batch sends it again.</summary>
    internal static ReturnedLeefgeld Returned(long id, string endToEndId, decimal amount) =>
        new(id, PaymentKey.Parse(endToEndId) ?? throw new InvalidOperationException($"payment {id} has an EndToEndId that is not a payment key: {endToEndId}"),
            Money.FromEuros(amount));

    /// <summary>An open arrear as the database holds it (the columns of <c>arrears</c>), for the batch and the forecast.</summary>
    internal sealed class ArrearRow
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public long ContractId { get; set; }

        public string Kind { get; set; } = "";

        public string CreditorName { get; set; } = "";

        public string CreditorIban { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate DueDate { get; set; }

        public string? Reference { get; set; }

        public short Attempt { get; set; }

        public Installment ToInstallment() => new(ContractId, FixedCostKinds.Parse(Kind).Value, CreditorName, Iban.Of(CreditorIban), Money.FromEuros(Amount), DueDate,
            Reference is null ? null : PaymentReference.Parse(Reference).Value, Attempt);
    }
}
