using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Households;

public sealed class HouseholdCommandTests
{
    private ScratchDatabase db = null!;

    [SetUp]
    public async Task ImportSamples()
    {
        db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
    }

    [TearDown]
    public async Task Drop() => await db.DisposeAsync();

    [Test]
    public async Task Show_gives_the_period_contracts_and_income_and_never_a_whole_bsn()
    {
        var bsns = File.ReadLines(Path.Combine(SampleCopy.Samples, IntakeFiles.Persons)).Skip(1).Where(l => l.StartsWith("HH-0001,", StringComparison.Ordinal)).Select(l => l.Split(',')[1]).ToList();

        var result = await CliRunner.Run(db.Configuration, "household", "show", "HH-0001", "--on", "2026-04-10");

        result.ExitCode.Should().Be(ExitCodes.Ok);
        result.Out.Should().Contain("Period 2026-03-01 – 2026-09-01").And.Contain("rent").And.Contain("huurtoeslag").And.Contain("*****" + bsns[0][5..]);
        bsns.Should().OnlyContain(bsn => !result.Out.Contains(bsn, StringComparison.Ordinal));
    }

    [Test]
    public async Task Show_as_json_is_readable_by_scripts()
    {
        var result = await CliRunner.Run(db.Configuration, "household", "show", "HH-0017", "--on", "2026-07-10", "--json");

        using var json = System.Text.Json.JsonDocument.Parse(result.Out);
        json.RootElement.GetProperty("reference").GetString().Should().Be("HH-0017");
        json.RootElement.GetProperty("period").GetProperty("end").GetString().Should().Be("2026-09-01");
        json.RootElement.GetProperty("incomes")[0].GetProperty("status").GetString().Should().Be("decision_overdue");
        // Amounts and months keep the strings the files use, though the records now hold Money and YearMonth.
        json.RootElement.GetProperty("incomes")[0].GetProperty("from").GetString().Should().MatchRegex(@"^\d{4}-\d{2}$");
        json.RootElement.GetProperty("incomes")[0].GetProperty("expected_amount").GetString().Should().MatchRegex(@"^\d+\.\d{2}$");
        json.RootElement.GetProperty("credit_cap").GetString().Should().MatchRegex(@"^\d+\.\d{2}$");
    }

    [Test]
    public async Task An_extension_moves_the_period_end_and_is_listed_with_who_and_why()
    {
        var decide = await CliRunner.RunAs("j.jansen", db.Configuration, "household", "decide", "HH-0002", "extension", "--months", "2", "--reason", "art. 57 Pw", "--on", "2026-08-01");
        var show = await CliRunner.Run(db.Configuration, "household", "show", "HH-0002", "--on", "2026-08-02");

        decide.ExitCode.Should().Be(ExitCodes.Ok);
        show.Out.Should().Contain("2026-03-16 – 2026-11-16").And.Contain("extended by 2 month(s)").And.Contain("j.jansen").And.Contain("art. 57 Pw");
    }

    [Test]
    public async Task A_write_off_above_the_outstanding_credit_is_refused_with_exit_2()
    {
        var result = await CliRunner.Run(db.Configuration, "household", "decide", "HH-0001", "write-off", "--amount", "50.00", "--reason", "hardship");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("only 0.00 of credit is outstanding");
    }

    [Test]
    public async Task An_opt_out_without_a_reason_is_refused_with_exit_2()
    {
        var result = await CliRunner.Run(db.Configuration, "household", "decide", "HH-0001", "opt-out");

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("an opt-out needs a reason");
    }

    [TestCase("verhuisd\u2028naar Utrecht", "U+2028 at character 9", TestName = "A reason with a line separator is refused with exit 2 and writes nothing")]
    [TestCase("\u202Everhuisd", "U+202E at character 1", TestName = "A reason with a right-to-left override is refused with exit 2 and writes nothing")]
    public async Task A_reason_with_a_hidden_character_is_refused(string reason, string named)
    {
        var before = await db.Scalar<long>("SELECT count(*) FROM decisions");

        var result = await CliRunner.Run(db.Configuration, "household", "decide", "HH-0001", "opt-out", "--reason", reason);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("the reason holds the hidden character " + named);
        (await db.Scalar<long>("SELECT count(*) FROM decisions")).Should().Be(before);
    }

    [Test]
    public async Task List_filters_on_period_state_and_ending_soon()
    {
        var upcoming = await CliRunner.Run(db.Configuration, "household", "list", "--status", "upcoming", "--on", "2026-04-01", "--json");
        var ending = await CliRunner.Run(db.Configuration, "household", "list", "--ending-within", "30", "--on", "2026-08-10", "--json");

        References(upcoming.Out).Should().Contain(["HH-0005", "HH-0025"]).And.NotContain("HH-0001");
        References(ending.Out).Should().Contain("HH-0001").And.NotContain("HH-0025");
    }

    [Test]
    public async Task An_unknown_household_exits_with_code_2() =>
        (await CliRunner.Run(db.Configuration, "household", "show", "HH-9999")).ExitCode.Should().Be(ExitCodes.BadInput);

    private static List<string> References(string json)
    {
        using var document = System.Text.Json.JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(e => e.GetProperty("reference").GetString()!).ToList();
    }
}
