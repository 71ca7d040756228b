using Dapper;
using Npgsql;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Web.DevIdentity;

namespace Ontzorging.WebBench;

/// <summary>
/// <c>bench web --audit-records N</c>: N audit records added to the bench database (as the schema
/// owner, through the table's own insert trigger, so each is dated and chained as in production),
/// then <c>/logboek</c> requested by an auditor under each kind of filter and deep in its pages.
/// </summary>
public static class AuditTrailBench
{
    private const int People = 200;

    /// <summary>
    /// Adds the records in statements of 1,000 (each its own transaction): actions, people and
    /// households spread as a year of work would. Every record moves the chain's one head row, so
    /// one statement of many thousands would walk an ever longer chain of that row's versions; the
    /// engine itself writes one record per transaction.
    /// </summary>
    public static async Task Seed(string ownerConnectionString, int records, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(ownerConnectionString);
        await connection.OpenAsync(ct);
        var actions = AuditActions.All.ToArray();
        for (var done = 0; done < records; done += 1_000)
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, municipality, outcome, detail)
                SELECT now(), 'oidc:bench-person-' || (g % @People), 'Bench person ' || (g % @People), 'web',
                       (@Actions::text[])[1 + (g * 7919) % cardinality(@Actions::text[])],
                       'household B' || lpad((1 + (g * 104729) % 100000)::text, 7, '0'),
                       'GM0344', CASE WHEN g % 20 = 0 THEN 'refused' ELSE 'done' END, 'bench record ' || g
                  FROM generate_series(@From::bigint, @To::bigint) AS g
                """, new { People, Actions = actions, From = done + 1, To = Math.Min(records, done + 1_000) }, commandTimeout: 0, cancellationToken: ct));
        }

        await connection.ExecuteAsync(new CommandDefinition("ANALYZE audit_log", cancellationToken: ct));
    }

    /// <summary>The trail's pages under each filter, signed in as the development provider's auditor.</summary>
    public static async Task<IReadOnlyList<PageTimings>> Measure(string address, long newestId, int requests, CancellationToken ct)
    {
        using var client = await DevSignInClient.SignIn(address, "dirk", DevIdentityProvider.Password);
        var random = new Random(20261203);
        List<string> Many(Func<string> path) => Enumerable.Range(0, requests).Select(_ => path()).ToList();
        await WebBenchmark.Run(client, "warm-up", Many(() => "/logboek"), 2, ct);
        return
        [
            await WebBenchmark.Run(client, "logboek: newest 50", Many(() => "/logboek"), 2, ct),
            await WebBenchmark.Run(client, "logboek: a page deep in the trail", Many(() => $"/logboek?voor={random.NextInt64(100, newestId)}"), 2, ct),
            await WebBenchmark.Run(client, "logboek: one person", Many(() => $"/logboek?persoon=oidc:bench-person-{random.Next(People)}"), 2, ct),
            await WebBenchmark.Run(client, "logboek: one household", Many(() => $"/logboek?huishouden=B{random.Next(1, 100_001):0000000}"), 2, ct),
            await WebBenchmark.Run(client, "logboek: a rare action (approvals)", Many(() => "/logboek?actie=batch.approve"), 2, ct),
            await WebBenchmark.Run(client, "logboek: action and outcome refused", Many(() => "/logboek?actie=decision.record&uitkomst=refused"), 2, ct),
            await WebBenchmark.Run(client, "logboek: a day without records", Many(() => "/logboek?van=2026-01-01&tot=2026-01-01"), 2, ct),
        ];
    }
}
