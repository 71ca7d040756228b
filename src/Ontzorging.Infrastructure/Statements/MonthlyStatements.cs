using Dapper;
using Microsoft.Extensions.Configuration;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>A payment of the month as the household reads it: to whom (or to itself), what for, how much, when, with which reference.</summary>
/// <summary>A payment of the month; <see cref="Resend"/>: leefgeld the bank returned earlier, sent again.</summary>
public sealed record StatementPayment(string Kind, string Payee, Money Amount, LocalDate Date, string Reference, bool Resend = false);

public sealed record StatementReceipt(string Kind, Money Amount, LocalDate ReceivedOn);

/// <summary>Whom a household contacts, and how it complains (configured per municipality: <c>Ontzorging:Municipalities:GM0344</c>).</summary>
public sealed class MunicipalityContact
{
    public string Name { get; init; } = "";

    public string Phone { get; init; } = "";

    public string Email { get; init; } = "";

    /// <summary>Where to visit: the address and opening hours.</summary>
    public string Visit { get; init; } = "";

    /// <summary>How to complain: a web address or a postal address.</summary>
    public string Complaints { get; init; } = "";

    /// <summary>
    /// The municipality's own ombudsman, for one that has one (Awb 9:17; e.g. "de Ombudsman Metropool
    /// Amsterdam, www.ombudsmanmetropool.nl"): a complaint's decision names it as the next step.
    /// Empty: the Nationale ombudsman.
    /// </summary>
    public string Ombudsman { get; init; } = "";

    public bool IsComplete => new[] { Name, Phone, Email, Visit, Complaints }.All(v => !string.IsNullOrWhiteSpace(v));
}

/// <summary>Every configured municipality's contact, by municipality code (<c>Ontzorging:Municipalities</c>).</summary>
public sealed record MunicipalityContacts(IReadOnlyDictionary<string, MunicipalityContact> ByCode)
{
    public const string SectionName = "Ontzorging:Municipalities";

    /// <summary>From configuration; where it configures none, from municipalities.json beside the program (the sample municipalities).</summary>
    public static MunicipalityContacts From(IConfiguration configuration)
    {
        var configured = configuration.GetSection(SectionName).Get<Dictionary<string, MunicipalityContact>>();
        if (configured is { Count: > 0 })
        {
            return new(configured);
        }

        var file = Path.Combine(AppContext.BaseDirectory, "municipalities.json");
        var shipped = File.Exists(file) ? new ConfigurationBuilder().AddJsonFile(file).Build().GetSection(SectionName).Get<Dictionary<string, MunicipalityContact>>() : null;
        return new(shipped ?? []);
    }
}

/// <summary>
/// One household's statement for one month (docs/rules.md §17): the batch's own figures, the
/// receipts it took, and the next month from the forecast made with the batch's state.
/// </summary>
public sealed record MonthlyStatement(
    string Household,
    string Municipality,
    string Names,
    string? Language,
    string Account,
    YearMonth Month,
    long BatchId,
    Money Bijstand,
    IReadOnlyList<StatementReceipt> Receipts,
    IReadOnlyList<StatementPayment> Paid,
    IReadOnlyList<StatementPayment> Leefgeld,
    Money MinimumLeefgeld,
    Money CreditDrawn,
    Money CreditRepaid,
    Money CreditOutstanding,
    Money CreditCap,
    ForecastMonth? Next,
    MunicipalityContact Contact)
{
    public Money PaidTotal => Money.Sum(Paid.Select(p => p.Amount));

    public Money LeefgeldTotal => Money.Sum(Leefgeld.Select(p => p.Amount));

    /// <summary>This month's own leefgeld, without returned leefgeld sent again: what the minimum is compared with.</summary>
    public bool LeefgeldBelowMinimum => Money.Sum(Leefgeld.Where(p => !p.Resend).Select(p => p.Amount)) < MinimumLeefgeld;
}

/// <summary>Why no statement can be made for a month, said to the person who asked.</summary>
public sealed class StatementRefusedException(string message) : Exception(message);

