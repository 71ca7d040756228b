using Ontzorging.Cli;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Simulation;

public sealed class SimulateCommandTests
{
    [Test]
    public async Task Simulating_the_sample_municipality_writes_every_file_and_a_valid_pain001_per_paying_batch()
    {
        await using var db = ScratchDatabase.Create();
        var output = Path.Combine(Path.GetTempPath(), $"ontzorging-sim-{Guid.NewGuid():N}");
        try
        {
            var result = await CliRunner.Run(db.Configuration, "simulate", "--input", SampleCopy.Samples, "--from", "2026-03", "--to", "2026-12", "--out", output);

            result.ExitCode.Should().Be(ExitCodes.Ok, result.Error);
            result.Out.Should().Contain("Month by month").And.Contain("Readiness on 2026-12-31");
            File.ReadAllLines(Path.Combine(output, SimulationOutput.Monthly)).Should().HaveCountGreaterThan(200);
            File.ReadAllLines(Path.Combine(output, SimulationOutput.Readiness)).Skip(1).Select(l => l.Split(',')[2]).Should().Contain(["in_progress", "ready", "not_ready"]);
            var files = Directory.GetFiles(Path.Combine(output, SimulationRunner.PaymentFolder));
            files.Should().HaveCount(10);
            files.SelectMany(f => Pain001Schemas.Validate(f, Pain001Version.V09)).Should().BeEmpty();
        }
        finally
        {
            if (Directory.Exists(output))
            {
                Directory.Delete(output, recursive: true);
            }
        }
    }

    [Test]
    public async Task A_month_that_is_not_a_month_exits_with_code_2()
    {
        await using var db = ScratchDatabase.Create();

        var result = await CliRunner.Run(db.Configuration, "simulate", "--input", SampleCopy.Samples, "--from", "2026-13", "--to", "2026-12", "--out", "x");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("--from");
    }
}
