using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>What an import added, per file; rows already present are counted as unchanged.</summary>
/// <param name="InOpening">Receipts and write-offs dated on or before their household's cut-over, found by this import: recorded, never booked (docs/rules.md §20).</param>
public sealed record ImportReport(IReadOnlyDictionary<string, (int Added, int Unchanged)> Files, OpeningAbsorbed InOpening = default)
{
    public int Added => Files.Values.Sum(f => f.Added);
}

/// <summary>
/// <c>ontzorging import DIR</c>: reads the intake files, checks each row, then the rows against
/// each other and against what the database already holds, and writes everything in one
/// transaction — or, with any error, nothing (<see cref="InputRejectedException"/>). Importing
/// the same files again adds nothing; a row that contradicts an imported one is an error.
/// </summary>
public sealed class IntakeImporter(WriteDoor door, Policy policy)
{
    /// <summary>
    /// Use case: imports the intake files in <paramref name="directory"/> as <paramref name="actor"/>.
    /// Refused (<see cref="RefusalCode.InputRejected"/>, with every error's file, line and field:
    /// <see cref="InputRejectedException.ErrorsOf"/>) when any row is wrong; the refusal is recorded,
    /// and nothing else is written.
    /// </summary>
    public Task<Result<ImportReport>> Import(Actor actor, string directory, CancellationToken ct = default)
    {
        var folder = Path.GetFileName(Path.TrimEndingDirectorySeparator(directory));
        return door.Run(actor, AuditActions.IntakeImport, $"folder {folder}", async (scope, token) =>
        {
            var errors = new List<InputError>();
            var set = IntakeFiles.Read(directory, actor.Subject, errors);
            // One import at a time: the checks below read what the writes then rely on.
            await scope.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:intake'))", transaction: scope.Transaction, cancellationToken: token));
            var opened = set.OpeningPositions.Select(o => o.Household).Concat(set.OpeningArrears.Select(a => a.Household))
                .Concat(set.OpeningReceived.Select(r => r.Receipt.Household)).Distinct().ToArray();
            if (opened.Length > 0)
            {
                // What the checks read about the households must stay so until the positions are
                // written: no batch prepares and no bookkeeping books in between (the preparation's
                // order: the batch, then the bookkeeping).
                await scope.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:batch'))", transaction: scope.Transaction, commandTimeout: 0, cancellationToken: token));
                await scope.Connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(@Lock)", new { Lock = Ledger.DailyBookkeeping.BookkeepingLock }, scope.Transaction, commandTimeout: 0, cancellationToken: token));
            }
            var existing = await ExistingState.Load(scope.Connection, scope.Transaction, opened, token);
            new IntakeChecks(set, existing, errors, policy, Time.MunicipalTime.DateOf(scope.Now)).Run();
            if (errors.Count > 0)
            {
                throw new InputRejectedException(errors.OrderBy(e => IntakeFiles.All.ToList().IndexOf(e.File)).ThenBy(e => e.Line).ToList());
            }

            var report = await new IntakeWriter(scope.Connection, scope.Transaction, scope.Now, policy, actor.Subject, token).Write(set, existing);
            scope.NothingChanged = report.Added == 0 && report.InOpening.Total == 0;
            scope.After = new
            {
                Files = report.Files.ToDictionary(f => f.Key, f => new { f.Value.Added, AlreadyPresent = f.Value.Unchanged }),
                InOpening = new { report.InOpening.Receipts, report.InOpening.WriteOffs },
            };
            return report;
        }, ct);
    }
}

/// <summary>What the database already holds, as far as the checks need it.</summary>
internal sealed class ExistingState
{
    private const string PersonsSql = """
        SELECT h.reference AS Household, p.bsn, p.name, p.date_of_birth AS DateOfBirth, p.role FROM persons p JOIN households h ON h.id = p.household_id
        """;

