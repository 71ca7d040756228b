using Ontzorging.Domain.Batches;

namespace Ontzorging.Domain.Tests.Batches;

public sealed class PaymentsDigestTests
{
    private static readonly PaidFacts Rent = new("Woonstichting De Key", "NL91ABNA0417164300", Money.FromEuros(612.40m), new LocalDate(2026, 6, 1),
        "1234567890123456", "HH-0017/C12/260601/1", "rent");

    private static readonly PaidFacts Leefgeld = new("Amal Haddad", "NL20INGB0001234567", Money.FromEuros(245.17m), new LocalDate(2026, 6, 1),
        null, "HH-0017/LG2606/260601/1", "leefgeld");

    private static readonly PaidFacts Insurance = new("Zorgverzekeraar Zuid é", "NL02ABNA0123456789", Money.FromEuros(139.95m), new LocalDate(2026, 6, 26),
        "0000000000000042", "HH-0017/C13/260626/2", "health_insurance");

    [Test]
    public void The_hash_is_the_documented_encoding_computed_elsewhere()
    {
        // Computed with a few lines of Python from the description in PaymentsDigest (length-prefixed
        // UTF-8 fields, SHA-256 per payment, SHA-256 of the sorted hashes), not from this code.
        var digest = PaymentsDigest.Of([Rent, Leefgeld, Insurance]);

        digest.Should().Be(new PaymentsDigest(3, Money.FromEuros(997.52m), "8b42e4d16e0187ad7da82a6171568c3c3e768821ea0d97eaeea6f331b6cdd7a2"));
        PaymentsDigest.None.Should().Be(new PaymentsDigest(0, Money.Zero, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"));
    }

    [Test]
    public void The_order_in_which_payments_are_read_does_not_matter() =>
        PaymentsDigest.Of([Insurance, Rent, Leefgeld]).Should().Be(PaymentsDigest.Of([Rent, Leefgeld, Insurance]));

    [TestCase("payee", TestName = "Another payee name changes the hash")]
    [TestCase("iban", TestName = "Another IBAN changes the hash")]
    [TestCase("date", TestName = "Another execution date changes the hash")]
    [TestCase("reference", TestName = "Another reference changes the hash")]
    [TestCase("no reference", TestName = "A reference dropped changes the hash")]
    [TestCase("empty reference", TestName = "An empty reference is not a missing one")]
    [TestCase("end to end", TestName = "Another EndToEndId changes the hash")]
    [TestCase("kind", TestName = "Another kind changes the hash")]
    [TestCase("shifted", TestName = "Text moved from one field to the next changes the hash")]
    public void Every_fact_of_a_payment_is_in_the_hash(string change)
    {
        var changed = change switch
        {
            "payee" => Rent with { PayeeName = "Mallory" },
            "iban" => Rent with { PayeeIban = "NL02ABNA0123456789" },
            "date" => Rent with { ExecutionDate = Rent.ExecutionDate.PlusDays(1) },
            "reference" => Rent with { Reference = "1234567890123457" },
            "no reference" => Rent with { Reference = null },
            "empty reference" => Rent with { Reference = "" },
            "end to end" => Rent with { EndToEndId = "HH-0017/C12/260601/2" },
            "kind" => Rent with { Kind = "energy" },
            "shifted" => Rent with { PayeeName = "Woonstichting De", PayeeIban = "KeyNL91ABNA0417164300" },
            _ => throw new ArgumentOutOfRangeException(nameof(change)),
        };
        var before = PaymentsDigest.Of([Rent, Leefgeld]);
        var after = PaymentsDigest.Of([changed, Leefgeld]);

        after.Sha256.Should().NotBe(before.Sha256);
        (after.Count, after.ControlSum).Should().Be((before.Count, before.ControlSum), "only the hash can tell these apart");
        PaymentsDigest.ExportRefusal(7, before, after)!.Code.Should().Be(RefusalCode.PaymentsNotAsApproved);
    }

    [Test]
    public void An_amount_moved_between_two_payments_keeps_count_and_sum_but_not_the_hash()
    {
        var approved = PaymentsDigest.Of([Rent, Leefgeld]);
        var moved = PaymentsDigest.Of([Rent with { Amount = Rent.Amount + Money.FromEuros(100) }, Leefgeld with { Amount = Leefgeld.Amount - Money.FromEuros(100) }]);

        (moved.Count, moved.ControlSum).Should().Be((approved.Count, approved.ControlSum));
        moved.Sha256.Should().NotBe(approved.Sha256);
    }

    [Test]
    public void An_export_of_the_approved_payments_goes_ahead_and_any_other_is_refused_with_both_counts_and_sums()
    {
        var approved = PaymentsDigest.Of([Rent, Leefgeld]);

        PaymentsDigest.ExportRefusal(7, approved, PaymentsDigest.Of([Leefgeld, Rent])).Should().BeNull();
        PaymentsDigest.ExportRefusal(7, approved, PaymentsDigest.Of([Rent, Leefgeld, Insurance]))!.Message.Should()
            .Be("batch 7 was not exported: its payments are not the ones approved (2 payment(s) of 857.57 in total were approved; the batch now holds 3 of 997.52, "
                + "or a payee, IBAN, amount, date or reference differs). Someone changed them past the database's guards: report it; a batch not yet exported is cancelled and prepared again");
    }

    [Test]
    public void A_batch_approved_before_approvals_kept_a_digest_is_not_exported() =>
        PaymentsDigest.ExportRefusal(7, null, PaymentsDigest.Of([Rent]))!.Code.Should().Be(RefusalCode.ApprovedWithoutDigest);
}
