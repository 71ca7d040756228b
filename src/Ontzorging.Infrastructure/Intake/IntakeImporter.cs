using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>What an import added, per file; rows already present are counted as unchanged.</summary>
public sealed record ImportReport(IReadOnlyDictionary<string, (int Added, int Unchanged)> Files)
{
    public int Added => Files.Values.Sum(f => f.Added);
}

/// <summary>
/// <c>ontzorging import DIR</c>: reads the intake files, checks each row, then the rows against
/// each other and against what the database already holds, and writes everything in one
/// transaction — or, with any error, nothing (<see cref="InputRejectedException"/>). Importing
/// the same files again adds nothing; a row that contradicts an imported one is an error.
/// </summary>
public sealed class IntakeImporter(NpgsqlDataSource dataSource, IClock clock, Policy policy)
{
    public async Task<ImportReport> Import(string directory, string user, CancellationToken cancellationToken = default)
    {
        var errors = new List<InputError>();
        var set = IntakeFiles.Read(directory, user, errors);

        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        // One import at a time: the checks below read what the writes then rely on.
        await connection.ExecuteAsync(new CommandDefinition("SELECT pg_advisory_xact_lock(hashtext('ontzorging:intake'))", transaction: transaction, cancellationToken: cancellationToken));
        var existing = await ExistingState.Load(connection, transaction, cancellationToken);
        new IntakeChecks(set, existing, errors).Run();
        if (errors.Count > 0)
        {
            throw new InputRejectedException(errors.OrderBy(e => IntakeFiles.All.ToList().IndexOf(e.File)).ThenBy(e => e.Line).ToList());
        }

        var writer = new IntakeWriter(connection, transaction, clock.GetCurrentInstant(), policy, cancellationToken);
        var report = await writer.Write(set, existing);
        await transaction.CommitAsync(cancellationToken);
        return report;
    }
}

/// <summary>What the database already holds, as far as the checks need it.</summary>
internal sealed class ExistingState
{
    public Dictionary<string, ExistingHousehold> Households { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, ExistingPerson> PersonsByBsn { get; } = new(StringComparer.Ordinal);

    public List<ExistingVersion> Versions { get; } = [];

    public Dictionary<(string Household, string Kind, LocalDate From), ExistingIncome> Incomes { get; } = [];

    public static async Task<ExistingState> Load(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        var state = new ExistingState();
        foreach (var h in await connection.QueryAsync<ExistingHousehold>(new CommandDefinition(
            "SELECT id, reference, municipality, bijstand_start AS BijstandStart, adults, children, iban, leefgeld_frequency AS Frequency, language FROM households",
            transaction: transaction, cancellationToken: ct)))
        {
            state.Households[h.Reference] = h;
        }

        foreach (var p in await connection.QueryAsync<ExistingPerson>(new CommandDefinition(
            "SELECT h.reference AS Household, p.bsn, p.name, p.date_of_birth AS DateOfBirth, p.role FROM persons p JOIN households h ON h.id = p.household_id",
            transaction: transaction, cancellationToken: ct)))
        {
            state.PersonsByBsn[p.Bsn] = p;
        }

        state.Versions.AddRange(await connection.QueryAsync<ExistingVersion>(new CommandDefinition(
            """
            SELECT h.reference AS Household, c.kind, c.creditor_iban AS CreditorIban, v.creditor_name AS CreditorName, v.amount, v.due_day AS DueDay,
                   v.reference, v.valid_from AS ValidFrom, v.valid_to AS ValidTo, v.consent_on AS ConsentOn
              FROM contract_versions v JOIN contracts c ON c.id = v.contract_id JOIN households h ON h.id = c.household_id
            """,
            transaction: transaction, cancellationToken: ct)));

        foreach (var i in await connection.QueryAsync<ExistingIncome>(new CommandDefinition(
            """
            SELECT h.reference AS Household, i.kind, i.amount, i.from_month AS FromMonth, i.to_month AS ToMonth, i.routed, i.applied_on AS AppliedOn
              FROM income_streams i JOIN households h ON h.id = i.household_id
            """,
            transaction: transaction, cancellationToken: ct)))
        {
            state.Incomes[(i.Household, i.Kind, i.FromMonth)] = i;
        }

        return state;
    }
}

internal sealed class ExistingHousehold
{
    public long Id { get; set; }

    public string Reference { get; set; } = "";

    public string Municipality { get; set; } = "";

    public LocalDate BijstandStart { get; set; }

    public short Adults { get; set; }

    public short Children { get; set; }

    public string Iban { get; set; } = "";

    public string Frequency { get; set; } = "";

    public string? Language { get; set; }
}

internal sealed class ExistingPerson
{
    public string Household { get; set; } = "";

    public string Bsn { get; set; } = "";

