using System.Globalization;
using System.Xml.Linq;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Readiness;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The site's words (issue 20): every key of the resource files has Dutch and English text, every
/// code the engine can show has words, and euros and dates are written the nl-NL and en-GB way.
/// </summary>
public sealed class WordsTests
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");
    private static readonly CultureInfo English = CultureInfo.GetCultureInfo("en-GB");

    [Test]
    public void Every_text_key_has_Dutch_and_English_text()
    {
        var dutch = Texts("SharedResource.resx");
        var english = Texts("SharedResource.en.resx");

        dutch.Should().NotBeEmpty();
        english.Keys.Should().BeEquivalentTo(dutch.Keys, "every key has a Dutch and an English text");
        dutch.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key).Should().BeEmpty("no Dutch text is empty");
        english.Where(t => string.IsNullOrWhiteSpace(t.Value)).Select(t => t.Key).Should().BeEmpty("no English text is empty");
    }

    [Test]
    public void Every_code_the_engine_can_show_on_a_page_has_words()
    {
        string[] kinds = [.. FixedCostKinds.Codes, .. IncomeKinds.Codes, "leefgeld"];
        var keys = kinds.Select(Words.KindKey)
            .Concat(new[] { "active", "upcoming", "ended" }.Select(Words.PeriodStateKey))
            .Concat(new[] { "adult", "child" }.Select(Words.RoleKey))
            .Concat(new[] { "open", "exported", "settled", "returned", "cancelled", "batch_draft", "batch_approved" }.Select(Words.PaymentStatusKey))
            .Concat(Enum.GetValues<BatchStatus>().Select(Words.BatchStatusKey))
            .Concat(Enum.GetValues<ToeslagStatus>().Select(Words.ToeslagStatusKey)).Append("ToeslagStatus.Certain")
            .Concat(Enum.GetValues<ReadinessVerdict>().Select(Words.VerdictKey))
            .Concat(ReadinessCriterion.All.Select(Words.CriterionKey))
            .Concat(Enum.GetValues<DecisionKind>().Select(Words.DecisionKindKey))
            .Concat(Enum.GetValues<AttentionReason>().Select(Words.ReasonKey))
            .Concat(Enum.GetValues<Ontzorging.Domain.Signals.SignalKind>().Select(Words.SignalKindKey))
            .Concat(Enum.GetValues<Ontzorging.Domain.Signals.SignalStatus>().Select(Words.SignalStatusKey))
            .Concat(new[] { "done", "refused", "viewed" }.Select(Words.AuditOutcomeKey))
            .Concat(Enum.GetValues<ActorChannel>().Select(c => Words.ChannelKey(c.Code())))
            .Concat(AuditActions.All.Select(Words.AuditActionKey))
            .Concat(new[] { "household", "batch", "month", "folder", "statement" }.Select(Words.AuditTargetKey))
            .Concat(Enum.GetValues<RefusalCode>().Select(Words.RefusalKey))
            .Concat(["Advice.Ready", "Advice.NotReady", "Footer.EnglishNotReviewed"]);

        Texts("SharedResource.resx").Keys.Should().Contain(keys);
    }

    [Test]
    public void The_readiness_advice_on_the_site_names_no_command()
    {
        foreach (var file in new[] { "SharedResource.resx", "SharedResource.en.resx" })
        {
            var texts = Texts(file);
            texts["Advice.NotReady"].Should().NotContain("household decide").And.NotContain("--");
            texts["Advice.Ready"].Should().NotContain("ontzorging ");
        }
    }

    [TestCase(123456, "€ 1.234,56", "€1,234.56")]
    [TestCase(0, "€ 0,00", "€0.00")]
    [TestCase(100000000, "€ 1.000.000,00", "€1,000,000.00")]
    [TestCase(-705, "€ -7,05", "-€7.05")]
    public void Euros_are_written_with_the_culture_s_number_format(long cents, string dutch, string english)
    {
        Words.Euro(new Money(cents), Dutch).Should().Be(dutch);
        Words.Euro(new Money(cents), English).Should().Be(english, "money is always euros, in the English number format");
    }

    [Test]
    public void Dates_and_moments_are_written_with_month_names_in_Amsterdam_time()
    {
        Words.Date(new LocalDate(2026, 12, 3), Dutch).Should().Be("3 december 2026");
        Words.Date(new LocalDate(2026, 12, 3), English).Should().Be("3 December 2026");
        // 23:30 UTC on 30 June is 1:30 the next day in Amsterdam (summer time, UTC+2).
        Words.Time(Instant.FromUtc(2026, 6, 30, 23, 30), Dutch, seconds: false).Should().Be("1 juli 2026 01:30");
        Words.Time(Instant.FromUtc(2026, 12, 3, 9, 15, 7), English, seconds: true).Should().Be("3 December 2026 10:15:07");
    }

    private static Dictionary<string, string> Texts(string file) =>
        XDocument.Load(Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web", "Resources", file)).Root!.Elements("data")
            .ToDictionary(d => (string)d.Attribute("name")!, d => (string?)d.Element("value") ?? "", StringComparer.Ordinal);
}
