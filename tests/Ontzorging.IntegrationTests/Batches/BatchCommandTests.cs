using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Batches;

public sealed class BatchCommandTests
{
    private ScratchDatabase db = null!;
    private string folder = "";

    [SetUp]
    public async Task ImportSamples()
    {
        db = ScratchDatabase.Create();
        folder = Path.Combine(Path.GetTempPath(), $"ontzorging-cli-{Guid.NewGuid():N}");
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
    }

    [TearDown]
    public async Task Drop()
    {
        await db.DisposeAsync();
        if (Directory.Exists(folder))
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public async Task An_officer_prepares_a_second_officer_approves_and_exports_and_the_preparer_is_refused_with_exit_2()
    {
        // The samples' months lie in the past of the clock these commands read: a reason is needed (issue 22).
        var prepare = await CliAs("anna", "batch", "prepare", "--month", "2026-06", "--reason", "the samples are paid after the fact");
        var selfApproval = await CliAs("anna", "batch", "approve", "1");
        var exceptions = (await db.Scalar<string>("SELECT coalesce(string_agg(id::text, ' ' ORDER BY id), '') FROM batch_issues WHERE batch_id = 1")).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var unacknowledged = await CliAs("bob", "batch", "approve", "1");
        var selfAcknowledged = await CliAs("anna", ["batch", "acknowledge", "1", .. exceptions.Take(1)]);
        var acknowledge = exceptions.Length == 0 ? null : await CliAs("bob", ["batch", "acknowledge", "1", .. exceptions]);
        var approve = await CliAs("bob", "batch", "approve", "1");
        var export = await CliAs("bob", "batch", "export", "1", "--out", Path.Combine(folder, "june.xml"));
        var cancel = await CliAs("bob", "batch", "cancel", "1", "--reason", "too late");
        var show = await Cli("batch", "show", "1");

        prepare.Out.Should().Contain("Prepared batch 1 for 2026-06");
        (selfApproval.ExitCode, approve.ExitCode, export.ExitCode, cancel.ExitCode).Should().Be((ExitCodes.BadInput, ExitCodes.Ok, ExitCodes.Ok, ExitCodes.BadInput));
        selfApproval.Error.Should().Contain("four eyes");
        exceptions.Should().NotBeEmpty("payments of June prepared in the winter go out late");
        unacknowledged.Error.Should().Contain($"{exceptions.Length} exception(s) are not acknowledged yet");
        selfAcknowledged.Error.Should().Contain("acknowledged by a second person");
        acknowledge!.Out.Should().Contain($"{exceptions.Length} exception(s) acknowledged");
        cancel.Error.Should().Contain("it is exported");
        Pain001Schemas.Validate(Path.Combine(folder, "june.xml"), Pain001Version.V09).Should().BeEmpty();
        show.Out.Should().Contain("Per execution date").And.Contain("exported: OZ-202606-B1-E1");
    }

    [Test]
    public async Task Preparing_a_month_twice_says_that_nothing_changed() =>
        (await CliAs("anna", "batch", "prepare", "--month", "2026-12", "--reason", "a test"), await CliAs("anna", "batch", "prepare", "--month", "2026-12")).Item2.Out
            .Should().Contain("was already prepared; nothing changed");

    [Test]
    public async Task An_unknown_batch_exits_with_code_2() =>
        (await CliAs("bob", "batch", "approve", "999")).ExitCode.Should().Be(ExitCodes.BadInput);

    [Test]
    public async Task The_readiness_report_lists_verdicts_and_who_became_ready_as_csv()
    {
        await CliAs("anna", "batch", "prepare", "--month", "2026-12", "--reason", "a test");
        await db.Services.GetRequiredService<Infrastructure.Readiness.ReadinessService>().Evaluate(new NodaTime.LocalDate(2026, 11, 30));

        var report = await Cli("report", "readiness", "--month", "2026-11", "--format", "csv");

        var lines = report.Out.Trim().Split('\n');
        lines[0].Should().Be("household_ref,evaluated_on,verdict,unmet,became_ready");
        lines.Skip(1).Should().HaveCount(28).And.OnlyContain(l => l.Contains(",2026-11-30,", StringComparison.Ordinal));
        lines.Skip(1).Where(l => l.Contains(",ready,", StringComparison.Ordinal)).Should().OnlyContain(l => l.EndsWith(",true", StringComparison.Ordinal), "nobody was ready before");
    }

    private Task<CliResult> Cli(params string[] args) => CliRunner.Run(db.Configuration, args);

    private Task<CliResult> CliAs(string login, params string[] args) => CliRunner.RunAs(login, db.Configuration, args);
}
