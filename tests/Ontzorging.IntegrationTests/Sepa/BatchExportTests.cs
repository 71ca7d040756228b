using System.Globalization;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Sepa;

public sealed class BatchExportTests
{
    private static readonly NodaTime.YearMonth April = new(2026, 4);
    private ScratchDatabase db = null!;
    private string folder = "";
    private BatchLifecycle lifecycle = null!;
    private PreparedBatch batch = null!;

    [SetUp]
    public async Task PrepareApril()
    {
        db = ScratchDatabase.Create();
        folder = Path.Combine(Path.GetTempPath(), $"ontzorging-export-{Guid.NewGuid():N}");
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        await db.Services.GetRequiredService<DailyBookkeeping>().Run(new NodaTime.LocalDate(2026, 3, 24), "tester");
        batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(April, new NodaTime.LocalDate(2026, 3, 24), "anna");
        lifecycle = db.Services.GetRequiredService<BatchLifecycle>();
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

    [TestCase(Pain001Version.V09, TestName = "An exported pain.001.001.09 file validates against its XSD with correct counts and sums")]
    [TestCase(Pain001Version.V03, TestName = "An exported pain.001.001.03 file validates against its XSD with correct counts and sums")]
    public async Task Exported_file_validates_and_adds_up(Pain001Version version)
    {
        await lifecycle.Approve(batch.Id, "bob");
        var file = Path.Combine(folder, "april.xml");

        var export = await lifecycle.Export(batch.Id, "bob", version, file);

        Pain001Schemas.Validate(file, version).Should().BeEmpty();
        var xml = Pain001Schemas.Load(file);
        var amounts = xml.All("InstdAmt").Select(a => decimal.Parse(a.Value, CultureInfo.InvariantCulture)).ToList();
        amounts.Should().HaveCount(batch.Payments);
        decimal.Parse(xml.All("GrpHdr").Single().Elements().Single(e => e.Name.LocalName == "CtrlSum").Value, CultureInfo.InvariantCulture).Should().Be(amounts.Sum());
        foreach (var block in xml.All("PmtInf"))
        {
            var transactions = block.Elements().Where(e => e.Name.LocalName == "CdtTrfTxInf").ToList();
            int.Parse(block.Elements().Single(e => e.Name.LocalName == "NbOfTxs").Value, CultureInfo.InvariantCulture).Should().Be(transactions.Count);
            decimal.Parse(block.Elements().Single(e => e.Name.LocalName == "CtrlSum").Value, CultureInfo.InvariantCulture)
                .Should().Be(transactions.Sum(t => decimal.Parse(t.Descendants().Single(d => d.Name.LocalName == "InstdAmt").Value, CultureInfo.InvariantCulture)));
        }

        xml.All("ReqdExctnDt").Select(d => d.Value).Should().OnlyHaveUniqueItems("one payment information block per execution date");
        export.ControlSum.ToDecimal().Should().Be(amounts.Sum());
    }

    [Test]
    public async Task A_betalingskenmerk_is_sent_as_structured_scor_cur_remittance()
    {
        await lifecycle.Approve(batch.Id, "bob");
        var file = Path.Combine(folder, "april.xml");
        await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, file);

        var structured = Pain001Schemas.Load(file).All("CdtrRefInf").ToList();

        structured.Should().NotBeEmpty("samples give every third rent a betalingskenmerk");
        structured.Should().OnlyContain(r => r.Descendants().Any(d => d.Name.LocalName == "Cd" && d.Value == "SCOR") && r.Descendants().Any(d => d.Name.LocalName == "Issr" && d.Value == "CUR"));
        structured.Select(r => r.Descendants().Single(d => d.Name.LocalName == "Ref").Value).Should().OnlyContain(v => PaymentReference.Parse(v).Value.Kind == PaymentReferenceKind.Betalingskenmerk);
    }

