using CsvHelper;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Simulation;

/// <summary>Writes monthly.csv, payments.csv and readiness.csv (docs/rules.md §12) from what the database holds.</summary>
public static class SimulationOutput
{
    public const string Monthly = "monthly.csv";
    public const string Payments = "payments.csv";
    public const string Readiness = "readiness.csv";

    private const string MonthlySql = """
        SELECT h.reference AS Household, b.month AS Month, bh.bijstand, bh.receipts, bh.credit_drawn AS CreditDrawn, bh.installments_paid AS InstallmentsPaid,
               bh.arrears_open AS ArrearsOpen, bh.leefgeld, bh.credit_repaid AS CreditRepaid, bh.credit_outstanding AS CreditOutstanding
          FROM batch_households bh JOIN live_batches b ON b.id = bh.batch_id JOIN households h ON h.id = bh.household_id
         ORDER BY h.reference, b.month
        """;

    private const string PaymentsSql = """
        SELECT h.reference AS Household, b.month AS Month, p.kind, p.payee_iban AS Iban, p.amount, p.due_date AS DueDate, p.execution_date AS ExecutionDate,
               p.end_to_end_id AS EndToEndId
          FROM payments p JOIN live_batches b ON b.id = p.batch_id JOIN households h ON h.id = p.household_id
         ORDER BY h.reference, b.month, p.execution_date, p.contract_id NULLS LAST, p.id
        """;

    private const string ReadinessSql = """
        SELECT h.reference AS Household, r.evaluated_on AS EvaluatedOn, r.verdict, r.unmet
          FROM readiness_evaluations r JOIN households h ON h.id = r.household_id
         ORDER BY h.reference, r.evaluated_on
        """;

    public static async Task Write(NpgsqlConnection connection, string directory, CancellationToken ct)
    {
        Directory.CreateDirectory(directory);
        await CsvFiles.Write(Path.Combine(directory, Monthly),
            ["household_ref", "month", "bijstand", "receipts", "credit_drawn", "installments_paid", "arrears_open", "leefgeld", "credit_repaid", "credit_outstanding"],
            (await connection.QueryAsync<MonthlyRow>(new CommandDefinition(MonthlySql, cancellationToken: ct))).Select(r => new[]
            {
                r.Household, Formats.Text(r.Month.ToYearMonth()), Euros(r.Bijstand), Euros(r.Receipts), Euros(r.CreditDrawn), Euros(r.InstallmentsPaid),
                Euros(r.ArrearsOpen), Euros(r.Leefgeld), Euros(r.CreditRepaid), Euros(r.CreditOutstanding),
            }));
        await CsvFiles.Write(Path.Combine(directory, Payments),
            ["household_ref", "month", "kind", "iban", "amount", "due_date", "execution_date", "end_to_end_id"],
            (await connection.QueryAsync<PaymentRow>(new CommandDefinition(PaymentsSql, cancellationToken: ct))).Select(r => new[]
            {
                r.Household, Formats.Text(r.Month.ToYearMonth()), r.Kind, r.Iban, Euros(r.Amount), r.DueDate is { } due ? Formats.Text(due) : "",
                Formats.Text(r.ExecutionDate), r.EndToEndId,
            }));
        await CsvFiles.Write(Path.Combine(directory, Readiness),
            ["household_ref", "evaluated_on", "verdict", "unmet"],
            (await connection.QueryAsync<ReadinessRow>(new CommandDefinition(ReadinessSql, cancellationToken: ct))).Select(r => new[]
            {
                r.Household, Formats.Text(r.EvaluatedOn), r.Verdict, r.Unmet,
            }));
    }

    private static string Euros(decimal amount) => Money.FromEuros(amount).ToString();

    private sealed class MonthlyRow
    {
        public string Household { get; set; } = "";

        public LocalDate Month { get; set; }

        public decimal Bijstand { get; set; }

        public decimal Receipts { get; set; }

        public decimal CreditDrawn { get; set; }

        public decimal InstallmentsPaid { get; set; }

        public decimal ArrearsOpen { get; set; }

        public decimal Leefgeld { get; set; }

        public decimal CreditRepaid { get; set; }

        public decimal CreditOutstanding { get; set; }
    }

    private sealed class PaymentRow
    {
        public string Household { get; set; } = "";

        public LocalDate Month { get; set; }

        public string Kind { get; set; } = "";

        public string Iban { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate? DueDate { get; set; }

        public LocalDate ExecutionDate { get; set; }

        public string EndToEndId { get; set; } = "";
    }

    private sealed class ReadinessRow
    {
        public string Household { get; set; } = "";

        public LocalDate EvaluatedOn { get; set; }

        public string Verdict { get; set; } = "";

        public string Unmet { get; set; } = "";
    }
}
