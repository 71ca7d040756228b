using System.Reflection;
using NetArchTest.Rules;

namespace Ontzorging.IntegrationTests.Architecture;

/// <summary>
/// One door (issue 20): pages, commands and jobs only translate. None of them writes an audit
/// record, opens a connection or a transaction, or runs SQL; the use cases in Infrastructure do.
/// </summary>
public sealed class OneDoorArchitectureTests
{
    private static readonly string[] Forbidden =
    [
        "Ontzorging.Infrastructure.Audit.AuditTrail",
        "Npgsql.NpgsqlConnection",
        "Npgsql.NpgsqlTransaction",
        "Npgsql.NpgsqlDataSource",
        "Dapper",
    ];

    private static IEnumerable<TestCaseData> Channels()
    {
        yield return new TestCaseData(typeof(Ontzorging.Web.Hosting.WebApp).Assembly).SetName("The site's pages and endpoints write through the use cases only");
        yield return new TestCaseData(typeof(Ontzorging.Cli.CliEnvironment).Assembly).SetName("The CLI's commands write through the use cases only");
        yield return new TestCaseData(typeof(Ontzorging.Worker.Jobs.ScheduledJob).Assembly).SetName("The worker's jobs write through the use cases only");
    }

    [TestCaseSource(nameof(Channels))]
    public void A_channel_never_touches_the_audit_trail_a_connection_or_sql(Assembly channel)
    {
        var result = Types.InAssembly(channel)
            .ShouldNot().HaveDependencyOnAny(Forbidden)
            .GetResult();

        (result.FailingTypeNames ?? []).Should().BeEmpty("a page, command or job calls a use case, which opens the transaction and keeps the record");
    }
}
