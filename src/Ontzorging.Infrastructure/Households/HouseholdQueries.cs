using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Intake;

namespace Ontzorging.Infrastructure.Households;

public sealed record HouseholdFilter(string? State = null, int? EndingWithinDays = null, string? Verdict = null);

/// <summary>The caseworker's views: <c>household list</c> and <c>household show</c>. BSNs and the household IBAN are masked.</summary>
public sealed class HouseholdQueries(NpgsqlDataSource dataSource, Policy policy)
{
    private const string Balances = """
        SELECT household_id AS HouseholdId, code, balance, cap FROM ledger_accounts WHERE household_id = ANY(@Ids) OR cardinality(@Ids) = 0
        """;

    private const string OpenArrears = """
        SELECT household_id AS HouseholdId, kind, creditor_name AS Creditor, amount, due_date AS DueDate
          FROM arrears WHERE paid_in_batch_id IS NULL AND (household_id = ANY(@Ids) OR cardinality(@Ids) = 0) ORDER BY due_date
        """;

    private const string LatestReadiness = """
        SELECT DISTINCT ON (household_id) household_id AS HouseholdId, evaluated_on AS EvaluatedOn, verdict, unmet
          FROM readiness_evaluations WHERE household_id = ANY(@Ids) OR cardinality(@Ids) = 0
         ORDER BY household_id, evaluated_on DESC
        """;

    // One household's rows through their indexes (the list queries above read every household).
    private const string OneHouseholdBalances = "SELECT household_id AS HouseholdId, code, balance, cap FROM ledger_accounts WHERE code = ANY(@Codes)";

    private const string OneHouseholdArrears = """
        SELECT household_id AS HouseholdId, kind, creditor_name AS Creditor, amount, due_date AS DueDate
          FROM arrears WHERE household_id = @Id AND paid_in_batch_id IS NULL ORDER BY due_date
        """;

    private const string OneHouseholdReadiness = """
        SELECT household_id AS HouseholdId, evaluated_on AS EvaluatedOn, verdict, unmet
          FROM readiness_evaluations WHERE household_id = @Id ORDER BY evaluated_on DESC LIMIT 1
        """;

    private const string Persons = "SELECT name, bsn, date_of_birth AS DateOfBirth, role FROM persons WHERE household_id = @Id ORDER BY role, date_of_birth";

    private const string ReceiptsSql = """
        SELECT kind, amount, received_on AS ReceivedOn, covers_from AS CoversFrom, covers_to AS CoversTo, routed, booked_on AS BookedOn
          FROM receipts WHERE household_id = @Id ORDER BY received_on, id
        """;

    private const string NextPaymentsSql = """
        SELECT p.execution_date AS ExecutionDate, p.kind, p.payee_name AS Payee, p.amount, 'batch ' || b.status AS Status, p.end_to_end_id AS EndToEndId
          FROM payments p JOIN batches b ON b.id = p.batch_id
         WHERE p.household_id = @Id AND p.execution_date >= @Today AND p.status = 'open'
         ORDER BY p.execution_date, p.id LIMIT 20
        """;

    // The payments the bank returned or rejected, the latest first.
    private const string ReturnedSql = """
        SELECT p.execution_date AS ExecutionDate, p.kind, p.payee_name AS Payee, p.amount, p.returned_on AS ReturnedOn, coalesce(p.return_reason, '') AS Reason,
               p.return_source IS NOT DISTINCT FROM 'status_report' AS Rejected, p.end_to_end_id AS EndToEndId,
               EXISTS (SELECT 1 FROM refused_creditor_accounts r WHERE r.payment_id = p.id AND r.confirmed_at IS NULL) AS AccountRefused
          FROM payments p
         WHERE p.household_id = @Id AND p.status = 'returned'
         ORDER BY p.returned_on DESC, p.id DESC LIMIT 20
        """;

    // The household's opening position, when it went live from one (docs/rules.md §20).
    private const string OpeningSql = """
        SELECT o.cutover_on AS CutoverOn, o.unburdened_through AS UnburdenedThrough, o.balance, o.credit_outstanding AS CreditOutstanding,
               (SELECT count(*) FROM arrears a WHERE a.household_id = o.household_id AND a.raised_in_batch_id IS NULL) AS Arrears,
               (SELECT coalesce(sum(a.amount), 0) FROM arrears a WHERE a.household_id = o.household_id AND a.raised_in_batch_id IS NULL) AS ArrearsAmount,
               (SELECT count(*) FROM receipts r WHERE r.household_id = o.household_id AND r.in_opening) AS ReceiptsInOpening,
               coalesce(p.display_name, o.imported_by) AS ImportedBy, o.imported_at AS ImportedAt
          FROM opening_positions o LEFT JOIN people p ON p.subject = o.imported_by
         WHERE o.household_id = @Id
        """;

