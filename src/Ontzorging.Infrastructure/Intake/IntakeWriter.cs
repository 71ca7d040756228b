using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Ledger;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>Writes a checked intake set; natural keys turn a repeated row into "unchanged".</summary>
internal sealed class IntakeWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, Instant now, Policy policy, string user, CancellationToken ct)
{
    private const string InsertOpenings = """
        INSERT INTO opening_positions (household_id, cutover_on, unburdened_through, balance, credit_outstanding, imported_by, imported_at)
        SELECT h, c, u, b, cr, @User, @Now
          FROM unnest(@HouseholdIds::bigint[], @Cutovers::date[], @Throughs::date[], @Balances::numeric[], @Credits::numeric[]) AS o(h, c, u, b, cr)
        ON CONFLICT ON CONSTRAINT pk_opening_positions DO NOTHING
        RETURNING household_id
        """;

    // An opening arrear names its contract by (kind, creditor IBAN) and takes its creditor's name and
    // reference from the version valid on its due date, as the batch's installment would have.
    private const string InsertOpeningArrears = """
        INSERT INTO arrears (household_id, contract_id, kind, creditor_name, creditor_iban, amount, due_date, reference, attempt)
        SELECT v.h, c.id, v.kind, cv.creditor_name, v.iban, v.amount, v.due, cv.reference, v.attempt
          FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Ibans::text[], @Amounts::numeric[], @DueDates::date[], @Attempts::smallint[])
               AS v(h, kind, iban, amount, due, attempt)
          JOIN contracts c ON c.household_id = v.h AND c.kind = v.kind AND c.creditor_iban = v.iban
          JOIN contract_versions cv ON cv.contract_id = c.id AND cv.valid_from <= v.due AND (cv.valid_to IS NULL OR cv.valid_to >= v.due)
        ON CONFLICT ON CONSTRAINT uq_arrears_natural DO NOTHING
        """;

    private const string InsertHouseholds = """
        INSERT INTO households (reference, municipality, bijstand_start, adults, children, iban, leefgeld_frequency, language, created_at)
        SELECT r, m, s, a, c, i, f, l, @Now
          FROM unnest(@References::text[], @Municipalities::text[], @Starts::date[], @Adults::smallint[], @Children::smallint[], @Ibans::text[],
                      @Frequencies::text[], @Languages::text[]) AS h(r, m, s, a, c, i, f, l)
        ON CONFLICT ON CONSTRAINT uq_households_reference DO NOTHING
        RETURNING id, reference
        """;

    private const string InsertAccounts = """
        INSERT INTO ledger_accounts (code, type, household_id, cap)
        SELECT 'household:' || r, 'liability', id, NULL FROM unnest(@Ids::bigint[], @References::text[], @Caps::numeric[]) AS a(id, r, cap)
        UNION ALL
        SELECT 'credit:' || r, 'asset', id, cap FROM unnest(@Ids::bigint[], @References::text[], @Caps::numeric[]) AS a(id, r, cap)
        ON CONFLICT ON CONSTRAINT pk_ledger_accounts DO NOTHING
        """;

    private const string InsertPersons = """
        INSERT INTO persons (household_id, bsn, name, date_of_birth, role)
        SELECT * FROM unnest(@HouseholdIds::bigint[], @Bsns::text[], @Names::text[], @Births::date[], @Roles::text[])
        ON CONFLICT ON CONSTRAINT uq_persons_bsn DO NOTHING
        """;

    private const string InsertContracts = """
        INSERT INTO contracts (household_id, kind, creditor_iban)
        SELECT DISTINCT * FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Ibans::text[])
        ON CONFLICT ON CONSTRAINT uq_contracts_natural DO NOTHING
        """;

    private const string InsertVersions = """
        INSERT INTO contract_versions (contract_id, creditor_name, amount, due_day, reference, valid_from, valid_to, consent_on)
        SELECT c.id, v.name, v.amount, v.due_day, v.reference, v.valid_from, v.valid_to, v.consent_on
          FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Ibans::text[], @Names::text[], @Amounts::numeric[], @DueDays::smallint[], @References::text[],
                      @ValidFrom::date[], @ValidTo::date[], @ConsentOn::date[])
               AS v(household_id, kind, iban, name, amount, due_day, reference, valid_from, valid_to, consent_on)
          JOIN contracts c ON c.household_id = v.household_id AND c.kind = v.kind AND c.creditor_iban = v.iban
        ON CONFLICT ON CONSTRAINT uq_contract_versions_natural DO NOTHING
        """;