    public Dictionary<string, HouseholdData> Households { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ExistingPerson> PersonsByBsn { get; } = new(StringComparer.Ordinal);

    /// <summary>Opening positions imported before, by household.</summary>
    public Dictionary<string, OpeningPosition> Openings { get; } = new(StringComparer.Ordinal);

    /// <summary>The arrears of those positions, to compare a repeated line with.</summary>
    public HashSet<OpeningArrearKey> OpeningArrears { get; } = [];

    /// <summary>The receipts of those positions, to compare a repeated line with.</summary>
    public HashSet<OpeningReceivedKey> OpeningReceipts { get; } = [];

    /// <summary>Households a live batch prepared, or whose ledger holds an entry: the engine already keeps their position.</summary>
    public Dictionary<string, string> KeptByEngine { get; } = new(StringComparer.Ordinal);

    /// <summary>The latest month a live batch was prepared for, with its batch.</summary>
    public (YearMonth Month, long Batch)? LatestLiveMonth { get; private set; }

    private const string OpeningsSql = """
        SELECT h.reference AS Household, o.cutover_on AS CutoverOn, o.unburdened_through AS Through, o.balance, o.credit_outstanding AS Credit
          FROM opening_positions o JOIN households h ON h.id = o.household_id
         WHERE h.reference = ANY(@References)
        """;

    private const string OpeningArrearsSql = """
        SELECT h.reference, a.kind, a.creditor_iban, a.amount, a.due_date, a.attempt::int
          FROM arrears a JOIN households h ON h.id = a.household_id WHERE a.raised_in_batch_id IS NULL AND h.reference = ANY(@References)
        """;

    private const string OpeningReceiptsSql = """
        SELECT h.reference, r.kind, r.amount, r.received_on, r.covers_from, r.covers_to, coalesce(r.reference, '')
          FROM receipts r JOIN households h ON h.id = r.household_id WHERE r.in_opening AND h.reference = ANY(@References)
        """;

    // Why the engine already keeps a household's position: a live batch prepared it, or its ledger moved.
    private const string KeptByEngineSql = """
        SELECT DISTINCT ON (h.reference) h.reference AS Household, 'the engine prepared it in batch ' || b.id || ' for ' || to_char(b.month, 'YYYY-MM') AS Why
          FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id JOIN households h ON h.id = bh.household_id
         WHERE h.reference = ANY(@References)
         ORDER BY h.reference, b.month
        """;

    // A write-off booked before the position (at 0.00, with no credit yet) would be lost under it.
    private const string BookedSql = """
        SELECT DISTINCT ON (Household) Household, Why FROM (
            SELECT h.reference AS Household, 'its ledger already holds entry ' || e.id || ' (' || e.kind || ' on ' || to_char(e.entry_date, 'YYYY-MM-DD') || ')' AS Why, 1 AS Rank, e.id AS Id
              FROM journal_entries e JOIN households h ON h.id = e.household_id
             WHERE e.kind <> 'opening' AND h.reference = ANY(@References)
            UNION ALL
            SELECT h.reference, 'its write-off of ' || to_char(d.decided_on, 'YYYY-MM-DD') || ' was booked before the position (import openings.csv with or before the events)', 2, w.decision_id
              FROM write_off_bookings w JOIN decisions d ON d.id = w.decision_id JOIN households h ON h.id = d.household_id
             WHERE NOT w.in_opening AND h.reference = ANY(@References)) kept
         ORDER BY Household, Rank, Id
        """;

    private const string LatestLiveSql = "SELECT month, id FROM live_batches ORDER BY month DESC LIMIT 1";

    /// <param name="opened">The households openings.csv names: what the engine holds of them is read only when there are any.</param>
    public static async Task<ExistingState> Load(NpgsqlConnection connection, NpgsqlTransaction transaction, string[] opened, CancellationToken ct)
    {
        var state = new ExistingState();
        CommandDefinition Command(string sql) => new(sql, new { References = opened }, transaction, cancellationToken: ct);
        if (opened.Length > 0)
        {
            await state.LoadOpenings(connection, Command);
        }

        foreach (var household in await HouseholdStore.Load(connection, transaction, HouseholdRange.All, ct))
        {
            state.Households[household.Reference] = household;
        }

        foreach (var p in await connection.QueryAsync<ExistingPerson>(new CommandDefinition(PersonsSql, transaction: transaction, cancellationToken: ct)))
        {
            state.PersonsByBsn[p.Bsn] = p;
        }

        return state;
    }

    private async Task LoadOpenings(NpgsqlConnection connection, Func<string, CommandDefinition> command)
    {
        foreach (var o in await connection.QueryAsync<(string Household, LocalDate CutoverOn, LocalDate Through, decimal Balance, decimal Credit)>(command(OpeningsSql)))
        {
            Openings[o.Household] = new OpeningPosition(o.CutoverOn, o.Through.ToYearMonth(), Money.FromEuros(o.Balance), Money.FromEuros(o.Credit));
        }

        OpeningArrears.UnionWith((await connection.QueryAsync<(string Household, string Kind, string Iban, decimal Amount, LocalDate Due, int Attempt)>(command(OpeningArrearsSql)))
            .Select(a => new OpeningArrearKey(a.Household, a.Kind, a.Iban, Money.FromEuros(a.Amount), a.Due, a.Attempt)));
        OpeningReceipts.UnionWith((await connection.QueryAsync<(string Household, string Kind, decimal Amount, LocalDate ReceivedOn, LocalDate From, LocalDate To, string Reference)>(
                command(OpeningReceiptsSql)))
            .Select(r => new OpeningReceivedKey(r.Household, r.Kind, Money.FromEuros(r.Amount), r.ReceivedOn, r.From.ToYearMonth(), r.To.ToYearMonth(), r.Reference)));
        foreach (var (household, why) in (await connection.QueryAsync<(string Household, string Why)>(command(KeptByEngineSql)))
                 .Concat(await connection.QueryAsync<(string Household, string Why)>(command(BookedSql))))
        {
            KeptByEngine.TryAdd(household, why);
        }

        if (await connection.QuerySingleOrDefaultAsync<(LocalDate Month, long Id)?>(command(LatestLiveSql)) is { } latest)
        {
            LatestLiveMonth = (latest.Month.ToYearMonth(), latest.Id);
        }
    }

    public bool HasIncome(string household, IncomeKind kind) =>
        Households.TryGetValue(household, out var h) && (kind == IncomeKind.Bijstand ? h.BijstandRates.Count > 0 : h.Streams.Any(s => s.Kind == kind));

    /// <summary>The imported income with the same key as <paramref name="row"/>, as a row to compare with.</summary>
    public IncomeRow? Income(IncomeRow row)
    {
        if (!Households.TryGetValue(row.Household, out var h))
        {
            return null;
        }

        return row.Kind == IncomeKind.Bijstand
            ? h.BijstandRates.Where(r => r.From == row.From).Select(r => row with { Amount = r.MonthlyAmount, To = r.To, Routed = true, AppliedOn = null }).FirstOrDefault()
            : h.Streams.Where(s => s.Kind == row.Kind && s.From == row.From).Select(s => row with { Amount = s.ExpectedAmount, To = s.To, Routed = s.Routed, AppliedOn = s.AppliedOn }).FirstOrDefault();
    }

    public IEnumerable<ContractVersion> Versions(string household, FixedCostKind kind, Iban creditor) =>
        Households.TryGetValue(household, out var h) ? h.Contracts.Where(c => c.Kind == kind && c.CreditorIban == creditor) : [];
}

internal sealed class ExistingPerson
{
    public string Household { get; set; } = "";

