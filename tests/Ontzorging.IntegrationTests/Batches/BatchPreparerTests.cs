using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Batches;

public sealed class BatchPreparerTests
{
    private static readonly NodaTime.YearMonth April = new(2026, 4);
    private static readonly NodaTime.LocalDate PreparedOn = new(2026, 3, 24);

    [Test]
    public async Task Preparing_a_month_again_returns_the_existing_batch_and_adds_no_payment()
    {
        await using var db = await Imported();
        var preparer = db.Services.GetRequiredService<BatchPreparer>();

        var first = await preparer.Prepare(April, PreparedOn, "anna");
        var again = await preparer.Prepare(April, PreparedOn, "bob");

        first.Created.Should().BeTrue();
        again.Should().Be(first with { Created = false });
        (await Count(db, "SELECT count(*) FROM payments")).Should().Be(first.Payments);
    }

    [Test]
    public async Task Two_preparations_of_the_same_month_at_once_produce_one_batch()
    {
        await using var db = await Imported();
        var preparer = db.Services.GetRequiredService<BatchPreparer>();

        var results = await Task.WhenAll(Enumerable.Range(0, 4).Select(i => Task.Run(() => preparer.Prepare(April, PreparedOn, $"officer{i}"))));

        results.Count(r => r.Created).Should().Be(1);
        results.Select(r => r.Id).Distinct().Should().ContainSingle();
        (await Count(db, "SELECT count(*) FROM batches")).Should().Be(1);
        (await Count(db, "SELECT count(*) FROM payments")).Should().Be(results[0].Payments);
    }

    [Test]
    public async Task A_batch_conserves_money_and_its_ledger_balances()
    {
        await using var db = await Imported();
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(April, PreparedOn, "anna");

        // The database's conservation check held for every household; the ledger entries all balance.
        (await Count(db, "SELECT count(*) FROM batch_households WHERE batch_id = " + batch.Id)).Should().Be(batch.Households);
        (await Count(db, """
            SELECT count(*) FROM (SELECT entry_id FROM journal_lines GROUP BY entry_id HAVING sum(debit) <> sum(credit)) unbalanced
            """)).Should().Be(0);
        var planned = await Scalar<decimal>(db, "SELECT sum(amount) FROM payments WHERE batch_id = " + batch.Id);
        var paid = await Scalar<decimal>(db, "SELECT sum(installments_paid + leefgeld) FROM batch_households WHERE batch_id = " + batch.Id);
        planned.Should().Be(paid, "every euro paid out is a payment");
    }

    private static async Task<ScratchDatabase> Imported()
    {
        var db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        await db.Services.GetRequiredService<DailyBookkeeping>().Run(PreparedOn, "tester");
        return db;
    }

    private static Task<long> Count(ScratchDatabase db, string sql) => Scalar<long>(db, sql);

    private static async Task<T> Scalar<T>(ScratchDatabase db, string sql)
    {
        await using var connection = new NpgsqlConnection(db.ConnectionString);
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException("no value");
    }
}