/// <summary>
/// Reads the statements of a month from what its exported batch holds. Reads only: rendering one
/// is a view of personal data, recorded by whoever renders it.
/// </summary>
public sealed class MonthlyStatements(NpgsqlDataSource dataSource, Policy policy, MunicipalityContacts contacts)
{
    public const string MunicipalitiesSection = MunicipalityContacts.SectionName;

    private const int ChunkSize = 2_000;

    private const string BatchSql = """
        SELECT id, preparation_day AS PreparationDay, status FROM live_batches WHERE month = @Month ORDER BY id DESC LIMIT 1
        """;

    private const string HouseholdsSql = """
        SELECT h.id, h.reference, h.municipality, h.language, h.iban,
               coalesce((SELECT string_agg(p.name, ', ' ORDER BY p.date_of_birth, p.id) FROM persons p WHERE p.household_id = h.id AND p.role = 'adult'), '') AS Names,
               bh.bijstand, bh.minimum_leefgeld AS MinimumLeefgeld, bh.credit_drawn AS CreditDrawn, bh.credit_repaid AS CreditRepaid,
               bh.credit_outstanding AS CreditOutstanding, coalesce(c.cap, 0) AS Cap
          FROM batch_households bh
          JOIN households h ON h.id = bh.household_id
          LEFT JOIN ledger_accounts c ON c.household_id = h.id AND c.code LIKE 'credit:%'
         WHERE bh.batch_id = @Batch AND h.id BETWEEN @From AND @To AND (@Reference::text IS NULL OR h.reference = @Reference)
         ORDER BY h.id
        """;

    private const string PaymentsSql = """
        SELECT household_id AS HouseholdId, kind, payee_name AS Payee, amount, execution_date AS Date, coalesce(reference, end_to_end_id) AS Reference,
               resends_payment_id IS NOT NULL AS Resend
          FROM payments WHERE batch_id = @Batch AND household_id BETWEEN @From AND @To AND status <> 'cancelled'
         ORDER BY household_id, execution_date, contract_id NULLS LAST, id
        """;

    private const string ReceiptsSql = """
        SELECT household_id AS HouseholdId, kind, amount, received_on AS ReceivedOn
          FROM receipts WHERE batch_id = @Batch AND household_id BETWEEN @From AND @To ORDER BY household_id, received_on, id
        """;

