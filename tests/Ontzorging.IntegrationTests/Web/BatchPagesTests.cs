using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The finance officer's batch pages over HTTP (issue 22): the list with its filters, preparing a
/// month after a preview, the approver's worklist of exceptions, four eyes, the pain.001 download
/// and settlement, each answered as the rules say (422 for what cannot be read, 409 for a rule's no).
/// </summary>
[NonParallelizable]
public sealed class BatchPagesTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite()
    {
        site = await RunningSite.Start();
        await NovemberCase.Import(site);
    }

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [Test]
    public async Task The_list_shows_every_simulated_batch_with_the_names_of_who_prepared_and_approved_it_and_the_schedule()
    {
        using var anna = await site.SignedIn("anna");

        var document = new HtmlParser().ParseDocument(await anna.GetStringAsync("/betalingen"));

        var rows = document.QuerySelectorAll("#batches tbody tr");
        rows.Length.Should().BeGreaterThanOrEqualTo(7, "April to October were simulated");
        rows.Select(r => r.QuerySelectorAll("td")[0].TextContent).Should().Contain("oktober 2026").And.Contain("april 2026");
        document.QuerySelector("#planning")!.TextContent.Should().Contain("Volgende keer");
    }

    [Test]
    public async Task Filters_narrow_the_list_and_an_unreadable_month_answers_422_next_to_its_field()
    {
        using var anna = await site.SignedIn("anna");

        var filtered = new HtmlParser().ParseDocument(await anna.GetStringAsync("/betalingen?van=2026-06&tot=2026-08"));
        var rejected = new HtmlParser().ParseDocument(await anna.GetStringAsync("/betalingen?status=rejected"));
        using var unreadable = await anna.GetAsync("/betalingen?van=juni");

        filtered.QuerySelectorAll("#batches tbody tr").Select(r => r.QuerySelectorAll("td")[0].TextContent).Should().BeEquivalentTo("juni 2026", "juli 2026", "augustus 2026");
        rejected.QuerySelectorAll("#batches tbody tr").Should().BeEmpty("the simulation rejected nothing");
        unreadable.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        new HtmlParser().ParseDocument(await unreadable.Content.ReadAsStringAsync()).QuerySelector("#fout-van")!.TextContent.Should().Contain("juni").And.Contain("geen maand");
    }

    [Test]
    public async Task A_month_that_cannot_be_read_answers_422_next_to_the_field_and_nothing_is_prepared()
    {
        using var anna = await site.SignedIn("anna");
        var batches = await site.Database.Scalar<long>("SELECT count(*) FROM batches");

        using var response = await Post(anna, "/betalingen", "Preview", new() { ["maand"] = "november" });

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#fout-month")!.TextContent.Should().Contain("‘november’ is geen maand");
        (await site.Database.Scalar<long>("SELECT count(*) FROM batches")).Should().Be(batches);
    }

    [TestCase("/betalingen")]
    [TestCase("/betalingen/1")]
    [TestCase("/betalingen?status=draft&van=2026-01")]
    public async Task A_caseworker_is_refused_every_batch_page(string path)
    {
        using var carla = await site.SignedIn("carla");

        using var response = await carla.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_caseworker_cannot_prepare_or_approve_by_posting_either()
    {
        using var carla = await site.SignedIn("carla");
        var token = RunningSite.Token(await carla.GetStringAsync("/huishoudens"));

        using var prepare = await carla.PostAsync("/betalingen?handler=Prepare", Form(token, new() { ["maand"] = "2026-11", ["reden"] = "x" }));
        using var approve = await carla.PostAsync("/betalingen/1?handler=Approve", Form(token, []));

        (prepare.StatusCode, approve.StatusCode).Should().Be((HttpStatusCode.Forbidden, HttpStatusCode.Forbidden));
    }

    [Test]
    public async Task Anna_prepares_November_after_a_preview_bob_acknowledges_every_exception_approves_downloads_and_records_settlement()
    {
        using var anna = await site.SignedIn("anna");
        using var bob = await site.SignedIn("bob");

        // The preview is the preparation's own dry run: figures, and the reason the late month needs.
        using var preview = await Post(anna, "/betalingen", "Preview", new() { ["maand"] = "2026-11" });
        var previewPage = new HtmlParser().ParseDocument(await preview.Content.ReadAsStringAsync());
        preview.StatusCode.Should().Be(HttpStatusCode.OK);
        previewPage.QuerySelector("#preview-late")!.TextContent.Should().MatchRegex(@"^\d+ termijnen worden te laat uitgevoerd$");
        previewPage.QuerySelector("#preview-reason")!.TextContent.Should().Contain("niet zonder reden");
        (await site.Database.Scalar<long>("SELECT count(*) FROM batches WHERE month = '2026-11-01'")).Should().Be(0, "a preview writes nothing");

        using var withoutReason = await Post(anna, "/betalingen", "Prepare", new() { ["maand"] = "2026-11" });
        withoutReason.StatusCode.Should().Be(HttpStatusCode.Conflict);
        new HtmlParser().ParseDocument(await withoutReason.Content.ReadAsStringAsync()).QuerySelector("#fout-reason")!.TextContent.Should().Contain("geef een reden");

        using var prepared = await Post(anna, "/betalingen", "Prepare", new() { ["maand"] = "2026-11", ["reden"] = "prepared after the simulated months" });
        prepared.StatusCode.Should().Be(HttpStatusCode.Redirect);
        var path = prepared.Headers.Location!.OriginalString;
        var id = long.Parse(path.Split('/')[^1], System.Globalization.CultureInfo.InvariantCulture);
        var exceptions = await site.Database.Scalar<long>($"SELECT count(*) FROM batch_issues WHERE batch_id = {id}");
        exceptions.Should().BePositive("November's installments prepared in December go out late");

        // The preparer sees approval refused with the reason, and is refused if she posts anyway.
        var annaPage = new HtmlParser().ParseDocument(await anna.GetStringAsync(path));
        annaPage.QuerySelector("#goedkeuren")!.HasAttribute("disabled").Should().BeTrue();
        annaPage.QuerySelector("#approve-blocked")!.TextContent.Should().Contain("vier ogen");
        using var selfApproval = await Post(anna, path, "Approve", []);
        selfApproval.StatusCode.Should().Be(HttpStatusCode.Conflict);
        new HtmlParser().ParseDocument(await selfApproval.Content.ReadAsStringAsync()).QuerySelector("#refusal")!.TextContent
            .Should().Contain("voorbereid door Anna Bakker", "the refusal names the person, not her sign-in subject");

        // Bob is refused while exceptions wait, then acknowledges each (twice changes nothing).
        var bobPage = new HtmlParser().ParseDocument(await bob.GetStringAsync(path));
        bobPage.QuerySelector("#goedkeuren")!.HasAttribute("disabled").Should().BeTrue();
        using var early = await Post(bob, path, "Approve", []);
        early.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await early.Content.ReadAsStringAsync()).Should().Contain("nog niet als gezien gemarkeerd");
        var ids = bobPage.QuerySelectorAll("#exceptions input[name='uitzondering']").Select(i => i.GetAttribute("value")!).ToList();
        ids.Should().HaveCount((int)exceptions);
        bobPage.QuerySelector("#exception-kinds tbody tr td:nth-of-type(3)")!.TextContent.Should().NotBeNullOrWhiteSpace("each kind of exception says what to do");
        foreach (var exception in ids)
        {
            (await Post(bob, path, "Acknowledge", new() { ["uitzondering"] = exception })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        }

        using var again = await Post(bob, path, "Acknowledge", new() { ["uitzondering"] = ids[0] });
        again.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await site.Database.Scalar<long>($"SELECT count(*) FROM batch_issue_acknowledgements WHERE batch_id = {id}")).Should().Be(exceptions);
        (await site.Database.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.acknowledge' AND target = 'batch {id}' AND outcome = 'done'")).Should().Be(exceptions);

        using var approve = await Post(bob, path, "Approve", []);
        approve.StatusCode.Should().Be(HttpStatusCode.Redirect);

        // The download is the audited export, handed out and removed from the site's folder.
        using var download = await Post(bob, path, "Export", new() { ["versie"] = "09" });
        download.StatusCode.Should().Be(HttpStatusCode.OK);
        download.Content.Headers.ContentType!.MediaType.Should().Be("application/xml");
        var file = Path.Combine(Path.GetTempPath(), $"ontzorging-download-{Guid.NewGuid():N}.xml");
        await File.WriteAllBytesAsync(file, await download.Content.ReadAsByteArrayAsync());
        try
        {
            Pain001Schemas.Validate(file, Pain001Version.V09).Should().BeEmpty();
        }
        finally
        {
            File.Delete(file);
        }

        (await site.Database.Scalar<string>($"SELECT actor_subject FROM audit_log WHERE action = 'batch.export' AND target = 'batch {id}' AND outcome = 'done'")).Should().Be("oidc:dev-bob");
        var exports = Path.Combine(Path.GetTempPath(), "ontzorging-site-exports");
        for (var wait = 0; wait < 50 && Directory.EnumerateFiles(exports).Any(); wait++)
        {
            await Task.Delay(100);
        }

        Directory.EnumerateFiles(exports).Should().BeEmpty("the site keeps no copy once the file is sent");

        using var unreadableDate = await Post(bob, path, "Settle", new() { ["tot"] = "morgen" });
        unreadableDate.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        using var settle = await Post(bob, path, "Settle", new() { ["tot"] = "2099-12-31" });
        settle.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await site.Database.Scalar<string>($"SELECT status FROM batches WHERE id = {id}")).Should().Be("settled");
    }

    [Test]
    public async Task Rejecting_without_a_reason_is_refused_next_to_the_reason()
    {
        using var bob = await site.SignedIn("bob");
        var draft = await site.Database.Scalar<long?>("SELECT id FROM batches WHERE status = 'draft' LIMIT 1");
        var id = draft ?? await site.Database.Scalar<long>("SELECT max(id) FROM batches");

        using var response = await Post(bob, $"/betalingen/{id}", "Reject", new() { ["reden"] = "" });

        response.StatusCode.Should().Be(HttpStatusCode.Conflict);
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, string handler, Dictionary<string, string> fields)
    {
        var token = RunningSite.Token(await client.GetStringAsync(path.Split('?')[0]));
        return await client.PostAsync($"{path}?handler={handler}", Form(token, fields));
    }

    private static FormUrlEncodedContent Form(string token, Dictionary<string, string> fields) =>
        new(new Dictionary<string, string>(fields) { ["__RequestVerificationToken"] = token });
}
