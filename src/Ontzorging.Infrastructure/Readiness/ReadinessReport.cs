using Dapper;
using NodaTime;
using Npgsql;

namespace Ontzorging.Infrastructure.Readiness;

public sealed record ReadinessLine(string Household, LocalDate EvaluatedOn, string Verdict, string Unmet, bool BecameReady);

/// <summary>
/// The month-end readiness of every household for a month, and those that became ready in it
/// (ready now, not ready at the previous month's end).
/// </summary>
public sealed class ReadinessReport(NpgsqlDataSource dataSource)
{
    private const string Sql = """
        SELECT h.reference AS Household, r.evaluated_on AS EvaluatedOn, r.verdict, r.unmet,
               (r.verdict = 'ready' AND coalesce(previous.verdict, '') <> 'ready') AS BecameReady
          FROM readiness_evaluations r
          JOIN households h ON h.id = r.household_id
          LEFT JOIN LATERAL (SELECT p.verdict FROM readiness_evaluations p
                              WHERE p.household_id = r.household_id AND p.evaluated_on < @First
                              ORDER BY p.evaluated_on DESC LIMIT 1) previous ON true
         WHERE r.evaluated_on = @Last
         ORDER BY h.reference
        """;

    public async Task<IReadOnlyList<ReadinessLine>> For(YearMonth month, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var last = month.OnDayOfMonth(month.Calendar.GetDaysInMonth(month.Year, month.Month));
        return (await connection.QueryAsync<ReadinessLine>(new CommandDefinition(Sql, new { First = month.OnDayOfMonth(1), Last = last }, cancellationToken: ct))).ToList();
    }
}