    private const string InsertIncomes = """
        INSERT INTO income_streams (household_id, kind, amount, from_month, to_month, routed, applied_on)
        SELECT * FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Amounts::numeric[], @FromMonths::date[], @ToMonths::date[], @Routed::boolean[], @AppliedOn::date[])
        ON CONFLICT ON CONSTRAINT uq_income_streams_natural DO NOTHING
        """;

    private const string InsertReceipts = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        SELECT h, k, a, r, f, t, ref, routed, 'intake'
          FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Amounts::numeric[], @ReceivedOn::date[], @CoversFrom::date[], @CoversTo::date[], @References::text[],
                      @Routed::boolean[]) AS x(h, k, a, r, f, t, ref, routed)
        ON CONFLICT DO NOTHING
        """;

    private const string InsertDecisions = """
        INSERT INTO decisions (household_id, kind, decided_on, months, last_day, score, amount, reason, recorded_by, recorded_at)
        SELECT h, k, d, m, l, s, a, r, b, @Now
          FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Dates::date[], @Months::smallint[], @LastDays::date[], @Scores::smallint[], @Amounts::numeric[],
                      @Reasons::text[], @RecordedBy::text[]) AS x(h, k, d, m, l, s, a, r, b)
        ON CONFLICT DO NOTHING
        """;

    private const string InsertOpeningReceipts = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        SELECT h, k, a, r, f, t, ref, routed, 'opening'
          FROM unnest(@HouseholdIds::bigint[], @Kinds::text[], @Amounts::numeric[], @ReceivedOn::date[], @CoversFrom::date[], @CoversTo::date[], @References::text[],
                      @Routed::boolean[]) AS x(h, k, a, r, f, t, ref, routed)
        ON CONFLICT DO NOTHING
        """;

    private readonly Dictionary<string, (int Added, int Unchanged)> counts = IntakeFiles.All.ToDictionary(f => f, _ => (0, 0));

    /// <summary>One statement per table; a repeated row is skipped by its natural key and counted as unchanged.</summary>
    public async Task<ImportReport> Write(IntakeSet set, ExistingState existing)
    {
        var ids = existing.Households.ToDictionary(h => h.Key, h => h.Value.Id, StringComparer.Ordinal);
        var households = set.Households;
        var created = (await connection.QueryAsync<(long Id, string Reference)>(Command(InsertHouseholds, new
        {
            References = households.Select(h => h.Reference).ToArray(),
            Municipalities = households.Select(h => h.Municipality).ToArray(),
            Starts = households.Select(h => h.BijstandStart).ToArray(),
            Adults = households.Select(h => (short)h.Adults).ToArray(),
            Children = households.Select(h => (short)h.Children).ToArray(),
            Ibans = households.Select(h => h.Iban.Value).ToArray(),
            Frequencies = households.Select(h => h.Frequency == LeefgeldFrequency.Weekly ? "weekly" : "monthly").ToArray(),
            Languages = households.Select(h => h.Language).ToArray(),
            Now = now,
        }))).ToList();
        Count(IntakeFiles.Households, households.Count, created.Count);
        foreach (var (id, reference) in created)
        {
            ids[reference] = id;
        }

        var sizes = households.ToDictionary(h => h.Reference, h => h.Adults + h.Children, StringComparer.Ordinal);
        await Execute(InsertAccounts, new
        {
            Ids = created.Select(c => c.Id).ToArray(),
            References = created.Select(c => c.Reference).ToArray(),
            Caps = created.Select(c => policy.CreditCap(sizes[c.Reference]).ToDecimal()).ToArray(),
        });

        var persons = set.Persons;
        Count(IntakeFiles.Persons, persons.Count, await Execute(InsertPersons, new
        {
            HouseholdIds = persons.Select(p => ids[p.Household]).ToArray(),
            Bsns = persons.Select(p => p.Bsn.Value).ToArray(),
            Names = persons.Select(p => p.Name).ToArray(),
            Births = persons.Select(p => p.DateOfBirth).ToArray(),
            Roles = persons.Select(p => p.Role).ToArray(),
        }));

        var contracts = set.Contracts;
        var contractKeys = new
        {
            HouseholdIds = contracts.Select(c => ids[c.Household]).ToArray(),
            Kinds = contracts.Select(c => c.Kind.Code()).ToArray(),
            Ibans = contracts.Select(c => c.CreditorIban.Value).ToArray(),
        };
        await Execute(InsertContracts, contractKeys);
        Count(IntakeFiles.Contracts, contracts.Count, await Execute(InsertVersions, new
        {
            contractKeys.HouseholdIds,
            contractKeys.Kinds,
            contractKeys.Ibans,
            Names = contracts.Select(c => c.CreditorName).ToArray(),
            Amounts = contracts.Select(c => c.Amount.ToDecimal()).ToArray(),
            DueDays = contracts.Select(c => (short)c.DueDay).ToArray(),
            References = contracts.Select(c => c.Reference?.Value).ToArray(),
            ValidFrom = contracts.Select(c => c.ValidFrom).ToArray(),
            ValidTo = contracts.Select(c => c.ValidTo).ToArray(),
            ConsentOn = contracts.Select(c => c.ConsentOn).ToArray(),
        }));

        var incomes = set.Incomes;
        Count(IntakeFiles.Incomes, incomes.Count, await Execute(InsertIncomes, new
        {
            HouseholdIds = incomes.Select(i => ids[i.Household]).ToArray(),
            Kinds = incomes.Select(i => i.Kind.Code()).ToArray(),
            Amounts = incomes.Select(i => i.Amount.ToDecimal()).ToArray(),
            FromMonths = incomes.Select(i => i.From.OnDayOfMonth(1)).ToArray(),
            ToMonths = incomes.Select(i => i.To?.OnDayOfMonth(1)).ToArray(),
            Routed = incomes.Select(i => i.Routed).ToArray(),
            AppliedOn = incomes.Select(i => i.AppliedOn).ToArray(),
        }));

        var receipts = set.Receipts;
        Count(IntakeFiles.Receipts, receipts.Count, await Execute(InsertReceipts, new
        {
            HouseholdIds = receipts.Select(r => ids[r.Household]).ToArray(),
            Kinds = receipts.Select(r => r.Kind.Code()).ToArray(),
            Amounts = receipts.Select(r => r.Amount.ToDecimal()).ToArray(),
            ReceivedOn = receipts.Select(r => r.ReceivedOn).ToArray(),
            CoversFrom = receipts.Select(r => r.CoversFrom.OnDayOfMonth(1)).ToArray(),
            CoversTo = receipts.Select(r => r.CoversTo.OnDayOfMonth(1)).ToArray(),
            References = receipts.Select(r => r.Reference).ToArray(),
            Routed = receipts.Select(r => IsRouted(set, existing, r)).ToArray(),
        }));

        var decisions = set.Events;
        Count(IntakeFiles.Events, decisions.Count, await Execute(InsertDecisions, new
        {
            HouseholdIds = decisions.Select(e => ids[e.Household]).ToArray(),
            Kinds = decisions.Select(e => e.Decision.Kind.Code()).ToArray(),
            Dates = decisions.Select(e => e.Decision.Date).ToArray(),
            Months = decisions.Select(e => (short?)e.Decision.Months).ToArray(),
            LastDays = decisions.Select(e => e.Decision.LastDay).ToArray(),
            Scores = decisions.Select(e => (short?)e.Decision.Score).ToArray(),
            Amounts = decisions.Select(e => e.Decision.Amount?.ToDecimal()).ToArray(),
            Reasons = decisions.Select(e => e.Decision.Reason).ToArray(),
            RecordedBy = decisions.Select(e => e.Decision.RecordedBy).ToArray(),
            Now = now,
        }));

        var openingLines = set.OpeningPositions.Count + set.OpeningArrears.Count + set.OpeningReceived.Count;
        var openingsAdded = await WriteOpenings(set, existing, ids);
        Count(IntakeFiles.Openings, openingLines, openingsAdded);

        // After every insert: receipts and write-offs of this import or before, dated by a cut-over.
        var absorbed = await OpeningAbsorption.Run(connection, transaction, ct);
        return new ImportReport(counts.Where(c => c.Value != (0, 0)).ToDictionary(), absorbed);
    }

    /// <summary>The positions not imported before, their journal entries against <c>cutover</c>, their arrears and receipts.</summary>
    private async Task<int> WriteOpenings(IntakeSet set, ExistingState existing, Dictionary<string, long> ids)
    {
        var fresh = set.OpeningPositions.Where(o => !existing.Openings.ContainsKey(o.Household)).ToList();
        var created = (await connection.QueryAsync<long>(Command(InsertOpenings, new
        {
            HouseholdIds = fresh.Select(o => ids[o.Household]).ToArray(),
            Cutovers = fresh.Select(o => o.Position.CutoverOn).ToArray(),
            Throughs = fresh.Select(o => o.Position.UnburdenedThrough.OnDayOfMonth(1)).ToArray(),
            Balances = fresh.Select(o => o.Position.Balance.ToDecimal()).ToArray(),
            Credits = fresh.Select(o => o.Position.CreditOutstanding.ToDecimal()).ToArray(),
            User = user,
            Now = now,
        }))).ToHashSet();

        var postings = fresh.Where(o => created.Contains(ids[o.Household]))
            .Select(o => (Entry: Postings.Opening(o.Household, o.Position.CutoverOn, o.Position.Balance, o.Position.CreditOutstanding), o.Household))
            .Where(p => p.Entry is not null)
            .Select(p => (p.Entry!, new Ledger.Posting($"opening:{p.Household}", user, now, ids[p.Household])))
            .ToList();
        await Ledger.BulkLedgerWriter.PostMany(connection, transaction, postings, ct);

        var arrears = set.OpeningArrears;
        var arrearsAdded = await Execute(InsertOpeningArrears, new
        {
            HouseholdIds = arrears.Select(a => ids[a.Household]).ToArray(),
            Kinds = arrears.Select(a => a.Kind.Code()).ToArray(),
            Ibans = arrears.Select(a => a.CreditorIban.Value).ToArray(),
            Amounts = arrears.Select(a => a.Amount.ToDecimal()).ToArray(),
            DueDates = arrears.Select(a => a.DueDate).ToArray(),
            Attempts = arrears.Select(a => (short)a.Attempt).ToArray(),
        });

        var received = set.OpeningReceived.Select(r => r.Receipt).ToList();
        var receivedAdded = await Execute(InsertOpeningReceipts, new
        {
            HouseholdIds = received.Select(r => ids[r.Household]).ToArray(),
            Kinds = received.Select(r => r.Kind.Code()).ToArray(),
            Amounts = received.Select(r => r.Amount.ToDecimal()).ToArray(),
            ReceivedOn = received.Select(r => r.ReceivedOn).ToArray(),
            CoversFrom = received.Select(r => r.CoversFrom.OnDayOfMonth(1)).ToArray(),
            CoversTo = received.Select(r => r.CoversTo.OnDayOfMonth(1)).ToArray(),
            References = received.Select(r => r.Reference).ToArray(),
            Routed = received.Select(r => IsRouted(set, existing, r)).ToArray(),
        });
        return created.Count + arrearsAdded + receivedAdded;
    }

    /// <summary>A receipt follows its income stream: not routed when the household is paid directly. Without a stream it came in on our account.</summary>
    private static bool IsRouted(IntakeSet set, ExistingState existing, ReceiptRow receipt)
    {
        var inFile = set.Incomes.Where(i => i.Household == receipt.Household && i.Kind == receipt.Kind).Select(i => (bool?)i.Routed).FirstOrDefault();
        return inFile ?? (existing.Households.TryGetValue(receipt.Household, out var h) ? h.Streams.Where(s => s.Kind == receipt.Kind).Select(s => (bool?)s.Routed).FirstOrDefault() : null) ?? true;
    }

    private void Count(string file, int rows, int added) => counts[file] = (added, rows - added);

    private Task<int> Execute(string sql, object parameters) => connection.ExecuteAsync(Command(sql, parameters));

    private CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: ct);
}

/// <summary>The decisions-table parameters of a decision, shared by intake and the caseworker's commands.</summary>
public static class DecisionParameters
{
    public static object For(long householdId, Decision decision, Instant now) => new
    {
        HouseholdId = householdId,
        Kind = decision.Kind.Code(),
        DecidedOn = decision.Date,
        Months = (short?)decision.Months,
        decision.LastDay,
        Score = (short?)decision.Score,
        Amount = decision.Amount?.ToDecimal(),
        decision.Reason,
        decision.RecordedBy,
        Now = now,
    };

}