    public string Bsn { get; set; } = "";

    public string Name { get; set; } = "";

    public LocalDate DateOfBirth { get; set; }

    public string Role { get; set; } = "";
}

/// <summary>The checks between files, and between the files and the database.</summary>
internal sealed partial class IntakeChecks(IntakeSet set, ExistingState existing, List<InputError> errors, Policy policy, LocalDate today)
{
    public void Run()
    {
        CheckHouseholds();
        CheckReferences();
        CheckPersons();
        CheckContracts();
        CheckIncomes();
        CheckOpenings();
    }

    private void Add(string file, int line, string column, string message) => errors.Add(new InputError(file, line, column, message));

    private void CheckHouseholds()
    {
        foreach (var duplicate in set.Households.GroupBy(h => h.Reference).Where(g => g.Count() > 1))
        {
            Add(IntakeFiles.Households, duplicate.Skip(1).First().Line, "household_ref", $"{duplicate.Key} appears more than once");
        }

        foreach (var row in set.Households)
        {
            if (existing.Households.TryGetValue(row.Reference, out var known) &&
                (known.Municipality != row.Municipality || known.BijstandStart != row.BijstandStart || known.Profile.Adults != row.Adults
                 || known.Profile.Children != row.Children || known.Profile.Iban != row.Iban || known.Profile.Frequency != row.Frequency || known.Language != row.Language))
            {
                Add(IntakeFiles.Households, row.Line, "household_ref", $"{row.Reference} was imported before with other values; record changes as decisions, not by re-importing");
            }

            var hasBijstand = set.Incomes.Any(i => i.Household == row.Reference && i.Kind == IncomeKind.Bijstand)
                || existing.HasIncome(row.Reference, IncomeKind.Bijstand);
            if (!hasBijstand && !set.HouseholdsWithInvalidIncomes.Contains(row.Reference))
            {
                Add(IntakeFiles.Households, row.Line, "household_ref", $"{row.Reference} has no bijstand income in incomes.csv");
            }
        }
    }

    private void CheckReferences()
    {
        var known = set.Households.Select(h => h.Reference).Concat(existing.Households.Keys).Concat(set.RefusedHouseholds).ToHashSet(StringComparer.Ordinal);
        foreach (var (file, line, household) in set.References.Where(r => !known.Contains(r.Household)))
        {
            Add(file, line, "household_ref", $"unknown household '{household}' (not in households.csv nor imported before)");
        }
    }

