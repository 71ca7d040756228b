using Dapper;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.Batches;

public sealed record BatchSummary(long Id, LocalDate Month, string Status, int Households, int Payments, decimal Total, int Exceptions, decimal CreditDrawn,
    string PreparedBy, string? ApprovedBy);

public sealed record BatchTotal(string Key, int Payments, decimal Amount);

public sealed record BatchIssueView(string Household, string Kind, string Message);

public sealed record BatchDetail(BatchSummary Batch, IReadOnlyList<BatchTotal> ByKind, IReadOnlyList<BatchTotal> ByExecutionDate, IReadOnlyList<BatchIssueView> Exceptions,
    decimal CreditRepaid, decimal Bijstand, IReadOnlyList<string> Exports, IReadOnlyList<string>? StatusReports = null);

/// <summary>The finance officer's views of batches.</summary>
public sealed class BatchQueries(NpgsqlDataSource dataSource)
{
    private const string SummarySql = """
        SELECT b.id, b.month, b.status,
               (SELECT count(*) FROM batch_households bh WHERE bh.batch_id = b.id)::int AS Households,
               (SELECT count(*) FROM payments p WHERE p.batch_id = b.id AND p.status <> 'cancelled')::int AS Payments,
               (SELECT coalesce(sum(amount), 0) FROM payments p WHERE p.batch_id = b.id AND p.status <> 'cancelled') AS Total,
               (SELECT count(*) FROM batch_issues i WHERE i.batch_id = b.id)::int AS Exceptions,
               (SELECT coalesce(sum(credit_drawn), 0) FROM batch_households bh WHERE bh.batch_id = b.id) AS CreditDrawn,
               b.prepared_by AS PreparedBy, b.approved_by AS ApprovedBy
          FROM batches b
        """;

    public async Task<IReadOnlyList<BatchSummary>> List(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<BatchSummary>(new CommandDefinition(SummarySql + " ORDER BY b.month DESC, b.id DESC", cancellationToken: ct))).ToList();
    }

    public async Task<BatchDetail?> Show(long id, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        CommandDefinition Command(string sql) => new(sql, new { Id = id }, cancellationToken: ct);
        var batch = await connection.QuerySingleOrDefaultAsync<BatchSummary>(Command(SummarySql + " WHERE b.id = @Id"));
        if (batch is null)
        {
            return null;
        }

        var byKind = await connection.QueryAsync<BatchTotal>(Command(
            "SELECT kind AS Key, count(*)::int AS Payments, sum(amount) AS Amount FROM payments WHERE batch_id = @Id AND status <> 'cancelled' GROUP BY kind ORDER BY min(id)"));
        var byDate = await connection.QueryAsync<BatchTotal>(Command(
            "SELECT to_char(execution_date, 'YYYY-MM-DD') AS Key, count(*)::int AS Payments, sum(amount) AS Amount FROM payments WHERE batch_id = @Id AND status <> 'cancelled' GROUP BY execution_date ORDER BY execution_date"));
        var issues = await connection.QueryAsync<BatchIssueView>(Command(
            "SELECT h.reference AS Household, i.kind, i.message FROM batch_issues i JOIN households h ON h.id = i.household_id WHERE i.batch_id = @Id ORDER BY h.reference, i.id"));
        var sums = await connection.QuerySingleAsync<(decimal Repaid, decimal Bijstand)>(Command(
            "SELECT coalesce(sum(credit_repaid), 0), coalesce(sum(bijstand), 0) FROM batch_households WHERE batch_id = @Id"));
        var exports = await connection.QueryAsync<string>(Command(
            "SELECT msg_id || ' ' || version || ' ' || file_name || ' by ' || exported_by FROM batch_exports WHERE batch_id = @Id ORDER BY id"));
        // The bank's pain.002 answers to the batch's files (docs/rules.md §9).
        var reports = await connection.QueryAsync<string>(Command("""
            SELECT message_id || ' (' || version || ') on ' || original_message_id || ': ' || coalesce(group_status, 'no group status') || ', ' || rejected || ' re-opened, '
                   || accepted || ' accepted; imported ' || to_char(imported_at AT TIME ZONE 'Europe/Amsterdam', 'YYYY-MM-DD HH24:MI') || ' by ' || imported_by
              FROM payment_status_reports WHERE batch_id = @Id ORDER BY id
            """));
        return new BatchDetail(batch, byKind.ToList(), byDate.ToList(), issues.ToList(), sums.Repaid, sums.Bijstand, exports.ToList(), reports.ToList());
    }
}
