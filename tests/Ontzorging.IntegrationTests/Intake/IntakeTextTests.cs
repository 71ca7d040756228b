using System.Text;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Intake;

/// <summary>
/// Names, references and reasons as people write them (docs/rules.md §10, issue 21): kept in NFC,
/// every script passes, and a character that hides text or turns it around is refused with its
/// file, line and column before anything is written.
/// </summary>
public sealed class IntakeTextTests
{
    [Test]
    public async Task The_cli_refuses_a_reversed_name_with_exit_2_and_writes_nothing()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Persons, 2, l => IntakeImportTests.ReplaceField(l, 2, "\u202Eevil\u202C"));
        var before = await IntakeImportTests.Counts(db);

        var result = await CliRunner.Run(db.Configuration, "import", copy.Path);

        result.ExitCode.Should().Be(ExitCodes.BadInput);
        result.Error.Should().Contain("persons.csv line 2, column name: holds the hidden character U+202E (right-to-left override) at character 1").And.Contain("nothing was written");
        (await IntakeImportTests.Counts(db)).Should().Equal(before);
    }

    [Test]
    public async Task Arabic_tigrinya_and_farsi_names_pass_and_every_text_is_stored_in_nfc()
    {
        await using var db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        string[] names = ["محمد العلي", "ሰላም ተስፋይ", "زهرا محمدی\u200Cنژاد", "Rene\u0301 Dupont"];
        for (var i = 0; i < names.Length; i++)
        {
            var name = names[i];
            copy.ReplaceLine(IntakeFiles.Persons, i + 2, l => IntakeImportTests.ReplaceField(l, 2, name));
        }

        copy.ReplaceLine(IntakeFiles.Contracts, 2, l => IntakeImportTests.ReplaceField(l, 2, "Woonstichting Cre\u0300che"));
        copy.ReplaceLine(IntakeFiles.Contracts, 3, l => IntakeImportTests.ReplaceField(l, 6, "Polis Jose\u0301"));
        copy.ReplaceLine(IntakeFiles.Receipts, 2, l => IntakeImportTests.ReplaceField(l, 6, "Toeslag Rene\u0301"));
        copy.ReplaceLine(IntakeFiles.Events, 2, l => IntakeImportTests.ReplaceField(l, 4, "Cursus geld\u0301"));

        await db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        await using var connection = new NpgsqlConnection(db.ConnectionString);
        var stored = (await connection.QueryAsync<string>("""
            SELECT name FROM persons UNION ALL SELECT creditor_name FROM contract_versions
            UNION ALL SELECT reference FROM contract_versions WHERE reference IS NOT NULL
            UNION ALL SELECT reference FROM receipts WHERE reference IS NOT NULL
            UNION ALL SELECT reason FROM decisions WHERE reason IS NOT NULL
            """)).ToList();
        stored.Should().Contain(["محمد العلي", "ሰላም ተስፋይ", "زهرا محمدی\u200Cنژاد", "Ren\u00E9 Dupont", "Woonstichting Cr\u00E8che", "Polis Jos\u00E9", "Toeslag Ren\u00E9", "Cursus geld\u0301"]);
        stored.Should().OnlyContain(text => text.IsNormalized(NormalizationForm.FormC));
    }
}