    public string Name { get; set; } = "";

    public LocalDate DateOfBirth { get; set; }

    public string Role { get; set; } = "";
}

internal sealed class ExistingVersion
{
    public string Household { get; set; } = "";

    public string Kind { get; set; } = "";

    public string CreditorIban { get; set; } = "";

    public string CreditorName { get; set; } = "";

    public decimal Amount { get; set; }

    public short DueDay { get; set; }

    public string? Reference { get; set; }

    public LocalDate ValidFrom { get; set; }

    public LocalDate? ValidTo { get; set; }

    public LocalDate? ConsentOn { get; set; }

    public bool SameAs(ContractRow row) =>
        CreditorName == row.CreditorName && Amount == row.Amount.ToDecimal() && DueDay == row.DueDay && Reference == row.Reference?.Value
        && ValidTo == row.ValidTo && ConsentOn == row.ConsentOn;
}

internal sealed class ExistingIncome
{
    public string Household { get; set; } = "";

    public string Kind { get; set; } = "";

    public decimal Amount { get; set; }

    public LocalDate FromMonth { get; set; }

    public LocalDate? ToMonth { get; set; }

    public bool Routed { get; set; }

    public LocalDate? AppliedOn { get; set; }

    public bool SameAs(IncomeRow row) =>
        Amount == row.Amount.ToDecimal() && ToMonth == row.To?.OnDayOfMonth(1) && Routed == row.Routed && AppliedOn == row.AppliedOn;
}

/// <summary>The checks between files, and between the files and the database.</summary>
internal sealed class IntakeChecks(IntakeSet set, ExistingState existing, List<InputError> errors)
{
    public void Run()
    {
        CheckHouseholds();
        CheckReferences();
        CheckPersons();
        CheckContracts();
        CheckIncomes();
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
                (known.Municipality != row.Municipality || known.BijstandStart != row.BijstandStart || known.Adults != row.Adults
                 || known.Children != row.Children || known.Iban != row.Iban.Value || known.Frequency != Frequency(row) || known.Language != row.Language))
            {
                Add(IntakeFiles.Households, row.Line, "household_ref", $"{row.Reference} was imported before with other values; record changes as decisions, not by re-importing");
            }

            var hasBijstand = set.Incomes.Any(i => i.Household == row.Reference && i.Kind == IncomeKind.Bijstand)
                || existing.Incomes.Keys.Any(k => k.Household == row.Reference && k.Kind == "bijstand");
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
                .Select(r => (Reference: r, Adults: (int)existing.Households[r].Adults, Children: (int)existing.Households[r].Children, File: IntakeFiles.Persons,
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
        var groups = set.Contracts.GroupBy(c => (c.Household, Kind: c.Kind.Code(), Iban: c.CreditorIban.Value));
        foreach (var group in groups)
        {
            var imported = existing.Versions.Where(v => v.Household == group.Key.Household && v.Kind == group.Key.Kind && v.CreditorIban == group.Key.Iban).ToList();
            var ranges = imported.Select(v => (From: v.ValidFrom, To: v.ValidTo, Where: "an imported version")).ToList();
            foreach (var row in group.OrderBy(r => r.ValidFrom))
            {
                var same = imported.FirstOrDefault(v => v.ValidFrom == row.ValidFrom);
                if (same is not null)
                {
                    if (!same.SameAs(row))
                    {
                        Add(IntakeFiles.Contracts, row.Line, "valid_from", $"the {group.Key.Kind} version from {row.ValidFrom:yyyy-MM-dd} was imported before with other values; add a new version instead");
                    }

                    continue;
                }

                var overlap = ranges.FirstOrDefault(r => row.ValidFrom <= (r.To ?? LocalDate.MaxIsoValue) && r.From <= (row.ValidTo ?? LocalDate.MaxIsoValue));
                if (overlap != default)
                {
                    Add(IntakeFiles.Contracts, row.Line, "valid_from",
                        $"this {group.Key.Kind} version ({row.ValidFrom:yyyy-MM-dd}..{(row.ValidTo is { } to ? to.ToString("yyyy-MM-dd", null) : "open")}) overlaps {overlap.Where} valid {overlap.From:yyyy-MM-dd}..{(overlap.To is { } end ? end.ToString("yyyy-MM-dd", null) : "open")}");
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
            if (existing.Incomes.TryGetValue((row.Household, row.Kind.Code(), row.From.OnDayOfMonth(1)), out var known) && !known.SameAs(row))
            {
                Add(IntakeFiles.Incomes, row.Line, "from_month", $"{row.Kind.Code()} from {row.From:yyyy-MM} was imported before with other values");
            }
        }
    }

    private static string Frequency(HouseholdRow row) => row.Frequency.ToString().ToLowerInvariant();
}