    [Test]
    public async Task Exporting_twice_gives_the_same_payments_under_a_new_message_id()
    {
        await lifecycle.Approve(batch.Id, "bob");
        var first = await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "1.xml"));
        var second = await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "2.xml"));

        second.MessageId.Should().NotBe(first.MessageId);
        second.FirstExport.Should().BeFalse();
        EndToEndIds(Path.Combine(folder, "2.xml")).Should().Equal(EndToEndIds(Path.Combine(folder, "1.xml")));
        (await Scalar<long>("SELECT count(*) FROM journal_entries WHERE kind = 'payment'")).Should().Be(batch.Households, "payments go into transit once, at the first export");
    }

    [Test]
    public async Task The_preparer_cannot_approve_their_own_batch()
    {
        var act = () => lifecycle.Approve(batch.Id, "anna");

        (await act.Should().ThrowAsync<RefusedException>()).Which.Message.Should().Contain("four eyes");
    }

    [Test]
    public async Task A_batch_cannot_be_exported_before_it_is_approved()
    {
        var act = () => lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "x.xml"));

        (await act.Should().ThrowAsync<RefusedException>()).Which.Message.Should().Contain("it is draft");
        File.Exists(Path.Combine(folder, "x.xml")).Should().BeFalse();
    }

    [Test]
    public async Task An_exported_batch_cannot_be_cancelled()
    {
        await lifecycle.Approve(batch.Id, "bob");
        await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "x.xml"));

        var act = () => lifecycle.Cancel(batch.Id, "bob", "changed my mind");

        (await act.Should().ThrowAsync<RefusedException>()).Which.Message.Should().Contain("it is exported");
    }

    [Test]
    public async Task A_rejected_batch_is_undone_and_its_month_can_be_prepared_again_with_the_same_payment_keys()
    {
        var before = await Balances();
        var keys = await Keys(batch.Id);

        await lifecycle.Reject(batch.Id, "bob", "rent of HH-0003 is wrong");
        var again = await db.Services.GetRequiredService<BatchPreparer>().Prepare(April, new NodaTime.LocalDate(2026, 3, 25), "anna");

        again.Created.Should().BeTrue();
        again.Id.Should().NotBe(batch.Id);
        (await Keys(again.Id)).Should().Equal(keys);
        (await Scalar<long>($"SELECT count(*) FROM payments WHERE batch_id = {batch.Id} AND status <> 'cancelled'")).Should().Be(0);
        (await Balances()).Should().Equal(before, "the re-prepared batch books exactly what the rejected one did, after its correction");
    }

    [Test]
    public async Task Settling_moves_payments_from_transit_to_the_bank_and_the_batch_to_settled()
    {
        await lifecycle.Approve(batch.Id, "bob");
        await lifecycle.Export(batch.Id, "bob", Pain001Version.V09, Path.Combine(folder, "x.xml"));

        var partly = await lifecycle.Settle(batch.Id, new NodaTime.LocalDate(2026, 3, 31), "bob");
        var fully = await lifecycle.Settle(batch.Id, new NodaTime.LocalDate(2026, 4, 30), "bob");

        partly.Status.Should().Be(Domain.Batches.BatchStatus.PartiallySettled);
        fully.Status.Should().Be(Domain.Batches.BatchStatus.Settled);
        (partly.Settled + fully.Settled).Should().Be(batch.Payments);
        (await Scalar<decimal>("SELECT balance FROM ledger_accounts WHERE code = 'in_transit'")).Should().Be(0m);
    }

    private async Task<T> Scalar<T>(string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return (await connection.ExecuteScalarAsync<T>(sql))!;
    }

    private async Task<List<string>> Keys(long batchId)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return (await connection.QueryAsync<string>("SELECT end_to_end_id FROM payments WHERE batch_id = @Id ORDER BY end_to_end_id", new { Id = batchId })).ToList();
    }

    private async Task<Dictionary<string, decimal>> Balances()
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return (await connection.QueryAsync<(string Code, decimal Balance)>("SELECT code, balance FROM ledger_accounts")).ToDictionary(r => r.Code, r => r.Balance);
    }

    private static List<string> EndToEndIds(string file) => Pain001Schemas.Load(file).All("EndToEndId").Select(e => e.Value).ToList();
}