    private void CheckPersons()
    {
        foreach (var duplicate in set.Persons.GroupBy(p => p.Bsn.Value).Where(g => g.Count() > 1))
        {
            Add(IntakeFiles.Persons, duplicate.Skip(1).First().Line, "bsn", $"BSN {duplicate.First().Bsn.Masked} appears more than once");
        }

        foreach (var row in set.Persons)
        {
            if (existing.PersonsByBsn.TryGetValue(row.Bsn.Value, out var known) &&
                (known.Household != row.Household || known.Name != row.Name || known.DateOfBirth != row.DateOfBirth || known.Role != row.Role))
            {
                Add(IntakeFiles.Persons, row.Line, "bsn", $"BSN {row.Bsn.Masked} was imported before with other values (household {known.Household})");
            }
        }

        var households = set.Households.Select(h => (h.Reference, h.Adults, h.Children, File: IntakeFiles.Households, h.Line))
            .Concat(set.Persons.Select(p => p.Household).Distinct().Where(existing.Households.ContainsKey).Where(r => set.Households.All(h => h.Reference != r))
                .Select(r => (Reference: r, existing.Households[r].Profile.Adults, existing.Households[r].Profile.Children, File: IntakeFiles.Persons,
                    set.Persons.First(p => p.Household == r).Line)));
        foreach (var (reference, adults, children, file, line) in households.Where(h => !set.HouseholdsWithInvalidPersons.Contains(h.Reference)))
        {
            var members = set.Persons.Where(p => p.Household == reference).Select(p => (p.Bsn.Value, p.Role))
                .Concat(existing.PersonsByBsn.Values.Where(p => p.Household == reference).Select(p => (p.Bsn, p.Role)))
                .Distinct().ToList();
            var listedAdults = members.Count(m => m.Role == "adult");
            var listedChildren = members.Count(m => m.Role == "child");
            if (listedAdults != adults)
            {
                Add(file, line, "adults", $"{reference} has {adults} adult(s) in households.csv but persons.csv lists {listedAdults}");
            }

            if (listedChildren != children)
            {
                Add(file, line, "children", $"{reference} has {children} child(ren) in households.csv but persons.csv lists {listedChildren}");
            }
        }
    }

    private void CheckContracts()
    {
        var groups = set.Contracts.GroupBy(c => (c.Household, c.Kind, c.CreditorIban));
        foreach (var group in groups)
        {
            var imported = existing.Versions(group.Key.Household, group.Key.Kind, group.Key.CreditorIban).ToList();
            var ranges = imported.Select(v => (From: v.ValidFrom, To: v.ValidTo, Where: "an imported version")).ToList();
            foreach (var row in group.OrderBy(r => r.ValidFrom))
            {
                var same = imported.FirstOrDefault(v => v.ValidFrom == row.ValidFrom);
                if (same is not null)
                {
                    if (same with { ContractId = 0 } != Version(row))
                    {
                        Add(IntakeFiles.Contracts, row.Line, "valid_from", $"the {group.Key.Kind.Code()} version from {row.ValidFrom:yyyy-MM-dd} was imported before with other values; add a new version instead");
                    }

                    continue;
                }

                var overlap = ranges.FirstOrDefault(r => row.ValidFrom <= (r.To ?? LocalDate.MaxIsoValue) && r.From <= (row.ValidTo ?? LocalDate.MaxIsoValue));
                if (overlap != default)
                {
                    Add(IntakeFiles.Contracts, row.Line, "valid_from",
                        $"this {group.Key.Kind.Code()} version ({row.ValidFrom:yyyy-MM-dd}..{(row.ValidTo is { } to ? to.ToString("yyyy-MM-dd", null) : "open")}) overlaps {overlap.Where} valid {overlap.From:yyyy-MM-dd}..{(overlap.To is { } end ? end.ToString("yyyy-MM-dd", null) : "open")}");
                }

                ranges.Add((row.ValidFrom, row.ValidTo, $"the version on line {row.Line}"));
            }
        }
    }

    private void CheckIncomes()
    {
        foreach (var duplicate in set.Incomes.GroupBy(i => (i.Household, i.Kind, i.From)).Where(g => g.Count() > 1))
        {
            Add(IntakeFiles.Incomes, duplicate.Skip(1).First().Line, "from_month", $"{duplicate.Key.Kind.Code()} from {duplicate.Key.From:yyyy-MM} appears more than once for {duplicate.Key.Household}");
        }

        foreach (var row in set.Incomes)
        {
            if (existing.Income(row) is { } known && known != row)
            {
                Add(IntakeFiles.Incomes, row.Line, "from_month", $"{row.Kind.Code()} from {row.From:yyyy-MM} was imported before with other values");
            }
        }
    }

    private static ContractVersion Version(ContractRow row) =>
        new(0, row.Kind, row.CreditorName, row.CreditorIban, row.Amount, row.DueDay, row.Reference, row.ValidFrom, row.ValidTo, row.ConsentOn);
}
