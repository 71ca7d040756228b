using System.Diagnostics;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Worker;

namespace Ontzorging.IntegrationTests.Scheduling;

/// <summary>Two worker nodes sharing one PostgreSQL job store (issue 4 §4).</summary>
public sealed class ClusterTests
{
    private const string EverySecond = "* * * * * ?";
    private const string Never = "0 0 0 1 1 ? 2099";

    [Test]
    [CancelAfter(90_000)]
    public async Task Two_clustered_nodes_run_each_firing_exactly_once(CancellationToken ct)
    {
        await using var db = ScratchDatabase.Create();
        using var first = Node(db, EverySecond, Never);
        using var second = Node(db, EverySecond, Never);

        await Task.WhenAll(first.StartAsync(ct), second.StartAsync(ct));
        await WaitUntil(db, "SELECT count(*) >= 6 FROM job_runs WHERE job_name = 'ontzorging.heartbeat' AND outcome = 'succeeded'", ct);
        await WaitUntil(db, "SELECT count(*) = 2 FROM qrtz_scheduler_state", ct);
        await Task.WhenAll(first.StopAsync(ct), second.StopAsync(ct));

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var perFiring = (await connection.QueryAsync<long>("SELECT count(*) FROM job_runs WHERE job_name = 'ontzorging.heartbeat' GROUP BY scheduled_for")).ToList();
        perFiring.Should().OnlyContain(count => count == 1, "a firing runs on one node only");
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) - count(DISTINCT scheduled_for) FROM heartbeats")).Should().Be(0);
    }

    [Test]
    [CancelAfter(120_000)]
    public async Task A_node_killed_in_the_middle_of_preparing_a_batch_is_recovered_by_the_other_without_a_duplicate_payment(CancellationToken ct)
    {
        await using var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester", ct);

        // Hold the batch lock so that the job, once fired, stays in the middle of its work.
        await using var holder = new NpgsqlConnection(db.ConnectionString);
        await holder.OpenAsync(ct);
        await using var hold = await holder.BeginTransactionAsync(ct);
        await holder.ExecuteAsync("SELECT pg_advisory_xact_lock(hashtext('ontzorging:batch'), k) FROM generate_series(200001, 210012) AS k WHERE k % 100 BETWEEN 1 AND 12", transaction: hold);

        using var doomed = StartWorkerProcess(db, prepareCron: "0/2 * * * * ?");
        try
        {
            await WaitUntil(db, "SELECT count(*) > 0 FROM job_runs WHERE job_name = 'ontzorging.prepare-monthly-batch' AND outcome = 'running'", ct);
        }
        finally
        {
            doomed.Kill(entireProcessTree: true);
            await doomed.WaitForExitAsync(ct);
        }

        using var survivor = Node(db, Never, Never);
        await survivor.StartAsync(ct);
        await WaitUntil(db, "SELECT count(*) > 0 FROM job_runs WHERE job_name = 'ontzorging.prepare-monthly-batch' AND recovering", ct);
        await hold.RollbackAsync(ct);
        await WaitUntil(db, "SELECT count(*) > 0 FROM job_runs WHERE job_name = 'ontzorging.prepare-monthly-batch' AND recovering AND outcome = 'succeeded'", ct);
        await survivor.StopAsync(ct);

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM batches")).Should().Be(1);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) - count(DISTINCT end_to_end_id) FROM payments")).Should().Be(0);
        (await connection.ExecuteScalarAsync<long>("SELECT count(*) FROM payments")).Should().BeGreaterThan(0);
    }

    private static IHost Node(ScratchDatabase db, string heartbeat, string prepare)
    {
        var configuration = new ConfigurationBuilder().AddConfiguration(db.Configuration).AddInMemoryCollection(Settings(heartbeat, prepare)).Build();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddOntzorging(configuration);
        builder.Services.AddOntzorgingWorker(configuration);
        return builder.Build();
    }

    private static Dictionary<string, string?> Settings(string heartbeat, string prepare) => new()
    {
        ["Ontzorging:Scheduling:HeartbeatCron"] = heartbeat,
        ["Ontzorging:Scheduling:PrepareBatchCron"] = prepare,
        ["Ontzorging:Scheduling:BookkeepingCron"] = Never,
        ["Ontzorging:Scheduling:ToeslagWatchCron"] = Never,
        ["Ontzorging:Scheduling:PeriodEndNoticesCron"] = Never,
        ["Ontzorging:Scheduling:MonthEndReadinessCron"] = Never,
        ["Ontzorging:Scheduling:ClusterCheckinInterval"] = "00:00:01",
        ["Ontzorging:Scheduling:ClusterCheckinMisfireThreshold"] = "00:00:02",
    };

    /// <summary>The real worker executable in its own process, so that it can be killed like a crashed node.</summary>
    private static Process StartWorkerProcess(ScratchDatabase db, string prepareCron)
    {
        var configuration = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)))!;
        var dll = Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Worker", "bin", configuration, "net10.0", "Ontzorging.Worker.dll");
        File.Exists(dll).Should().BeTrue($"the worker is built beside the tests ({dll})");
        var info = new ProcessStartInfo("dotnet", [dll]) { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true };
        info.Environment["Ontzorging__Database__ConnectionString"] = db.ConnectionString;
        foreach (var (key, value) in Settings(Never, prepareCron))
        {
            info.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(info) ?? throw new InvalidOperationException("the worker did not start");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static async Task WaitUntil(ScratchDatabase db, string condition, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        while (!await connection.ExecuteScalarAsync<bool>(condition))
        {
            await Task.Delay(250, ct);
        }
    }
}
