using NodaTime;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Simulation;

/// <summary>
/// docs/rules.md §11 through the database-backed services: the intake files of docs/examples
/// imported, the days walked, and the files written compared with the expected ones to the cent
/// (rows in any order; payments without the engine's own end_to_end_id).
/// </summary>
public sealed class WorkedExampleSimulationTests
{
    [TestCase("A", "2026-04", "2026-10", TestName = "Worked example A (the fifteen euro a week single adult) is reproduced by the simulation")]
    [TestCase("B", "2026-04", "2026-09", TestName = "Worked example B (family of five, weekly, bijstand ending early) is reproduced by the simulation")]
    public async Task Worked_example_is_reproduced(string example, string from, string to)
    {
        var root = RepositoryPaths.Docs(Path.Combine("examples", example));
        var output = Path.Combine(Path.GetTempPath(), $"ontzorging-example-{example}-{Guid.NewGuid():N}");
        await using var database = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        var runner = new SimulationRunner(database.Services);

        await runner.Run(Path.Combine(root, "input"), Month(from), Month(to), output);

        try
        {
            foreach (var file in new[] { SimulationOutput.Monthly, SimulationOutput.Payments, SimulationOutput.Readiness })
            {
                var expected = Rows(Path.Combine(root, "expected", file));
                var actual = Rows(Path.Combine(output, file), drop: "end_to_end_id");
                actual.Header.Should().Equal(expected.Header, "{0} has the columns of docs/rules.md §12", file);
                actual.Rows.Should().BeEquivalentTo(expected.Rows, "{0} must match to the cent", file);
            }

            var payments = Directory.GetFiles(Path.Combine(output, SimulationRunner.PaymentFolder), "*.xml");
            var monthsWithPayments = Rows(Path.Combine(output, SimulationOutput.Payments)).Rows.Select(r => r.Split(',')[1]).Distinct().Count();
            payments.Should().HaveCount(monthsWithPayments, "one approved pain.001 file per batch that pays anything");
            foreach (var pain in payments)
            {
                Pain001Schemas.Validate(pain, Infrastructure.Sepa.Pain001Version.V09).Should().BeEmpty("{0} must validate", Path.GetFileName(pain));
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static YearMonth Month(string text) => Ontzorging.Infrastructure.Csv.Formats.Month(text).Value;

    private static (string[] Header, List<string> Rows) Rows(string path, string? drop = null)
    {
        var lines = File.ReadAllLines(path).Where(l => l.Length > 0).ToList();
        var header = lines[0].Split(',');
        var keep = Enumerable.Range(0, header.Length).Where(i => header[i] != drop).ToArray();
        return (keep.Select(i => header[i]).ToArray(), lines.Skip(1).Select(l => string.Join(',', keep.Select(i => l.Split(',')[i]))).ToList());
    }
}
