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
internal sealed class IntakeWriter(NpgsqlConnection connection, NpgsqlTransaction transaction, Instant now, Policy policy, CancellationToken ct)
{
    private const string InsertHousehold = """
        INSERT INTO households (reference, municipality, bijstand_start, adults, children, iban, leefgeld_frequency, language, created_at)
        VALUES (@Reference, @Municipality, @BijstandStart, @Adults, @Children, @Iban, @Frequency, @Language, @Now)
        ON CONFLICT ON CONSTRAINT uq_households_reference DO NOTHING
        RETURNING id
        """;

    private const string InsertAccount = """
        INSERT INTO ledger_accounts (code, type, household_id, cap) VALUES (@Code, @Type, @HouseholdId, @Cap)
        ON CONFLICT ON CONSTRAINT pk_ledger_accounts DO NOTHING
        """;

    private const string InsertPerson = """
        INSERT INTO persons (household_id, bsn, name, date_of_birth, role) VALUES (@HouseholdId, @Bsn, @Name, @DateOfBirth, @Role)
        ON CONFLICT ON CONSTRAINT uq_persons_bsn DO NOTHING
        """;

    // DO UPDATE (to the same value) so that RETURNING yields the id of an existing contract too.
    private const string UpsertContract = """
        INSERT INTO contracts (household_id, kind, creditor_iban) VALUES (@HouseholdId, @Kind, @CreditorIban)
        ON CONFLICT ON CONSTRAINT uq_contracts_natural DO UPDATE SET kind = EXCLUDED.kind
        RETURNING id
        """;

    private const string InsertVersion = """
        INSERT INTO contract_versions (contract_id, creditor_name, amount, due_day, reference, valid_from, valid_to, consent_on)
        VALUES (@ContractId, @CreditorName, @Amount, @DueDay, @Reference, @ValidFrom, @ValidTo, @ConsentOn)
        ON CONFLICT ON CONSTRAINT uq_contract_versions_natural DO NOTHING
        """;

    private const string InsertIncome = """
        INSERT INTO income_streams (household_id, kind, amount, from_month, to_month, routed, applied_on)
        VALUES (@HouseholdId, @Kind, @Amount, @FromMonth, @ToMonth, @Routed, @AppliedOn)
        ON CONFLICT ON CONSTRAINT uq_income_streams_natural DO NOTHING
        """;

    private const string InsertReceipt = """
        INSERT INTO receipts (household_id, kind, amount, received_on, covers_from, covers_to, reference, routed, source)
        VALUES (@HouseholdId, @Kind, @Amount, @ReceivedOn, @CoversFrom, @CoversTo, @Reference, @Routed, 'intake')
        ON CONFLICT DO NOTHING
        """;

    private const string InsertDecision = """
        INSERT INTO decisions (household_id, kind, decided_on, months, last_day, score, amount, reason, recorded_by, recorded_at)
        VALUES (@HouseholdId, @Kind, @DecidedOn, @Months, @LastDay, @Score, @Amount, @Reason, @RecordedBy, @Now)
        ON CONFLICT DO NOTHING
        """;

    private readonly Dictionary<string, (int Added, int Unchanged)> counts = IntakeFiles.All.ToDictionary(f => f, _ => (0, 0));