    /// <summary>
    /// The statements of <paramref name="month"/> (one household's with <paramref name="reference"/>),
    /// chunk by chunk. Refused when the month has no exported batch, or a municipality has no
    /// complete contact to print on it.
    /// </summary>
    public async IAsyncEnumerable<IReadOnlyList<MonthlyStatement>> Read(YearMonth month, string? reference, MunicipalityScope? scope = null,
        [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var batch = await connection.QuerySingleOrDefaultAsync<(long Id, LocalDate PreparationDay, string Status)?>(new CommandDefinition(BatchSql,
            new { Month = month.OnDayOfMonth(1) }, cancellationToken: ct));
        if (batch is not { } found)
        {
            throw new StatementRefusedException($"--month {month:yyyy-MM}: no batch was prepared for {month:yyyy-MM}, so there is no statement for it");
        }

        if (found.Status is "draft" or "approved")
        {
            throw new StatementRefusedException($"--month {month:yyyy-MM}: the batch for {month:yyyy-MM} is {found.Status}, not exported yet; a statement is made once its payments have left");
        }

        var byCode = contacts.ByCode;
        var ids = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT bh.household_id FROM batch_households bh JOIN households h ON h.id = bh.household_id WHERE bh.batch_id = @Batch AND (@Reference::text IS NULL OR h.reference = @Reference) AND (@All OR h.municipality = ANY(@Codes)) ORDER BY 1",
            new { Batch = found.Id, Reference = reference, All = scope?.Codes is null, Codes = scope?.Codes?.ToArray() ?? [] }, cancellationToken: ct))).ToList();
        if (ids.Count == 0 && reference is not null)
        {
            throw new StatementRefusedException($"--household {reference}: no such household in the batch of {month:yyyy-MM}");
        }

        // Every municipality of the run has its contact, or nothing is printed.
        var municipalities = await connection.QueryAsync<string>(new CommandDefinition(
            "SELECT DISTINCT h.municipality FROM households h WHERE h.id = ANY(@Ids)", new { Ids = ids.ToArray() }, cancellationToken: ct));
        foreach (var code in municipalities)
        {
            if (!byCode.TryGetValue(code, out var contact) || !contact.IsComplete)
            {
                throw new StatementRefusedException($"{MunicipalitiesSection}:{code} is not configured completely (Name, Phone, Email, Visit, Complaints): a statement must say whom a household can contact and how to complain");
            }
        }

        foreach (var chunk in ids.Chunk(ChunkSize))
        {
            var range = new { Batch = found.Id, From = chunk[0], To = chunk[^1], Reference = reference };
            var households = (await connection.QueryAsync<HouseholdRow>(new CommandDefinition(HouseholdsSql, range, cancellationToken: ct))).ToList();
            var payments = (await connection.QueryAsync<PaymentRow>(new CommandDefinition(PaymentsSql, range, cancellationToken: ct))).ToLookup(p => p.HouseholdId);
            var receipts = (await connection.QueryAsync<(long HouseholdId, string Kind, decimal Amount, LocalDate ReceivedOn)>(new CommandDefinition(ReceiptsSql, range, cancellationToken: ct)))
                .ToLookup(r => r.HouseholdId, r => new StatementReceipt(r.Kind, Money.FromEuros(r.Amount), r.ReceivedOn));
            // What next month looks like: the forecast from the state this batch left.
            var starts = (await ForecastStarts.Load(connection, null, new HouseholdRange(chunk[0], chunk[^1]), found.PreparationDay, policy, ct))
                .ToDictionary(s => s.Household.Id, s => s.Start);
            var statements = new List<MonthlyStatement>(households.Count);
            foreach (var h in households.Where(h => chunk.Contains(h.Id)))
            {
                var contact = byCode[h.Municipality];
                ForecastMonth? next = null;
                if (starts.TryGetValue(h.Id, out var start) && Domain.SaneDates.Contains(start.BijstandStart))
                {
                    try
                    {
                        next = Forecaster.Project(start, ForecastScenario.Expected, policy).Months.FirstOrDefault(m => m.Month == month.PlusMonths(1) && m.Result.InBatch);
                    }
                    catch (Exception e) when (e is ArithmeticException or ArgumentException or InvalidOperationException)
                    {
                        // Data the intake should have refused: the statement says what happened, without a next month.
                        next = null;
                    }
                }

                var paid = payments[h.Id].ToList();
                StatementPayment Payment(PaymentRow p) => new(p.Kind, p.Payee, Money.FromEuros(p.Amount), p.Date, p.Reference, p.Resend);
                statements.Add(new MonthlyStatement(h.Reference, h.Municipality, h.Names, h.Language, h.Iban, month, found.Id, Money.FromEuros(h.Bijstand),
                    [.. receipts[h.Id]], paid.Where(p => p.Kind != "leefgeld").Select(Payment).ToList(), paid.Where(p => p.Kind == "leefgeld").Select(Payment).ToList(),
                    Money.FromEuros(h.MinimumLeefgeld), Money.FromEuros(h.CreditDrawn), Money.FromEuros(h.CreditRepaid), Money.FromEuros(h.CreditOutstanding),
                    Money.FromEuros(h.Cap), next, contact));
            }

            yield return statements;
        }
    }

    private sealed class HouseholdRow
    {
        public long Id { get; set; }

        public string Reference { get; set; } = "";

        public string Municipality { get; set; } = "";

        public string? Language { get; set; }

        public string Iban { get; set; } = "";

        public string Names { get; set; } = "";

        public decimal Bijstand { get; set; }

        public decimal MinimumLeefgeld { get; set; }

        public decimal CreditDrawn { get; set; }

        public decimal CreditRepaid { get; set; }

        public decimal CreditOutstanding { get; set; }

        public decimal Cap { get; set; }
    }

    private sealed class PaymentRow
    {
        public long HouseholdId { get; set; }

        public string Kind { get; set; } = "";

        public string Payee { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate Date { get; set; }

        public string Reference { get; set; } = "";

        public bool Resend { get; set; }
    }
}
