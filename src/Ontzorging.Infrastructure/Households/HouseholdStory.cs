using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;

namespace Ontzorging.Infrastructure.Households;

/// <summary>One installment, leefgeld or arrears payment as the household's page shows it.</summary>
public sealed record StoryPayment(string Kind, string Payee, Money Amount, LocalDate ExecutionDate, string Status, long BatchId, long Id);

/// <summary>Money that came in for the household in a month.</summary>
public sealed record StoryReceipt(string Kind, Money Amount, LocalDate ReceivedOn, bool Routed, long Id);

/// <summary>
/// One month of a household's money (the batch that paid it, docs/rules.md §6): what came in, what
/// was paid and to whom, credit drawn, repaid and outstanding, arrears and leefgeld.
/// </summary>
public sealed record StoryMonth(
    YearMonth Month,
    long BatchId,
    string BatchStatus,
    Money Bijstand,
    Money Receipts,
    Money MinimumLeefgeld,
    Money Leefgeld,
    Money InstallmentsPaid,
    Money CreditDrawn,
    Money CreditRepaid,
    Money CreditOutstanding,
    Money ArrearsOpen,
    Money KeptBack,
    IReadOnlyList<StoryPayment> Payments,
    IReadOnlyList<StoryReceipt> ReceiptsReceived)
{
    public bool LeefgeldBelowMinimum => Leefgeld < MinimumLeefgeld;
}

/// <summary>The household's page: its status on a day and its money story month by month.</summary>
public sealed record HouseholdStory(HouseholdStatus Status, IReadOnlyList<StoryMonth> Months, IReadOnlyList<DecisionRecord> Decisions);

/// <summary>A decision with what it decided, who recorded it (by name) and when; the page writes it in its own words.</summary>
public sealed record DecisionRecord(DecisionKind Kind, LocalDate Date, int? Months, LocalDate? LastDay, int? Score, Money? Amount, string RecordedBy, Instant RecordedAt, string? Reason, long Id);

public static class HouseholdStoryQueries
{
    private const string MonthsSql = """
        SELECT b.id AS BatchId, b.month, b.status, bh.bijstand, bh.receipts, bh.minimum_leefgeld AS MinimumLeefgeld, bh.leefgeld,
               bh.installments_paid AS InstallmentsPaid, bh.credit_drawn AS CreditDrawn, bh.credit_repaid AS CreditRepaid,
               bh.credit_outstanding AS CreditOutstanding, bh.arrears_open AS ArrearsOpen, bh.kept_back AS KeptBack
          FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id
         WHERE bh.household_id = @Id AND b.preparation_day <= @Today
         ORDER BY b.month
        """;

    private const string PaymentsSql = """
        SELECT p.id, p.batch_id AS BatchId, p.kind, p.payee_name AS Payee, p.amount, p.execution_date AS ExecutionDate,
               CASE WHEN p.status = 'open' AND b.exported_at IS NOT NULL THEN 'exported'
                    WHEN p.status = 'open' THEN 'batch_' || b.status
                    ELSE p.status END AS Status
          FROM payments p JOIN live_batches b ON b.id = p.batch_id
         WHERE p.household_id = @Id AND b.preparation_day <= @Today AND p.status <> 'cancelled'
         ORDER BY p.execution_date, p.id
        """;

    private const string ReceiptsSql = """
        SELECT id, kind, amount, received_on AS ReceivedOn, routed FROM receipts WHERE household_id = @Id AND received_on <= @Today ORDER BY received_on, id
        """;

    private const string DecisionsSql = """
        SELECT d.id, d.kind, d.decided_on AS Date, d.months, d.last_day AS LastDay, d.score, d.amount, coalesce(p.display_name, d.recorded_by) AS RecordedBy,
               d.recorded_at AS RecordedAt, d.reason
          FROM decisions d LEFT JOIN people p ON p.subject = d.recorded_by
         WHERE d.household_id = @Id ORDER BY d.decided_on, d.id
        """;

    public static async Task<(IReadOnlyList<StoryMonth> Months, IReadOnlyList<DecisionRecord> Decisions)> Load(NpgsqlConnection connection, long id, LocalDate today, CancellationToken ct)
    {
        // The four queries go to the server in one round trip.
        await using var results = await connection.QueryMultipleAsync(new CommandDefinition(
            string.Join(";\n", PaymentsSql, ReceiptsSql, MonthsSql, DecisionsSql), new { Id = id, Today = today }, cancellationToken: ct));
        var payments = (await results.ReadAsync<PaymentRow>()).ToLookup(p => p.BatchId);
        var receipts = (await results.ReadAsync<ReceiptRow>()).ToLookup(r => r.ReceivedOn.ToYearMonth());
        var months = (await results.ReadAsync<MonthRow>()).Select(m => new StoryMonth(
            m.Month.ToYearMonth(), m.BatchId, m.Status, E(m.Bijstand), E(m.Receipts), E(m.MinimumLeefgeld), E(m.Leefgeld), E(m.InstallmentsPaid),
            E(m.CreditDrawn), E(m.CreditRepaid), E(m.CreditOutstanding), E(m.ArrearsOpen), E(m.KeptBack),
            payments[m.BatchId].Select(p => new StoryPayment(p.Kind, p.Payee, E(p.Amount), p.ExecutionDate, p.Status, p.BatchId, p.Id)).ToList(),
            receipts[m.Month.ToYearMonth()].Select(r => new StoryReceipt(r.Kind, E(r.Amount), r.ReceivedOn, r.Routed, r.Id)).ToList())).ToList();
        var decisions = (await results.ReadAsync<DecisionRow>()).Select(d => new DecisionRecord(Domain.Households.DecisionKinds.Parse(d.Kind)!.Value, d.Date,
            d.Months, d.LastDay, d.Score, d.Amount is { } amount ? E(amount) : null, d.RecordedBy, d.RecordedAt, d.Reason, d.Id)).ToList();
        return (months, decisions);
    }

    private static Money E(decimal amount) => Money.FromEuros(amount);

    private sealed class MonthRow
    {
        public long BatchId { get; set; }

        public LocalDate Month { get; set; }

        public string Status { get; set; } = "";

        public decimal Bijstand { get; set; }

        public decimal Receipts { get; set; }

        public decimal MinimumLeefgeld { get; set; }

        public decimal Leefgeld { get; set; }

        public decimal InstallmentsPaid { get; set; }

        public decimal CreditDrawn { get; set; }

        public decimal CreditRepaid { get; set; }

        public decimal CreditOutstanding { get; set; }

        public decimal ArrearsOpen { get; set; }

        public decimal KeptBack { get; set; }
    }

    private sealed class PaymentRow
    {
        public long Id { get; set; }

        public long BatchId { get; set; }

        public string Kind { get; set; } = "";

        public string Payee { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ExecutionDate { get; set; }

        public string Status { get; set; } = "";
    }

    private sealed class ReceiptRow
    {
        public long Id { get; set; }

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate ReceivedOn { get; set; }

        public bool Routed { get; set; }
    }

    private sealed class DecisionRow
    {
        public long Id { get; set; }

        public string Kind { get; set; } = "";

        public LocalDate Date { get; set; }

        public int? Months { get; set; }

        public LocalDate? LastDay { get; set; }

        public int? Score { get; set; }

        public decimal? Amount { get; set; }

        public string RecordedBy { get; set; } = "";

        public Instant RecordedAt { get; set; }

        public string? Reason { get; set; }
    }
}