    public async Task<ImportReport> Write(IntakeSet set, ExistingState existing)
    {
        var ids = existing.Households.ToDictionary(h => h.Key, h => h.Value.Id, StringComparer.Ordinal);
        foreach (var h in set.Households)
        {
            var id = await connection.QuerySingleOrDefaultAsync<long?>(Command(InsertHousehold, new
            {
                h.Reference, h.Municipality, h.BijstandStart, Adults = (short)h.Adults, Children = (short)h.Children, Iban = h.Iban.Value,
                Frequency = h.Frequency == LeefgeldFrequency.Weekly ? "weekly" : "monthly", h.Language, Now = now,
            }));
            Count(IntakeFiles.Households, id is not null);
            if (id is { } newId)
            {
                ids[h.Reference] = newId;
                await Execute(InsertAccount, new { Code = Accounts.Household(h.Reference), Type = "liability", HouseholdId = newId, Cap = (decimal?)null });
                await Execute(InsertAccount, new { Code = Accounts.Credit(h.Reference), Type = "asset", HouseholdId = newId, Cap = (decimal?)policy.CreditCap(h.Adults + h.Children).ToDecimal() });
            }
        }

        foreach (var p in set.Persons)
        {
            Count(IntakeFiles.Persons, await Execute(InsertPerson, new { HouseholdId = ids[p.Household], Bsn = p.Bsn.Value, p.Name, p.DateOfBirth, p.Role }) > 0);
        }

        foreach (var c in set.Contracts)
        {
            var contractId = await connection.QuerySingleAsync<long>(Command(UpsertContract, new { HouseholdId = ids[c.Household], Kind = c.Kind.Code(), CreditorIban = c.CreditorIban.Value }));
            Count(IntakeFiles.Contracts, await Execute(InsertVersion, new
            {
                ContractId = contractId, c.CreditorName, Amount = c.Amount.ToDecimal(), DueDay = (short)c.DueDay, Reference = c.Reference?.Value,
                c.ValidFrom, c.ValidTo, c.ConsentOn,
            }) > 0);
        }

        foreach (var i in set.Incomes)
        {
            Count(IntakeFiles.Incomes, await Execute(InsertIncome, new
            {
                HouseholdId = ids[i.Household], Kind = i.Kind.Code(), Amount = i.Amount.ToDecimal(), FromMonth = i.From.OnDayOfMonth(1),
                ToMonth = i.To?.OnDayOfMonth(1), i.Routed, i.AppliedOn,
            }) > 0);
        }

        foreach (var r in set.Receipts)
        {
            Count(IntakeFiles.Receipts, await Execute(InsertReceipt, new
            {
                HouseholdId = ids[r.Household], Kind = r.Kind.Code(), Amount = r.Amount.ToDecimal(), r.ReceivedOn,
                CoversFrom = r.CoversFrom.OnDayOfMonth(1), CoversTo = r.CoversTo.OnDayOfMonth(1), r.Reference, Routed = IsRouted(set, existing, r),
            }) > 0);
        }

        foreach (var e in set.Events)
        {
            Count(IntakeFiles.Events, await Execute(InsertDecision, DecisionParameters.For(ids[e.Household], e.Decision, now)) > 0);
        }

        return new ImportReport(counts.Where(c => c.Value != (0, 0)).ToDictionary());
    }

    /// <summary>A receipt follows its income stream: not routed when the household is paid directly. Without a stream it came in on our account.</summary>
    private static bool IsRouted(IntakeSet set, ExistingState existing, ReceiptRow receipt)
    {
        var inFile = set.Incomes.Where(i => i.Household == receipt.Household && i.Kind == receipt.Kind).Select(i => (bool?)i.Routed).FirstOrDefault();
        return inFile ?? (existing.Households.TryGetValue(receipt.Household, out var h) ? h.Streams.Where(s => s.Kind == receipt.Kind).Select(s => (bool?)s.Routed).FirstOrDefault() : null) ?? true;
    }

    private void Count(string file, bool added)
    {
        var (a, u) = counts[file];
        counts[file] = added ? (a + 1, u) : (a, u + 1);
    }

    private Task<int> Execute(string sql, object parameters) => connection.ExecuteAsync(Command(sql, parameters));

    private CommandDefinition Command(string sql, object parameters) => new(sql, parameters, transaction, cancellationToken: ct);
}

/// <summary>The decisions-table parameters of a decision, shared by intake and the caseworker's commands.</summary>
public static class DecisionParameters
{
    public static object For(long householdId, Decision decision, Instant now) => new
    {
        HouseholdId = householdId,
        Kind = Code(decision.Kind),
        DecidedOn = decision.Date,
        Months = (short?)decision.Months,
        decision.LastDay,
        Score = (short?)decision.Score,
        Amount = decision.Amount?.ToDecimal(),
        decision.Reason,
        decision.RecordedBy,
        Now = now,
    };

    public static string Code(DecisionKind kind) => kind switch
    {
        DecisionKind.Extension => "extension",
        DecisionKind.BijstandEnd => "bijstand_end",
        DecisionKind.OptOut => "opt_out",
        DecisionKind.ZrmScore => "zrm_score",
        DecisionKind.TrainingCompleted => "training_completed",
        DecisionKind.WriteOff => "write_off",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "not stored as a decision"),
    };

    public static DecisionKind Parse(string code) => code switch
    {
        "extension" => DecisionKind.Extension,
        "bijstand_end" => DecisionKind.BijstandEnd,
        "opt_out" => DecisionKind.OptOut,
        "zrm_score" => DecisionKind.ZrmScore,
        "training_completed" => DecisionKind.TrainingCompleted,
        "write_off" => DecisionKind.WriteOff,
        _ => throw new ArgumentOutOfRangeException(nameof(code), code, "unknown decision kind"),
    };
}
