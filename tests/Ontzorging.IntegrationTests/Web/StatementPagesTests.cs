using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Issue 22, bank statements and the ledger, over HTTP on the real site: the sample municipality
/// (samples/, whose statements samples/bank/ are) simulated March to November 2026, an upload limit of
/// one MiB, and an upload folder of its own so what is kept can be looked at.
/// </summary>
[NonParallelizable]
public sealed partial class StatementPagesTests
{
    private static readonly string Bank = Path.Combine(SampleCopy.Samples, "bank");
    private RunningSite site = null!;
    private string uploads = null!;

    [OneTimeSetUp]
    public async Task StartSite()
    {
        uploads = Directory.CreateTempSubdirectory("ontzorging-uploads-").FullName;
        site = await RunningSite.Start(c => c.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Ontzorging:Web:MaxStatementUploadMegabytes"] = "1",
            ["Ontzorging:Web:UploadFolder"] = uploads,
        }), new NodaTime.YearMonth(2026, 11), SampleCopy.Samples, new NodaTime.YearMonth(2026, 3));
    }

    [OneTimeTearDown]
    public async Task StopSite()
    {
        await site.DisposeAsync();
        Directory.Delete(uploads, recursive: true);
    }

    [Test]
    public async Task Dirk_uploads_every_sample_statement_dry_run_first_then_imports_and_June_to_October_reconciles_with_nothing_unexplained()
    {
        using var dirk = await site.SignedIn("dirk");
        foreach (var file in Directory.GetFiles(Bank).Order(StringComparer.Ordinal))
        {
            var lines = await site.Database.Scalar<long>("SELECT count(*) FROM bank_lines");
            using var dryRun = await Upload(dirk, file);
            var html = await dryRun.Content.ReadAsStringAsync();
            dryRun.StatusCode.Should().Be(HttpStatusCode.OK, html);
            html.Should().Contain("id=\"sum-added\"").And.Contain("inlezen-bevestigen");
            (await site.Database.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(lines, $"the dry run of {Path.GetFileName(file)} writes nothing");

            using var confirmed = await Confirm(dirk, html);
            confirmed.StatusCode.Should().Be(HttpStatusCode.Redirect);
            var after = await dirk.GetStringAsync("/bankafschriften");
            after.Should().Contain("id=\"ingelezen\"").And.Contain(Path.GetFileName(file));
        }

        Directory.EnumerateFileSystemEntries(uploads).Should().BeEmpty("an imported upload is deleted");
        (await site.Database.Scalar<long>("SELECT count(*) FROM bank_imports WHERE imported_by = 'oidc:dev-dirk'")).Should().BeGreaterThanOrEqualTo(5);
        (await site.Database.Scalar<long>("SELECT count(DISTINCT booking_date) FROM bank_day_balances")).Should().BeGreaterThan(0,
            "the Rabobank, ABN AMRO and ING semicolon statements carry balances");

        using var reconciliation = await dirk.GetAsync("/aansluiting?van=2026-06-01&tot=2026-10-31");
        var page = await reconciliation.Content.ReadAsStringAsync();
        reconciliation.StatusCode.Should().Be(HttpStatusCode.OK);
        Outcome().Match(page).Groups[1].Value.Should().Contain("Aangesloten: elk verschil is verklaard.");
        page.Should().NotContain("id=\"onverklaard-kop\"").And.Contain("Eindsaldo bank");
    }

    [Test]
    public async Task The_same_statement_uploaded_again_adds_nothing_and_the_page_says_so()
    {
        using var dirk = await site.SignedIn("dirk");
        var file = Path.Combine(Bank, "rabobank-2026-07.csv");
        using (var first = await Upload(dirk, file))
        {
            await Confirm(dirk, await first.Content.ReadAsStringAsync());
        }

        var lines = await site.Database.Scalar<long>("SELECT count(*) FROM bank_lines");

        using var again = await Upload(dirk, file);
        var html = await again.Content.ReadAsStringAsync();
        html.Should().Contain("id=\"niets-nieuw\"").And.Contain("id=\"eerder-ingelezen\"");
        using var confirmed = await Confirm(dirk, html);
        var list = await dirk.GetStringAsync("/bankafschriften");

        list.Should().Contain("er is niets toegevoegd");
        (await site.Database.Scalar<long>("SELECT count(*) FROM bank_lines")).Should().Be(lines);
        (await site.Database.Scalar<long>("SELECT lines_added FROM bank_imports ORDER BY id DESC LIMIT 1")).Should().Be(0, "the import is listed, with nothing added");
    }

    [Test]
    public async Task A_refused_statement_lists_every_error_with_its_line_and_column_and_nothing_is_written_or_kept()
    {
        using var dirk = await site.SignedIn("dirk");
        var file = Path.Combine(uploads, "..", $"kapot-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            "NL82BNGH0285010001,2026-13-01,10.00,,X,a,", "NL82BNGH0285010001,2026-11-02,tien,,X,b,"]);
        var imports = await site.Database.Scalar<long>("SELECT count(*) FROM bank_imports");
        try
        {
            using var response = await Upload(dirk, file);
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
            var rows = ErrorRow().Matches(html).Select(m => $"{m.Groups[1].Value} {m.Groups[2].Value}").ToList();
            rows.Should().Equal("2 booking_date", "3 amount");
            html.Should().Contain("er is niets opgeslagen");
            (await site.Database.Scalar<long>("SELECT count(*) FROM bank_imports")).Should().Be(imports);
            Directory.EnumerateFileSystemEntries(uploads).Should().BeEmpty("a refused upload is not kept");
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task An_upload_over_the_configured_limit_is_refused_with_413_and_the_message_next_to_the_field()
    {
        using var dirk = await site.SignedIn("dirk");
        var file = Path.Combine(uploads, "..", $"groot-{Guid.NewGuid():N}.csv");
        await File.WriteAllTextAsync(file, "account,booking_date,amount,counterparty_iban,counterparty_name,description,reference\n" + new string('x', 1_200_000));
        try
        {
            using var response = await Upload(dirk, file);
            var html = await response.Content.ReadAsStringAsync();

            response.StatusCode.Should().Be(HttpStatusCode.RequestEntityTooLarge);
            html.Should().Contain("id=\"fout-file\"").And.Contain("groter dan 1 MB");
            Directory.EnumerateFileSystemEntries(uploads).Should().BeEmpty();
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Test]
    public async Task A_suggestion_is_confirmed_once_with_its_months_and_a_second_confirmation_is_refused_with_409()
    {
        using var dirk = await site.SignedIn("dirk");
        var file = Path.Combine(uploads, "..", $"storting-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(file, ["account,booking_date,amount,counterparty_iban,counterparty_name,description,reference",
            "NL82BNGH0285010001,2026-11-18,77.00,NL91ABNA0417164300,محمد العلي,نقل HH-0001 nabetaling,"]);
        try
        {
            using (var dryRun = await Upload(dirk, file))
            {
                await Confirm(dirk, await dryRun.Content.ReadAsStringAsync());
            }
        }
        finally
        {
            File.Delete(file);
        }

        var line = await site.Database.Scalar<long>("SELECT id FROM bank_lines WHERE amount = 77.00 AND booking_date = '2026-11-18'");
        var list = await dirk.GetStringAsync("/suggesties");
        list.Should().Contain($"id=\"suggestie-{line}\"");
        Regex.IsMatch(list, "<bdi>[^<]+</bdi>").Should().BeTrue("the counterparty's right-to-left name is isolated");
        list.Should().Contain("dir=\"auto\"");
        var search = await dirk.GetStringAsync($"/suggesties?regel={line}&zoek=HH-0001");
        search.Should().Contain($"id=\"hh-{line}-HH-0001\"");

        var form = new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RunningSite.Token(list), ["Line"] = $"{line}", ["Household"] = "HH-0001", ["Kind"] = "zorgtoeslag",
            ["CoversFrom"] = "2026-09", ["CoversTo"] = "2026-10",
        };
        using var first = await dirk.PostAsync("/suggesties", new FormUrlEncodedContent(form));
        using var second = await dirk.PostAsync("/suggesties", new FormUrlEncodedContent(form));

        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        second.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await second.Content.ReadAsStringAsync()).Should().Contain($"banklijn {line} is geen inkomende lijn die op bevestiging wacht");
        (await site.Database.Scalar<string>($"SELECT covers_from || ' ' || covers_to FROM receipts WHERE reference LIKE 'bank line {line} %'")).Should().Be("2026-09-01 2026-10-01");
    }

    [Test]
    public async Task A_household_outside_the_person_s_municipalities_cannot_be_confirmed_or_exported()
    {
        using var dirk = await site.SignedIn("dirk");
        var list = await dirk.GetStringAsync("/suggesties");
        var token = RunningSite.Token(list);

        using var confirm = await dirk.PostAsync("/suggesties", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Line"] = "1", ["Household"] = "NOT-THERE", ["Kind"] = "zorgtoeslag",
        }));
        using var export = await dirk.PostAsync("/aansluiting/grootboek", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Household"] = "NOT-THERE",
        }));

        confirm.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        export.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
    }

    [Test]
    public async Task The_ledger_of_a_household_is_downloaded_as_formula_safe_CSV_and_each_download_is_in_the_audit_trail()
    {
        using var dirk = await site.SignedIn("dirk");
        var token = RunningSite.Token(await dirk.GetStringAsync("/aansluiting"));
        var before = await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'ledger.export' AND actor_subject = 'oidc:dev-dirk'");

        using var response = await dirk.PostAsync("/aansluiting/grootboek", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Household"] = "HH-0001", ["From"] = "2026-06-01", ["To"] = "2026-10-31",
        }));
        var csv = await response.Content.ReadAsStringAsync();

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("text/csv");
        response.Content.Headers.ContentDisposition!.FileName.Should().Contain("grootboek-HH-0001.csv");
        csv.Should().StartWith("entry_id,date,account,debit,credit,description,recorded_by");
        csv.Split('\n').Skip(1).Where(l => l.Length > 0).Should().OnlyContain(l => !l.StartsWith('='));
        (await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'ledger.export' AND actor_subject = 'oidc:dev-dirk'")).Should().Be(before + 1);
    }

    [Test]
    public async Task A_caseworker_gets_403_on_every_page_of_the_bank_statements_and_the_ledger()
    {
        using var carla = await site.SignedIn("carla");
        var token = RunningSite.Token(await carla.GetStringAsync("/huishoudens"));
        var answers = new List<string>();
        foreach (var path in new[] { "/bankafschriften", "/bankafschriften/inlezen", "/bankafschriften/bevestigen", "/bankafschriften/voortgang?kaartje=x", "/suggesties",
                     "/suggesties?regel=1&zoek=HH", "/aansluiting", "/aansluiting?van=2026-06-01&tot=2026-10-31", "/aansluiting/grootboek" })
        {
            using var get = await carla.GetAsync(path);
            using var post = await carla.PostAsync(path, new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = token }));
            answers.Add($"GET {path}: {(int)get.StatusCode}");
            answers.Add($"POST {path}: {(int)post.StatusCode}");
        }

        answers.Should().OnlyContain(a => a.EndsWith(": 403", StringComparison.Ordinal));
    }

    [Test]
    public async Task A_finance_officer_may_import_but_not_reconcile_nor_confirm()
    {
        using var anna = await site.SignedIn("anna");

        (await anna.GetAsync("/bankafschriften")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await anna.GetAsync("/suggesties")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await anna.GetAsync("/aansluiting")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_dry_run_kept_for_one_person_is_not_found_by_another()
    {
        using var dirk = await site.SignedIn("dirk");
        using var dryRun = await Upload(dirk, Path.Combine(Bank, "generic-2026-09.csv"));
        var html = await dryRun.Content.ReadAsStringAsync();
        using var anna = await site.SignedIn("anna");
        var token = RunningSite.Token(await anna.GetStringAsync("/bankafschriften"));

        using var stolen = await anna.PostAsync("/bankafschriften/bevestigen", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = token, ["Upload"] = UploadId().Match(html).Groups[1].Value,
        }));

        stolen.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        (await stolen.Content.ReadAsStringAsync()).Should().Contain("niet van u");
        Directory.EnumerateDirectories(uploads).Should().HaveCount(1, "dirk's upload is still his to confirm");
        Directory.Delete(Directory.EnumerateDirectories(uploads).Single(), recursive: true);
    }

    [Test]
    public async Task The_progress_of_an_upload_is_told_to_the_person_who_sent_it_and_to_nobody_else()
    {
        using var dirk = await site.SignedIn("dirk");
        using var anna = await site.SignedIn("anna");
        var form = await dirk.GetStringAsync("/bankafschriften");
        var ticket = Ticket().Match(form).Groups[1].Value;
        site.App.Services.GetRequiredService<Ontzorging.Web.Statements.StatementProgress>().Report("oidc:dev-dirk", ticket, "read", 0.5);

        var own = await dirk.GetAsync($"/bankafschriften/voortgang?kaartje={ticket}");
        var other = await anna.GetAsync($"/bankafschriften/voortgang?kaartje={ticket}");

        form.Should().Contain("src=\"/bankafschriften.js\"").And.Contain("data-progress=");
        (await own.Content.ReadAsStringAsync()).Should().Be("{\"stage\":\"read\",\"done\":0.5}");
        other.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    /// <summary>The upload form's post, as a browser sends it: the antiforgery token first, then the file.</summary>
    private static async Task<HttpResponseMessage> Upload(HttpClient client, string file)
    {
        var form = await client.GetStringAsync("/bankafschriften");
        using var content = new MultipartFormDataContent
        {
            { new StringContent(RunningSite.Token(form)), "__RequestVerificationToken" },
            { new StringContent(Ticket().Match(form).Groups[1].Value), "voortgang" },
            { new StringContent(""), "formaat" },
        };
        var bytes = new ByteArrayContent(await File.ReadAllBytesAsync(file));
        bytes.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        content.Add(bytes, "bestand", Path.GetFileName(file));
        return await client.PostAsync("/bankafschriften/inlezen", content);
    }

    private static async Task<HttpResponseMessage> Confirm(HttpClient client, string dryRun) =>
        await client.PostAsync("/bankafschriften/bevestigen", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["__RequestVerificationToken"] = RunningSite.Token(dryRun), ["Upload"] = UploadId().Match(dryRun).Groups[1].Value, ["Ticket"] = "t",
        }));

    [GeneratedRegex("name=\"Upload\" value=\"([0-9a-f]+)\"")]
    private static partial Regex UploadId();

    [GeneratedRegex("name=\"voortgang\" value=\"([0-9a-f]+)\"")]
    private static partial Regex Ticket();

    [GeneratedRegex("id=\"aansluiting-uitkomst\">([^<]*)<")]
    private static partial Regex Outcome();

    [GeneratedRegex("<td class=\"utrecht-table__cell amount\">(\\d+)</td>\\s*<td class=\"utrecht-table__cell\"><bdi>([^<]*)</bdi></td>")]
    private static partial Regex ErrorRow();
}
