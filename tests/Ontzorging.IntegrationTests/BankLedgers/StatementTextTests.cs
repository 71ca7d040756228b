using System.Text;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>
/// A statement's text is the bank's, not a person's entry (docs/rules.md §10, issue 21): neither
/// refused for a hidden character nor normalised, since a line's identity hashes it as written.
/// </summary>
public sealed class StatementTextTests
{
    [Test]
    public async Task A_statement_keeps_its_text_as_the_bank_wrote_it_and_a_second_import_adds_nothing()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-text-").FullName;
        try
        {
            var path = Path.Combine(folder, "text.csv");
            await File.WriteAllTextAsync(path, string.Join("\n",
                string.Join(',', BankStatementReader.GenericColumns),
                "NL82BNGH0285010001,2026-06-01,-12.50,NL20INGB0001234567,Cre\u0300che Zuid,bijdrage\u200B juni,",
                "NL82BNGH0285010001,2026-06-01,-3.20,NL20INGB0001234567,Caf\u00E9 \u202EZuid\u202C,koffie\u2028thee,") + "\n", new UTF8Encoding(false));

            var first = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);
            var again = await CliRunner.RunAs("auditor", db.Configuration, "ledger", "import", path);

            first.ExitCode.Should().Be(ExitCodes.Ok, first.Error);
            again.ExitCode.Should().Be(ExitCodes.Ok, again.Error);
            (await db.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(2, "the second import finds both lines by their identity");
            (await db.Scalar<string>("SELECT string_agg(counterparty_name || '|' || description, ';' ORDER BY amount) FROM bank_lines"))
                .Should().Be("Cre\u0300che Zuid|bijdrage\u200B juni;Caf\u00E9 \u202EZuid\u202C|koffie\u2028thee");
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
