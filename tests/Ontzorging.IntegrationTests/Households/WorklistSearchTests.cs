using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using NodaTime;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Households;

/// <summary>
/// The worklist's search compares NFC and without accents or case (issue 21: searching "René"
/// written composed missed "René" written decomposed), also for a name stored decomposed before
/// intake kept text in NFC.
/// </summary>
public sealed class WorklistSearchTests
{
    private ScratchDatabase db = null!;

    [OneTimeSetUp]
    public async Task ImportNames()
    {
        db = ScratchDatabase.Create();
        using var copy = new SampleCopy();
        copy.ReplaceLine(IntakeFiles.Persons, 2, l => IntakeImportTests.ReplaceField(l, 2, "Rene\u0301 Dupont"));
        await db.Services.GetRequiredService<IntakeImporter>().Import(copy.Path, "tester");

        // A name stored decomposed, as intake kept it before issue 21.
        await using var owner = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(db.Name));
        await owner.ExecuteAsync("UPDATE persons SET name = 'Zoe\u0308 Jansen' WHERE household_id = (SELECT id FROM households WHERE reference = 'HH-0002')");
    }

    [OneTimeTearDown]
    public async Task Drop() => await db.DisposeAsync();

    [TestCase("Rene", "HH-0001", TestName = "Rene finds René, kept composed")]
    [TestCase("ren\u00E9", "HH-0001", TestName = "rené finds René")]
    [TestCase("RENE", "HH-0001", TestName = "RENE finds René")]
    [TestCase("Rene\u0301", "HH-0001", TestName = "René typed decomposed finds René")]
    [TestCase("Zo\u00EB", "HH-0002", TestName = "Zoë typed composed finds Zoë stored decomposed")]
    [TestCase("zoe jansen", "HH-0002", TestName = "zoe jansen finds Zoë Jansen")]
    [TestCase("hh-0017", "HH-0017", TestName = "A reference is found in any case")]
    public async Task A_search_finds_the_household_however_its_name_is_written(string term, string household)
    {
        var page = await db.Services.GetRequiredService<HouseholdWorklist>().Page(MunicipalityScope.All, new LocalDate(2026, 6, 1), new WorklistQuery(Search: term));

        page.Rows.Select(r => r.Reference).Should().Equal(household);
    }

    [Test]
    public async Task The_stored_name_is_kept_in_nfc()
    {
        (await db.Scalar<string>("SELECT name FROM persons WHERE household_id = (SELECT id FROM households WHERE reference = 'HH-0001')"))
            .Should().Be("Ren\u00E9 Dupont");
    }
}