    public async Task<IReadOnlyList<HouseholdSummary>> List(LocalDate today, HouseholdFilter filter, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var households = await HouseholdStore.Load(connection, null, HouseholdRange.All, ct);
        var balances = (await connection.QueryAsync<BalanceRow>(new CommandDefinition(Balances, new { Ids = Array.Empty<long>() }, cancellationToken: ct))).ToLookup(b => b.HouseholdId);
        var arrears = (await connection.QueryAsync<ArrearRow>(new CommandDefinition(OpenArrears, new { Ids = Array.Empty<long>() }, cancellationToken: ct))).ToLookup(a => a.HouseholdId);
        var readiness = (await connection.QueryAsync<ReadinessRow>(new CommandDefinition(LatestReadiness, new { Ids = Array.Empty<long>() }, cancellationToken: ct))).ToDictionary(r => r.HouseholdId);

        var result = new List<HouseholdSummary>();
        foreach (var h in households)
        {
            var period = h.Period(today, policy);
            var state = State(period, today);
            var latest = readiness.GetValueOrDefault(h.Id);
            if ((filter.State is not null && filter.State != state)
                || (filter.EndingWithinDays is { } days && !(state == "active" && period.End <= today.PlusDays(days)))
                || (filter.Verdict is not null && latest?.Verdict != filter.Verdict))
            {
                continue;
            }

            result.Add(new HouseholdSummary(h.Reference, period.Start, period.End, state, h.Profile.Size, Frequency(h.Profile.Frequency),
                Money.FromEuros(balances[h.Id].Where(b => b.Code.StartsWith("credit:", StringComparison.Ordinal)).Sum(b => b.Balance)),
                Money.FromEuros(arrears[h.Id].Sum(a => a.Amount)), latest?.Verdict, latest?.Unmet));
        }

        return result;
    }

    public async Task<HouseholdStatus?> Show(string reference, LocalDate today, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Find(connection, reference, MunicipalityScope.All, ct) is { } id ? await Show(connection, id, today, ct) : null;
    }

    /// <summary>
    /// The household's page: its status on <paramref name="today"/> and its money story month by
    /// month. Null when there is no such household or it lies outside <paramref name="scope"/>; the
    /// two are indistinguishable, so a reference reveals nothing of another municipality.
    /// </summary>
    public async Task<HouseholdStory?> Story(string reference, LocalDate today, MunicipalityScope scope, CancellationToken ct = default)
    {
        // One connection for the page: each one taken from the pool is reset when it goes back.
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await Find(connection, reference, scope, ct) is not { } id)
        {
            return null;
        }

