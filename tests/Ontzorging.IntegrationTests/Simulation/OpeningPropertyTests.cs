using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Simulation;

/// <summary>
/// docs/rules.md §20, the property that proves an opening position: run random households
/// uninterrupted, export their opening position as of a random cut-over, and take them over with the
/// same intake files into a fresh database from the month after it. Every row of monthly.csv and
/// payments.csv after the cut-over equals, to the cent, the uninterrupted run's.
/// </summary>
public sealed class OpeningPropertyTests
{
    private const int Households = 200;
    private static readonly YearMonth First = new(2026, 3);
    private static readonly YearMonth Last = new(2027, 2);

    [Test]
    public async Task Households_taken_over_from_an_exported_opening_position_are_paid_after_the_cut_over_exactly_as_without_one()
    {
        // One run: 200 random households in one simulation, a random last month done before the
        // cut-over (April to December 2026) and a random cut-over day between its preparation and the next.
        var gen = Gen.Select(Gen.Int.Array[Households], Gen.Int[1, 9], Gen.Int[0, 40]);
        await gen.SampleAsync(async draw =>
        {
            var (seeds, monthsBefore, dayOffset) = draw;
            var through = First.PlusMonths(monthsBefore);
            var window = Period.Between(HouseholdMonth.PreparationDay(through, Policy.Default), HouseholdMonth.PreparationDay(through.PlusMonths(1), Policy.Default), PeriodUnits.Days).Days;
            var cutover = HouseholdMonth.PreparationDay(through, Policy.Default).PlusDays(dayOffset % window);
            await Check(seeds, through, cutover);
        }, iter: 1, threads: 1);
    }

    private static async Task Check(int[] seeds, YearMonth through, LocalDate cutover)
    {
        using var folder = new ScratchFolder();
        var intake = folder.Sub("intake");
        await OpeningGenerator.Write(intake, seeds);

        // Uninterrupted, then the opening positions as of the cut-over.
        var openings = Path.Combine(folder.Sub("resumed-input"), IntakeFiles.Openings);
        Directory.CreateDirectory(Path.GetDirectoryName(openings)!);
        await using (var whole = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))))
        {
            await new SimulationRunner(whole.Services).Run(intake, First, Last, folder.Sub("whole"));
            (await whole.Services.GetRequiredService<OpeningExport>().Export(Actor.Simulated("opening-test"), cutover, null, openings, null)).OrThrow()
                .Households.Should().Be(seeds.Length);
        }

        // The same intake and the positions, in a fresh database, from the month after the cut-over.
        foreach (var file in Directory.GetFiles(intake))
        {
            File.Copy(file, Path.Combine(folder.Sub("resumed-input"), Path.GetFileName(file)));
        }

        await using (var fresh = ScratchDatabase.Create(new SimulationClock(Instant.FromUtc(2000, 1, 1, 0, 0))))
        {
            await new SimulationRunner(fresh.Services).Run(folder.Sub("resumed-input"), through.PlusMonths(1), Last, folder.Sub("resumed"));
        }

        var lines = File.ReadAllLines(openings).Skip(1).Select(l => l.Split(',')).ToList();
        var positions = lines.Where(l => l[1] == "position").ToList();
        positions.Should().HaveCount(seeds.Length);
        TestContext.Out.WriteLine($"cut-over {cutover:yyyy-MM-dd} after {through:yyyy-MM}: {positions.Count(p => p[4] != "0.00")} balance(s), "
            + $"{positions.Count(p => p[5] != "0.00")} credit(s), {lines.Count(l => l[1] == "arrear")} arrear(s), {lines.Count(l => l[1] == "received")} receipt(s) in the positions");

        foreach (var output in new[] { SimulationOutput.Monthly, SimulationOutput.Payments })
        {
            var expected = After(Path.Combine(folder.Sub("whole"), output), through);
            var actual = After(Path.Combine(folder.Sub("resumed"), output), through);
            expected.Should().NotBeEmpty();
            // The rows that differ, not two whole files, so a failure names the household and month.
            actual.Except(expected).Take(5).Should().BeEmpty("{0} after a cut-over on {1:yyyy-MM-dd} must hold only the uninterrupted run's rows; it lacks {2}", output, cutover,
                string.Join(" | ", expected.Except(actual).Take(5)));
            actual.Should().Equal(expected, "{0} after a cut-over on {1:yyyy-MM-dd} must be the uninterrupted run's, to the cent", output, cutover);
        }
    }

    /// <summary>The rows of a simulation output for the months after <paramref name="through"/>, in a fixed order.</summary>
    private static List<string> After(string path, YearMonth through) =>
        File.ReadAllLines(path).Skip(1).Where(l => l.Length > 0 && Formats.Month(l.Split(',')[1]).Value > through).Order(StringComparer.Ordinal).ToList();
}
