using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>
/// What the batch page compares (migration 0026), gathered from the payments as the preparer writes
/// them: per household its sum and the accounts it pays, per kind and execution
/// date the count and sum, per creditor account and name the households and sum. The page then reads
/// these few rows instead of both months' payments. The migration computes the same for the batches
/// prepared before it, so the definitions live in both places; BatchReviewTests holds them to each other.
/// </summary>
internal sealed class BatchComparisonSummary
{
    private readonly Dictionary<(string Kind, LocalDate Date), (int Payments, Money Amount)> totals = [];
    private readonly Dictionary<(string Iban, string Name), Payee> payees = [];

    private const string InsertTotals = """
        INSERT INTO batch_totals (batch_id, kind, execution_date, payments, amount)
        SELECT @BatchId, * FROM unnest(@Kinds::text[], @Dates::date[], @Payments::integer[], @Amounts::numeric[])
        """;

    private const string InsertPayees = """
        INSERT INTO batch_payees (batch_id, payee_iban, payee_name, kind, households, amount)
        SELECT @BatchId, * FROM unnest(@Ibans::text[], @Names::text[], @Kinds::text[], @Households::integer[], @Amounts::numeric[])
        """;

    /// <summary>
    /// A household's sum, and its distinct "kind iban" pairs sorted by code point: when each of this
    /// month's pairs is among last month's, no account of the household changed.
    /// </summary>
    public static (Money Paid, string[] Accounts) Household(IReadOnlyCollection<PlannedPayment> payments) =>
        (Money.Sum(payments.Select(p => p.Amount)), payments.Select(p => $"{p.KindCode} {p.PayeeIban.Value}").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToArray());

    /// <summary>Counts a household's payments into the batch's totals and creditors.</summary>
    public void Add(long householdId, IEnumerable<PlannedPayment> payments)
    {
        foreach (var payment in payments)
        {
            var key = (payment.KindCode, payment.ExecutionDate);
            var (count, amount) = totals.GetValueOrDefault(key);
            totals[key] = (count + 1, amount + payment.Amount);
            if (payment.Kind == PaymentKind.Leefgeld)
            {
                continue;
            }

            if (!payees.TryGetValue((payment.PayeeIban.Value, payment.PayeeName), out var payee))
            {
                payees[(payment.PayeeIban.Value, payment.PayeeName)] = payee = new Payee(payment.KindCode);
            }

            payee.Add(householdId, payment.KindCode, payment.Amount);
        }
    }

    /// <summary>Writes the batch's totals and creditors (its households carry their own in their row).</summary>
    public async Task Write(NpgsqlConnection connection, NpgsqlTransaction transaction, long batchId, CancellationToken ct)
    {
        var t = totals.ToList();
        await connection.ExecuteAsync(new CommandDefinition(InsertTotals, new
        {
            BatchId = batchId,
            Kinds = t.Select(x => x.Key.Kind).ToArray(),
            Dates = t.Select(x => x.Key.Date).ToArray(),
            Payments = t.Select(x => x.Value.Payments).ToArray(),
            Amounts = t.Select(x => x.Value.Amount.ToDecimal()).ToArray(),
        }, transaction, cancellationToken: ct));
        var p = payees.ToList();
        await connection.ExecuteAsync(new CommandDefinition(InsertPayees, new
        {
            BatchId = batchId,
            Ibans = p.Select(x => x.Key.Iban).ToArray(),
            Names = p.Select(x => x.Key.Name).ToArray(),
            Kinds = p.Select(x => x.Value.Kind).ToArray(),
            Households = p.Select(x => x.Value.Households.Count).ToArray(),
            Amounts = p.Select(x => x.Value.Amount.ToDecimal()).ToArray(),
        }, transaction, cancellationToken: ct));
    }

    /// <summary>A creditor account under one name: the first of its kinds by code point, its households and its sum.</summary>
    private sealed class Payee(string kind)
    {
        public string Kind { get; private set; } = kind;

        public HashSet<long> Households { get; } = [];

        public Money Amount { get; private set; } = Money.Zero;

        public void Add(long household, string kind, Money amount)
        {
            Households.Add(household);
            Amount += amount;
            if (string.CompareOrdinal(kind, Kind) < 0)
            {
                Kind = kind;
            }
        }
    }
}
