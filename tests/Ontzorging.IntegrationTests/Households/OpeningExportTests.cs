using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Households;

/// <summary>
/// docs/rules.md §20 through the CLI: <c>household export-opening</c> writes worked example A's
/// position after June's batch, and <c>simulate --input</c> takes HH-A over from July with it, paying
/// July to December as the uninterrupted run did.
/// </summary>
public sealed class OpeningExportTests
{
    private static string ExampleA => RepositoryPaths.Docs(Path.Combine("examples", "A", "input"));

    [Test]
    public async Task Example_A_exported_after_June_and_simulated_from_July_pays_the_rest_of_its_months_as_the_uninterrupted_run()
    {
        using var folder = new ScratchFolder();
        await using var whole = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0)));
        await new SimulationRunner(whole.Services).Run(ExampleA, new YearMonth(2026, 4), new YearMonth(2026, 12), folder.Sub("whole"));

        // June's batch was prepared on 24 May: A then owed 321.99 and held nothing.
        var export = await CliRunner.Run(whole.Configuration, ScenarioClock.On(2027, 1, 4), "household", "export-opening", "--as-of", "2026-05-24", "--household", "HH-A");

        export.ExitCode.Should().Be(ExitCodes.Ok, export.Error);
        var lines = export.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        lines[0].Should().Be(string.Join(',', IntakeFiles.OpeningColumns));
        lines.Skip(1).Should().Equal("HH-A,position,2026-05-24,2026-06,0.00,321.99,,,,,,,,,");

        var input = folder.Sub("input");
        Directory.CreateDirectory(input);
        foreach (var file in Directory.GetFiles(ExampleA, "*.csv"))
        {
            File.Copy(file, Path.Combine(input, Path.GetFileName(file)));
        }

        await File.WriteAllTextAsync(Path.Combine(input, IntakeFiles.Openings), export.Out);
        await using var fresh = ScratchDatabase.Create();
        var resumed = await CliRunner.Run(fresh.Configuration, "simulate", "--input", input, "--from", "2026-07", "--to", "2026-12", "--out", folder.Sub("resumed"));

        resumed.ExitCode.Should().Be(ExitCodes.Ok, resumed.Error);
        foreach (var output in new[] { SimulationOutput.Monthly, SimulationOutput.Payments })
        {
            var expected = File.ReadAllLines(Path.Combine(folder.Sub("whole"), output)).Skip(1).Where(l => string.CompareOrdinal(l.Split(',')[1], "2026-07") >= 0).ToList();
            File.ReadAllLines(Path.Combine(folder.Sub("resumed"), output)).Skip(1).Should().Equal(expected, "{0} from July on is the uninterrupted run's", output);
        }
    }

    /// <summary>
    /// samples/openings/openings.csv is the sample municipality's position on 31 July 2026, exported
    /// from its simulation: it goes live then, unburdened outside the engine through August.
    /// </summary>
    [Test]
    public async Task The_sample_municipality_going_live_from_its_sample_opening_positions_is_paid_from_September_as_the_uninterrupted_run()
    {
        using var folder = new ScratchFolder();
        await using (var whole = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))))
        {
            await new SimulationRunner(whole.Services).Run(SampleCopy.Samples, new YearMonth(2026, 3), new YearMonth(2026, 12), folder.Sub("whole"));
        }

        using var input = new SampleCopy();
        File.Copy(Path.Combine(SampleCopy.Samples, "openings", IntakeFiles.Openings), Path.Combine(input.Path, IntakeFiles.Openings));
        await using var fresh = ScratchDatabase.Create();
        var resumed = await CliRunner.Run(fresh.Configuration, "simulate", "--input", input.Path, "--from", "2026-09", "--to", "2026-12", "--out", folder.Sub("resumed"));

        resumed.ExitCode.Should().Be(ExitCodes.Ok, resumed.Error);
        File.ReadAllLines(Path.Combine(input.Path, IntakeFiles.Openings)).Should().Contain(l => l.Contains(",arrear,", StringComparison.Ordinal), "the sample takes arrears over");
        foreach (var output in new[] { SimulationOutput.Monthly, SimulationOutput.Payments })
        {
            var expected = File.ReadAllLines(Path.Combine(folder.Sub("whole"), output)).Skip(1).Where(l => string.CompareOrdinal(l.Split(',')[1], "2026-09") >= 0).ToList();
            File.ReadAllLines(Path.Combine(folder.Sub("resumed"), output)).Skip(1).Should().Equal(expected, "{0} from September on is the uninterrupted run's", output);
        }
    }

    [Test]
    public async Task Every_household_is_exported_to_a_file_with_out_and_an_unknown_household_exits_2()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 5, 1));
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        using var folder = new ScratchFolder();
        var file = folder.Sub("openings.csv");

        var all = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 5, 1), "household", "export-opening", "--as-of", "2026-04-30", "--out", file);
        var unknown = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 5, 1), "household", "export-opening", "--as-of", "2026-04-30", "--household", "HH-9999");

        all.ExitCode.Should().Be(ExitCodes.Ok, all.Error);
        var households = File.ReadAllLines(Path.Combine(SampleCopy.Samples, IntakeFiles.Households)).Length - 1;
        File.ReadAllLines(file).Count(l => l.Split(',')[1] == "position").Should().Be(households);
        all.Out.Should().Contain($"for {households} household(s)");
        unknown.ExitCode.Should().Be(ExitCodes.BadInput);
        unknown.Error.Should().Contain("unknown household 'HH-9999'");
    }

    [Test]
    public async Task An_opening_position_as_of_a_day_by_which_the_engine_had_not_prepared_the_month_is_refused()
    {
        await using var db = ScratchDatabase.Create(ScenarioClock.On(2026, 5, 1));
        await db.Services.GetRequiredService<IntakeImporter>().Import(ExampleA, "tester");
        await db.Services.GetRequiredService<BatchPreparer>().Prepare(new YearMonth(2026, 4), new LocalDate(2026, 3, 24), "finance");

        // May was due on 24 April and never prepared: a position on 30 April would claim May was paid.
        var result = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 5, 1), "household", "export-opening", "--as-of", "2026-04-30");
        var future = await CliRunner.Run(db.Configuration, ScenarioClock.On(2026, 5, 1), "household", "export-opening", "--as-of", "2026-05-02");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("the timetable had reached 2026-05, but the engine had prepared only through 2026-04");
        future.ExitCode.Should().Be(ExitCodes.BadInput);
        future.Error.Should().Contain("2026-05-02 lies in the future");
    }
}