        // The page shows the money story instead of the contracts and the next payments.
        var status = await Show(connection, id, today, ct, contractsAndNextPayments: false);
        var (months, decisions) = await HouseholdStoryQueries.Load(connection, id, today, ct);
        return new HouseholdStory(status, months, decisions);
    }

    /// <summary>Whether the household exists within <paramref name="scope"/> (outside it, it does not for this person).</summary>
    public async Task<bool> Visible(string reference, MunicipalityScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return await Find(connection, reference, scope, ct) is not null;
    }

    /// <summary>A household's municipality and BSNs in full, for the one audited action that shows them; null outside the scope.</summary>
    public async Task<(string Municipality, IReadOnlyList<(string Name, string Bsn)> Members)?> FullBsns(string reference, MunicipalityScope scope, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        if (await FindWithMunicipality(connection, reference, scope, ct) is not { } found)
        {
            return null;
        }

        return (found.Municipality, (await connection.QueryAsync<(string, string)>(new CommandDefinition(
            "SELECT name, bsn FROM persons WHERE household_id = @Id ORDER BY role, date_of_birth", new { found.Id }, cancellationToken: ct))).ToList());
    }

    private static async Task<long?> Find(NpgsqlConnection connection, string reference, MunicipalityScope scope, CancellationToken ct) =>
        (await FindWithMunicipality(connection, reference, scope, ct))?.Id;

    private static async Task<(long Id, string Municipality)?> FindWithMunicipality(NpgsqlConnection connection, string reference, MunicipalityScope scope, CancellationToken ct)
    {
        var found = await connection.QuerySingleOrDefaultAsync<(long Id, string Municipality)?>(new CommandDefinition(
            "SELECT id, municipality FROM households WHERE reference = @Reference", new { Reference = reference }, cancellationToken: ct));
        return found is { } f && scope.Includes(f.Municipality) ? f : null;
    }

    private async Task<HouseholdStatus> Show(NpgsqlConnection connection, long id, LocalDate today, CancellationToken ct, bool contractsAndNextPayments = true)
    {

        var h = (await HouseholdStore.Load(connection, null, HouseholdRange.Only(id), ct, contracts: contractsAndNextPayments)).Single();

        // The household's other rows in one round trip.
        await using var rows = await connection.QueryMultipleAsync(new CommandDefinition(
            string.Join(";\n", contractsAndNextPayments
                ? [OneHouseholdBalances, OneHouseholdReadiness, Persons, ReceiptsSql, OneHouseholdArrears, OpeningSql, NextPaymentsSql, ReturnedSql]
                : new[] { OneHouseholdBalances, OneHouseholdReadiness, Persons, ReceiptsSql, OneHouseholdArrears, OpeningSql }),
            new { Id = id, Today = today, Codes = new[] { Domain.Ledger.Accounts.Credit(h.Reference), Domain.Ledger.Accounts.Household(h.Reference) } },
            cancellationToken: ct));
        var balances = (await rows.ReadAsync<BalanceRow>()).ToList();
        var readiness = await rows.ReadSingleOrDefaultAsync<ReadinessRow>();
        var persons = await rows.ReadAsync<PersonRow>();
        var receipts = await rows.ReadAsync<ReceiptRow>();
        var arrears = await rows.ReadAsync<ArrearRow>();
        var opening = await rows.ReadSingleOrDefaultAsync<OpeningRow>();
        var payments = contractsAndNextPayments ? await rows.ReadAsync<PaymentRow>() : [];
        var returned = contractsAndNextPayments ? await rows.ReadAsync<ReturnedRow>() : [];
        var credit = balances.Single(b => b.Code.StartsWith("credit:", StringComparison.Ordinal));
        var held = balances.Single(b => b.Code.StartsWith("household:", StringComparison.Ordinal));
        var period = h.Period(today, policy);

        return new HouseholdStatus(
            h.Reference, h.Municipality, today, h.Profile.Adults, h.Profile.Children, h.Profile.Iban.Masked, Frequency(h.Profile.Frequency), h.Language,
            persons.Select(p => new MemberView(p.Name, MaskBsn(p.Bsn), p.DateOfBirth, p.Role)).ToList(),
            new PeriodView(period.Start, period.End, period.ExtensionMonths, period.BijstandLastDay, period.OptOutOn, State(period, today),
                Math.Max(0, Period.Between(today, period.End, PeriodUnits.Days).Days)),
            h.Decisions.Select(DecisionView).ToList(),
            h.Contracts.Select(c => new ContractView(c.Kind.Code(), c.CreditorName, c.CreditorIban.Value, c.Amount, c.DueDay, c.Reference?.Value, c.ValidFrom, c.ValidTo, c.ConsentOn)).ToList(),
            h.Streams.Select(s => new IncomeView(s.Kind.Code(), s.ExpectedAmount, s.From, s.To, s.Routed, s.AppliedOn,
                    ToeslagWatch.Status(s, h.Receipts, today, policy).Code()))
                .Concat(h.BijstandRates.Select(r => new IncomeView("bijstand", r.MonthlyAmount, r.From, r.To, true, null, "certain")))
                .ToList(),
            receipts.Select(r => new ReceiptView(r.Kind, Money.FromEuros(r.Amount), r.ReceivedOn,
                $"{Formats.Text(r.CoversFrom.ToYearMonth())}..{Formats.Text(r.CoversTo.ToYearMonth())}", r.Routed, r.BookedOn)).ToList(),
            Money.FromEuros(held.Balance),
            Money.FromEuros(credit.Balance),
            Money.FromEuros(credit.Cap ?? 0),
            arrears.Select(a => new ArrearView(a.Kind, a.Creditor, Money.FromEuros(a.Amount), a.DueDate)).ToList(),
            readiness is null ? null : new ReadinessView(readiness.EvaluatedOn, readiness.Verdict, readiness.Unmet, Advice(readiness.Verdict)),
            payments.Select(p => new PaymentView(p.ExecutionDate, p.Kind, p.Payee, Money.FromEuros(p.Amount), p.Status, p.EndToEndId)).ToList(),
            returned.Select(r => new ReturnedPaymentView(r.ExecutionDate, r.Kind, r.Payee, Money.FromEuros(r.Amount), r.ReturnedOn, r.Reason, r.Rejected, r.EndToEndId, r.AccountRefused)).ToList(),
            opening is null ? null : new OpeningView(opening.CutoverOn, opening.UnburdenedThrough.ToYearMonth(), Money.FromEuros(opening.Balance), Money.FromEuros(opening.CreditOutstanding),
                (int)opening.Arrears, Money.FromEuros(opening.ArrearsAmount), (int)opening.ReceiptsInOpening, opening.ImportedBy, opening.ImportedAt));
    }

    public static string State(OntzorgingPeriod period, LocalDate today) =>
        today < period.Start ? "upcoming" : today < period.End ? "active" : "ended";

    private static string? Advice(string verdict) => verdict switch
    {
        "ready" => "Ready for self-reliance: hand the fixed costs back one at a time (start with water or energy), checking each month.",
        "not_ready" => "Not ready at the end of the period: consider an extension (household decide REF extension --months N).",
        _ => null,
    };

    private static DecisionView DecisionView(Decision d) => new(d.Kind.Code(), d.Date, Detail(d), d.RecordedBy, d.Reason);

    /// <summary>What a decision decided, in a few words (the CLI's and the site's).</summary>
    public static string Detail(Decision d) => d.Kind switch
    {
        DecisionKind.Extension => $"+{d.Months} month(s)",
        DecisionKind.BijstandEnd => $"last day {Formats.Text(d.LastDay!.Value)}",
        DecisionKind.ZrmScore => $"score {d.Score}",
        DecisionKind.WriteOff => d.Amount is { } a ? a.ToString() : "all outstanding",
        _ => "",
    };

    private static string MaskBsn(string bsn) => Bsn.Parse(bsn).Success ? Bsn.Parse(bsn).Value.Masked : "*********";

    private static string Frequency(LeefgeldFrequency f) => f == LeefgeldFrequency.Weekly ? "weekly" : "monthly";

    private sealed class OpeningRow
    {
        public LocalDate CutoverOn { get; set; }

        public LocalDate UnburdenedThrough { get; set; }

        public decimal Balance { get; set; }

        public decimal CreditOutstanding { get; set; }

        public long Arrears { get; set; }

        public decimal ArrearsAmount { get; set; }

        public long ReceiptsInOpening { get; set; }

        public string ImportedBy { get; set; } = "";

        public Instant ImportedAt { get; set; }
    }

    private sealed class BalanceRow
    {
        public long HouseholdId { get; set; }

        public string Code { get; set; } = "";

        public decimal Balance { get; set; }

        public decimal? Cap { get; set; }
    }

    private sealed class ArrearRow
    {
        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public string Creditor { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate DueDate { get; set; }
    }

    private sealed class ReadinessRow
    {
        public long HouseholdId { get; set; }

        public LocalDate EvaluatedOn { get; set; }

        public string Verdict { get; set; } = "";

        public string Unmet { get; set; } = "";
    }

    private sealed class PersonRow
    {
        public string Name { get; set; } = "";

        public string Bsn { get; set; } = "";

        public LocalDate DateOfBirth { get; set; }

        public string Role { get; set; } = "";
    }

    private sealed class ReceiptRow
    {
        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ReceivedOn { get; set; }

        public LocalDate CoversFrom { get; set; }

        public LocalDate CoversTo { get; set; }

        public bool Routed { get; set; }

        public LocalDate? BookedOn { get; set; }
    }

    private sealed class PaymentRow
    {
        public LocalDate ExecutionDate { get; set; }

        public string Kind { get; set; } = "";

        public string Payee { get; set; } = "";

        public decimal Amount { get; set; }

        public string Status { get; set; } = "";

        public string EndToEndId { get; set; } = "";
    }

    private sealed class ReturnedRow
    {
        public LocalDate ExecutionDate { get; set; }

        public string Kind { get; set; } = "";

        public string Payee { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ReturnedOn { get; set; }

        public string Reason { get; set; } = "";

        public bool Rejected { get; set; }

        public string EndToEndId { get; set; } = "";

        public bool AccountRefused { get; set; }
    }
}
