using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>Issue 22: the balances a bank's file carries, kept per day and set against the ledger by reconciliation.</summary>
public sealed class StatementBalanceTests
{
    private const string Header = "Datum;Naam / Omschrijving;Rekening;Tegenrekening;Code;Af Bij;Bedrag (EUR);Mutatiesoort;Mededelingen;Saldo na mutatie;Tag";

    [Test]
    public void A_day_opens_and_closes_where_its_chain_of_balances_does_whatever_order_the_bank_writes_its_lines_in()
    {
        var day = new LocalDate(2026, 11, 2);
        (string, LocalDate, Money, Money?) Line(decimal amount, decimal after) => ("NL82BNGH0285010001", day, Money.FromEuros(amount), Money.FromEuros(after));

        // Newest first, as ING writes: 1000 - 100 = 900, then + 50 = 950.
        var balances = StatementBalances.Of([Line(50m, 950m), Line(-100m, 900m)]);

        balances.Should().Equal(new DayBalance("NL82BNGH0285010001", day, Money.FromEuros(1000m), Money.FromEuros(950m)));
        StatementBalances.Of([Line(-100m, 900m), Line(50m, 950m)]).Should().Equal(balances, "oldest first gives the same day");
    }

    [Test]
    public async Task Each_day_s_balances_are_kept_once_and_a_day_whose_balance_moves_more_than_its_lines_is_an_unexplained_gap()
    {
        await using var db = ScratchDatabase.Create();
        var folder = Directory.CreateTempSubdirectory("ontzorging-balances-").FullName;
        try
        {
            var statement = Path.Combine(folder, "ing.csv");
            // 2 November: 1.000,00 -> 900,00 -> 950,00. 3 November: the balance moves by -200,00 but the one line by -20,00.
            await File.WriteAllLinesAsync(statement, [Header,
                "20261102;Leverancier;NL82BNGH0285010001;NL91ABNA0417164300;OV;Bij;50,00;Overschrijving;storting;950,00;",
                "20261102;Leverancier;NL82BNGH0285010001;NL91ABNA0417164300;OV;Af;100,00;Overschrijving;factuur 1;900,00;",
                "20261103;Leverancier;NL82BNGH0285010001;NL91ABNA0417164300;OV;Af;20,00;Overschrijving;factuur 2;750,00;"]);
            var importer = db.Services.GetRequiredService<BankStatementImporter>();

            (await importer.Import(Actor.Simulated("auditor"), statement, null, dryRun: true)).OrThrow();
            var afterDryRun = await db.Scalar<long>("SELECT count(*) FROM bank_day_balances");
            (await importer.Import(Actor.Simulated("auditor"), statement, null, dryRun: false)).OrThrow();
            (await importer.Import(Actor.Simulated("auditor"), statement, null, dryRun: false)).OrThrow();
            var reconciliation = await db.Services.GetRequiredService<BankReconciliation>().Reconcile(new LocalDate(2026, 11, 1), new LocalDate(2026, 11, 30));

            afterDryRun.Should().Be(0, "a dry run keeps nothing");
            (await db.Scalar<string>("SELECT string_agg(booking_date || ' ' || opening || ' ' || closing, '; ' ORDER BY booking_date) FROM bank_day_balances"))
                .Should().Be("2026-11-02 1000.00 950.00; 2026-11-03 770.00 750.00");
            reconciliation.Reconciled.Should().BeFalse();
            var gap = reconciliation.Items.Single(i => i.Reason == ReconciliationReason.BalanceGap);
            (gap.Date, gap.Amount).Should().Be((new LocalDate(2026, 11, 3), Money.FromEuros(-180m)),
                "the statement closed 2 November at 950,00 and opened 3 November at 770,00: 180,00 left the account on no line of it");
            reconciliation.Days.Single(d => d.Date == new LocalDate(2026, 11, 3)).HasUnexplained.Should().BeTrue();
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
