using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Ledger;

/// <summary>
/// A few points of scripts/chaos.sh on every run: the CLI is killed with SIGKILL in the middle of
/// ledger import, batch prepare, batch export and household decide; the money is still right
/// afterwards and no write stands without its audit record (docs/reliability.md records a large run).
/// </summary>
public sealed class CrashHarnessTests
{
    [Test]
    public void Killing_the_cli_at_random_moments_of_import_prepare_export_and_decide_leaves_every_invariant_and_every_record_intact()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION")))
        {
            Assert.Ignore("the crash harness runs against the local cluster of scripts/pg.sh");
        }

        var result = BashScript.Run(Path.Combine(RepositoryPaths.Root, "scripts", "chaos.sh"), ["8", "5"]);

        result.ExitCode.Should().Be(0, result.Out + result.Error);
        result.Out.Should().Contain("chaos: 8 points").And.Contain("0 violation(s)");
    }
}
