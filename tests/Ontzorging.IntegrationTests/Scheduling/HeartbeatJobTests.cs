using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Ontzorging.Infrastructure;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Worker;
using Quartz;

namespace Ontzorging.IntegrationTests.Scheduling;

public sealed class HeartbeatJobTests : DatabaseFixture
{
    [Test]
    [CancelAfter(60_000)]
    public async Task The_clustered_scheduler_fires_the_heartbeat_and_its_row_and_run_persist(CancellationToken cancellationToken)
    {
        var configuration = Configuration(("Ontzorging:Scheduling:HeartbeatCron", "* * * * * ?"));
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOntzorging(configuration);
        builder.Services.AddOntzorgingWorker(configuration);
        using var host = builder.Build();

        await host.StartAsync(cancellationToken);
        var instanceId = (await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler(cancellationToken)).SchedulerInstanceId;
        await WaitUntil(async () => await Scalar<long>("SELECT count(*) FROM job_runs WHERE outcome = 'succeeded'") >= 2, cancellationToken);
        await host.StopAsync(cancellationToken);

        await using var connection = await DataSource.OpenConnectionAsync(cancellationToken);
        var heartbeats = (await connection.QueryAsync<string>("SELECT instance_id FROM heartbeats")).ToList();
        heartbeats.Should().HaveCountGreaterThanOrEqualTo(2).And.OnlyContain(id => id == instanceId);
        var runs = (await connection.QueryAsync<(string Job, string Outcome)>("SELECT job_name, outcome FROM job_runs WHERE outcome <> 'running'")).ToList();
        runs.Should().OnlyContain(r => r.Job == "ontzorging.heartbeat" && r.Outcome == "succeeded");
        (await Scalar<long>("SELECT count(*) FROM qrtz_scheduler_state")).Should().Be(1, "the node checked in to the cluster");
    }

    private static async Task WaitUntil(Func<Task<bool>> condition, CancellationToken cancellationToken)
    {
        while (!await condition())
        {
            await Task.Delay(200, cancellationToken);
        }
    }
}
