using System.Globalization;
using System.Net;
using AngleSharp.Html.Parser;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Npgsql;
using Ontzorging.IntegrationTests.Support;

using static Ontzorging.IntegrationTests.Web.BrowserPages;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// Complaints (issue 24, Awb chapter 9, docs/rules.md §19) on the sample municipality simulated March
/// to November 2026: carla registers a complaint about HH-0017's June energy payment in a real
/// Chromium, links it, acknowledges it, postpones it once, records the hearing, the outcome and the
/// apology, sees it on the money story at June, and the register counts it, every page passing axe;
/// and every refusal is answered at its field with 422, with nothing written.
/// </summary>
[NonParallelizable]
public sealed class ComplaintTests
{
    private RunningSite site = null!;
    private IPlaywright playwright = null!;
    private IBrowser browser = null!;

    /// <summary>HH-0017's latest settled rent, which the landlord's bank sent back (a storno, AC04) in the fixture.</summary>
    private long returnedRent;

    private string returnedMonth = "";

    [OneTimeSetUp]
    public async Task Start()
    {
        site = await RunningSite.Start(null, new NodaTime.YearMonth(2026, 11), SampleCopy.Samples, new NodaTime.YearMonth(2026, 3));

        // The landlord's bank returns HH-0017's October rent: a storno line on the managed account.
        var rent = (await Query<(long Id, string Key, string Iban, decimal Amount, NodaTime.LocalDate Date, NodaTime.LocalDate Month)>("""
            SELECT p.id, p.end_to_end_id, p.payee_iban, p.amount, p.execution_date, b.month FROM payments p JOIN households h ON h.id = p.household_id JOIN batches b ON b.id = p.batch_id
             WHERE h.reference = 'HH-0017' AND p.kind = 'rent' AND p.status = 'settled' ORDER BY p.execution_date DESC LIMIT 1
            """)).Single();
        returnedMonth = rent.Month.ToString("yyyy-MM", CultureInfo.InvariantCulture);
        var statement = Path.Combine(Path.GetTempPath(), $"ontzorging-storno-{Guid.NewGuid():N}.csv");
        await File.WriteAllLinesAsync(statement, [string.Join(',', [.. Infrastructure.BankLedgers.BankStatementReader.GenericColumns, Infrastructure.BankLedgers.BankStatementReader.GenericReturnReason]),
            string.Create(CultureInfo.InvariantCulture, $"NL82BNGH0285010001,{rent.Date.PlusDays(3):yyyy-MM-dd},{rent.Amount:0.00},{rent.Iban},Portaal Utrecht,Terugboeking,{rent.Key},AC04 rekening opgeheven")]);
        try
        {
            (await site.Database.Services.GetRequiredService<Infrastructure.BankLedgers.BankStatementImporter>()
                .Import(Domain.Actor.Simulated("bank"), statement, null, dryRun: false)).Success.Should().BeTrue();
        }
        finally
        {
            File.Delete(statement);
        }

        returnedRent = rent.Id;
        (await Single<string>($"SELECT status FROM payments WHERE id = {returnedRent}")).Should().Be("returned");
        playwright = await Playwright.CreateAsync();
        browser = await Launch(playwright);
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await browser.DisposeAsync();
        playwright.Dispose();
        await site.DisposeAsync();
    }

    [Test]
    public async Task Carla_registers_a_complaint_about_HH_0017s_June_energy_payment_and_a_returned_rent_handles_it_to_its_outcome_and_the_register_counts_it_every_page_passing_axe()
    {
        // June's energy bill: the payment that paid it, or (credit at its cap) the arrear June left, which only the month names.
        var energy = await Single<long>("""
            SELECT coalesce(max(p.id), 0) FROM payments p JOIN households h ON h.id = p.household_id
             WHERE h.reference = 'HH-0017' AND p.kind = 'energy' AND p.due_date BETWEEN DATE '2026-06-01' AND DATE '2026-06-30' AND p.status <> 'cancelled'
            """);
        var link = energy > 0 ? $"#link-payment-{energy}" : "#link-month-2026-06";
        var page = await SignedIn("carla");
        await page.GotoAsync(site.Address + "/klachten");
        await NoViolations(page);
        var year = await RegisterCount(page, null);
        var before = await RegisterCount(page, year);

        await page.GotoAsync(site.Address + "/huishoudens/HH-0017");
        await page.Locator("a[href='/klachten/nieuw?huishouden=HH-0017']").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/nieuw?huishouden=HH-0017");
        await NoViolations(page);
        var today = NodaTime.Text.LocalDatePattern.Iso.Parse(await page.Locator("#veld-received").InputValueAsync()).Value;
        await page.Locator("#veld-channel").SelectOptionAsync("letter");
        await page.Locator("#complainant-member").CheckAsync();
        await page.Locator("#veld-complainant_name").FillAsync("Amanuel Tesfay");
        await page.Locator("#veld-subject").SelectOptionAsync("payment");
        await page.Locator("#veld-description").FillAsync("De energierekening van juni is niet betaald.\nHet energiebedrijf stuurde een aanmaning.");
        await page.Locator(link).CheckAsync();
        await page.Locator($"#link-payment-{returnedRent}").CheckAsync();
        await page.Locator("#klacht-registreren").ClickAsync();
        await Reached(page, new System.Text.RegularExpressions.Regex(@"/klachten/\d+$"));
        var id = long.Parse(page.Url[(page.Url.LastIndexOf('/') + 1)..], CultureInfo.InvariantCulture);
        await NoViolations(page);
        var deadline = Domain.Complaints.ComplaintClock.StatutoryDeadlineOf(today, false, Domain.Policy.Default);
        (await page.Locator("dl.facts").InnerTextAsync()).Should().Contain(Dutch(deadline), "the decision is due six weeks after receipt");

        await page.Locator("#ontvangst-vastleggen").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/{id}");
        (await page.Locator("#stap-ontvangst + p").InnerTextAsync()).Should().Contain(Dutch(today));

        var postponed = deadline.PlusDays(14);
        await page.Locator("#veld-new_deadline").FillAsync(postponed.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        await page.Locator("#termijn-verdagen").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/{id}");
        (await page.Locator("dl.facts").InnerTextAsync()).Should().Contain(Dutch(postponed));
        (await page.Locator("#termijn-verdagen").CountAsync()).Should().Be(0, "the one postponement was used; only a delay with consent is offered");
        (await page.Locator("#termijn-uitstellen").CountAsync()).Should().Be(1);

        await page.Locator("#veld-waiver").SelectOptionAsync("complainant_declined");
        await page.Locator("#horen-vastleggen").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/{id}");
        await page.Locator("#veld-outcome").SelectOptionAsync("well_founded");
        await page.Locator("#veld-findings").FillAsync("De betaling van juni is door ons te laat gedaan.");
        await page.Locator("#beslissing-vastleggen").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/{id}");
        await page.Locator("#veld-remedy").SelectOptionAsync("apology");
        await page.Locator("#herstel-vastleggen").ClickAsync();
        await Reached(page, $"{site.Address}/klachten/{id}");
        await NoViolations(page);
        (await page.Locator("#stap-beslissing + p").InnerTextAsync()).Should().Contain("gegrond");

        await page.GotoAsync(site.Address + $"/klachten/{id}/brief/ontvangst");
        await NoViolations(page);
        (await page.Locator("section[lang=nl]").InnerTextAsync()).Should().Contain(Dutch(postponed), "the acknowledgement names the deadline as it stands");
        await page.GotoAsync(site.Address + $"/klachten/{id}/brief/beslissing");
        await NoViolations(page);
        (await page.Locator("section[lang=nl]").InnerTextAsync()).Should().Contain("Uw klacht is gegrond").And.Contain("Nationale ombudsman").And.Contain("excuses");
        (await page.Locator("section[lang=en]").InnerTextAsync()).Should().Contain("well-founded").And.Contain("National Ombudsman");

        await page.GotoAsync(site.Address + "/huishoudens/HH-0017");
        (await page.Locator("#maand-2026-06 .complaint-mark").InnerTextAsync()).Should().Contain($"Klacht {id}", "the money story shows the complaint at June");
        (await page.Locator($"#maand-{returnedMonth} .complaint-mark").InnerTextAsync()).Should().Contain($"Klacht {id}", "and at the month whose rent came back");
        await NoViolations(page);

        (await RegisterCount(page, year)).Should().Be(before + 1);
        await NoViolations(page);
        (await Single<long>($"SELECT count(*) FROM audit_log WHERE target = 'complaint {id}' AND outcome = 'done'")).Should().Be(6, "register, acknowledge, postpone, hearing, decide and the remedy are each a write with its record");
    }

    [Test]
    public async Task A_deadline_moved_a_second_time_without_consent_is_refused_with_422_and_nothing_is_written()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0001", "leefgeld", []);
        var deadline = await Single<NodaTime.LocalDate>($"SELECT statutory_deadline FROM complaints WHERE id = {id}");
        var today = await Today(carla);
        (await Post(carla, $"/klachten/{id}?handler=Postpone", new() { ["new_deadline"] = Iso(deadline.PlusDays(7)), ["notice_on"] = Iso(today) })).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var again = await Post(carla, $"/klachten/{id}?handler=Postpone", new() { ["new_deadline"] = Iso(deadline.PlusDays(14)), ["notice_on"] = Iso(today) });

        again.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await again.Content.ReadAsStringAsync()).QuerySelector("#fout-new_deadline")!.TextContent.Should().Contain("instemming");
        (await Single<long>($"SELECT count(*) FROM complaint_deadline_moves WHERE complaint_id = {id}")).Should().Be(1);
        (await Post(carla, $"/klachten/{id}?handler=Extend", new() { ["new_deadline"] = Iso(deadline.PlusDays(30)), ["consent_on"] = Iso(today) })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Single<long>($"SELECT count(*) FROM complaint_deadline_moves WHERE complaint_id = {id}")).Should().Be(2, "with the complainant's written consent it may move again");
    }

    [Test]
    public async Task A_complaint_linked_to_another_households_payment_is_refused_at_its_field_and_nothing_is_written()
    {
        using var carla = await site.SignedIn("carla");
        var foreign = await Single<long>("SELECT p.id FROM payments p JOIN households h ON h.id = p.household_id WHERE h.reference = 'HH-0002' ORDER BY p.id LIMIT 1");
        var complaints = await Single<long>("SELECT count(*) FROM complaints");

        using var response = await PostNew(carla, "HH-0001", "payment", [$"payment:{foreign}"]);

        response.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#fout-links")!.TextContent.Should().Contain("HH-0001");
        (await Single<long>("SELECT count(*) FROM complaints")).Should().Be(complaints);
        (await Single<long>("SELECT count(*) FROM audit_log WHERE action = 'complaint.register' AND outcome = 'refused' AND target = 'household HH-0001'")).Should().BeGreaterThan(0, "the refusal is recorded");
    }

    [Test]
    public async Task An_outcome_without_findings_is_refused_at_its_field_with_422()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0003", "credit", []);
        (await Post(carla, $"/klachten/{id}?handler=Hearing", new() { ["waiver"] = "clearly_unfounded" })).StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var response = await Post(carla, $"/klachten/{id}?handler=Decide", new() { ["outcome"] = "unfounded", ["decided_on"] = Iso(await Today(carla)), ["findings"] = "   " });

        response.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#fout-findings").Should().NotBeNull();
        (await Single<long>($"SELECT count(*) FROM complaints WHERE id = {id} AND outcome IS NOT NULL")).Should().Be(0);
    }

    [TestCase("description", "Bel mij\u0007 terug", TestName = "A control character in a complaint's description is refused at its field with 422 and nothing written")]
    [TestCase("complainant_name", "Amina\u202EYusuf", TestName = "A hidden bidi character in the complainant's name is refused at its field with 422 and nothing written")]
    [TestCase("description", null, TestName = "A description of 4,001 emoji is refused at its field with 422 and nothing written")]
    [TestCase("received", "2099-12-31", TestName = "A complaint received in the far future is refused at its field with 422 and nothing written")]
    [TestCase("received", "1-13-2026", TestName = "A date of receipt that is no date is refused at its field with 422 and nothing written")]
    public async Task Bad_text_and_dates_are_refused_next_to_their_field(string field, string? value)
    {
        using var carla = await site.SignedIn("carla");
        var complaints = await Single<long>("SELECT count(*) FROM complaints");
        value ??= string.Concat(Enumerable.Repeat("😀", 4001));

        using var response = await PostNew(carla, "HH-0004", "other", [], new() { [field] = value });

        response.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector($"#fout-{field}").Should().NotBeNull();
        (await Single<long>("SELECT count(*) FROM complaints")).Should().Be(complaints);
    }

    [Test]
    public async Task A_complaint_about_a_staff_members_conduct_is_seen_by_the_complaints_officer_not_by_another_caseworker_and_each_view_is_recorded()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0005", "conduct", []);
        using var klacht = await site.SignedIn("klacht");
        var views = await Single<long>($"SELECT count(*) FROM audit_log WHERE action = 'complaint.view' AND target = 'complaint {id}'");

        (await klacht.GetAsync($"/klachten/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await carla.GetAsync($"/klachten/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "a conduct complaint is handled by someone not involved (Awb 9:7)");
        using var erik = await site.SignedIn("erik");
        (await erik.GetAsync($"/klachten/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "erik works for another municipality");
        (await Single<long>($"SELECT count(*) FROM audit_log WHERE action = 'complaint.view' AND target = 'complaint {id}'")).Should().Be(views + 1);
    }

    [Test]
    public async Task A_complaint_about_a_payment_that_names_a_staff_member_is_for_the_complaints_officer_only()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0009", "payment", [], new() { ["staff_member"] = "Carla de Vries" });

        (await carla.GetAsync($"/klachten/{id}")).StatusCode.Should().Be(HttpStatusCode.NotFound, "it names a colleague's conduct whatever its subject (Awb 9:7)");
        using var klacht = await site.SignedIn("klacht");
        (await klacht.GetAsync($"/klachten/{id}")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task The_same_complaint_sent_twice_is_registered_once()
    {
        using var carla = await site.SignedIn("carla");
        var before = await Single<long>("SELECT count(*) FROM complaints");

        using var first = await PostNew(carla, "HH-0010", "leefgeld", [], new() { ["description"] = "Twee keer verstuurd." });
        using var second = await PostNew(carla, "HH-0010", "leefgeld", [], new() { ["description"] = "Twee keer verstuurd." });

        first.StatusCode.Should().Be(HttpStatusCode.Redirect);
        second.Headers.Location.Should().Be(first.Headers.Location, "the second lands on the complaint the first registered");
        (await Single<long>("SELECT count(*) FROM complaints")).Should().Be(before + 1);
    }

    [Test]
    public async Task A_register_year_that_cannot_be_read_is_answered_next_to_its_field_with_422()
    {
        using var carla = await site.SignedIn("carla");

        using var response = await carla.GetAsync("/klachten/register?jaar=20x6");

        response.StatusCode.Should().Be((HttpStatusCode)422);
        new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync()).QuerySelector("#fout-jaar").Should().NotBeNull();
    }

    [Test]
    public async Task A_complaint_may_be_about_a_month_after_the_period_and_the_register_csv_counts_by_subject_and_outcome()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0006", "income", [], new() { ["other_months"] = "2027-03" });
        (await Single<long>($"SELECT count(*) FROM complaint_links WHERE complaint_id = {id} AND month = DATE '2027-03-01'")).Should().Be(1);
        var today = await Today(carla);

        var bytes = await carla.GetByteArrayAsync($"/klachten/register?jaar={today.Year}&formaat=csv");
        var csv = System.Text.Encoding.UTF8.GetString(bytes);

        bytes.Take(3).Should().Equal([0xEF, 0xBB, 0xBF], "a spreadsheet reads the euro sign and names right only with the byte order mark");
        csv.Should().StartWith("\uFEFFmunicipality,year,measure,value,count\n");
        csv.Should().MatchRegex($@"GM0344,{today.Year},subject,income,[1-9]");
        csv.Should().Contain($"GM0344,{today.Year},decided,late,");
    }

    [Test]
    public async Task The_outcome_letter_prints_as_a_pdf_in_Dutch_beside_Arabic_naming_the_Nationale_ombudsman()
    {
        using var carla = await site.SignedIn("carla");
        var id = await Register(carla, "HH-0007", "leefgeld", []);
        (await Post(carla, $"/klachten/{id}?handler=Hearing", new() { ["waiver"] = "complainant_declined" })).StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await Post(carla, $"/klachten/{id}?handler=Decide", new() { ["outcome"] = "partly_well_founded", ["decided_on"] = Iso(await Today(carla)), ["findings"] = "Het leefgeld kwam twee dagen te laat." }))
            .StatusCode.Should().Be(HttpStatusCode.Redirect);

        using var response = await carla.GetAsync($"/klachten/{id}/brief/beslissing?formaat=pdf");

        response.StatusCode.Should().Be(HttpStatusCode.OK);
        response.Content.Headers.ContentType!.MediaType.Should().Be("application/pdf");
        using var pdf = UglyToad.PdfPig.PdfDocument.Open(await response.Content.ReadAsByteArrayAsync());
        var text = string.Concat(pdf.GetPages().Select(p => p.Text));
        text.Should().Contain("Nationale ombudsman").And.Contain("Het leefgeld kwam twee dagen te laat.");
        text.Should().Contain("0800 33 55 555");
        (await carla.GetAsync($"/klachten/{await Register(carla, "HH-0008", "other", [])}/brief/beslissing")).StatusCode.Should().Be(HttpStatusCode.NotFound, "an undecided complaint has no outcome letter yet");
    }

    private static string Iso(NodaTime.LocalDate date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Dutch(NodaTime.LocalDate date) => date.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("nl-NL"));

    /// <summary>The register's count for <paramref name="year"/>, or (null) the year the register opens on.</summary>
    private async Task<int> RegisterCount(IPage page, int? year)
    {
        await page.GotoAsync(site.Address + "/klachten/register" + (year is { } y ? $"?jaar={y}" : ""));
        return year is null
            ? int.Parse((await page.Locator("#jaar").InputValueAsync()), CultureInfo.InvariantCulture)
            : int.Parse(await page.Locator("#register-subject-payment").InnerTextAsync(), CultureInfo.InvariantCulture);
    }

    private static async Task<NodaTime.LocalDate> Today(HttpClient client)
    {
        var html = await client.GetStringAsync("/klachten/nieuw?huishouden=HH-0001");
        var value = new HtmlParser().ParseDocument(html).QuerySelector("#veld-received")!.GetAttribute("value")!;
        return NodaTime.Text.LocalDatePattern.Iso.Parse(value).Value;
    }

    private async Task<long> Register(HttpClient client, string household, string subject, string[] links, Dictionary<string, string>? extra = null)
    {
        using var response = await PostNew(client, household, subject, links, extra);
        response.StatusCode.Should().Be(HttpStatusCode.Redirect, await response.Content.ReadAsStringAsync());
        return await Single<long>($"SELECT max(c.id) FROM complaints c JOIN households h ON h.id = c.household_id WHERE h.reference = '{household}'");
    }

    private static async Task<HttpResponseMessage> PostNew(HttpClient client, string household, string subject, string[] links, Dictionary<string, string>? extra = null)
    {
        var html = await client.GetStringAsync($"/klachten/nieuw?huishouden={household}");
        var today = new HtmlParser().ParseDocument(html).QuerySelector("#veld-received")!.GetAttribute("value")!;
        var fields = new List<KeyValuePair<string, string>>
        {
            new("huishouden", household), new("channel", "email"), new("complainant", "member"), new("complainant_name", "Amina Yusuf"),
            new("subject", subject), new("description", "Het leefgeld kwam niet."), new("__RequestVerificationToken", RunningSite.Token(html)),
        };
        fields.RemoveAll(f => extra?.ContainsKey(f.Key) == true);
        fields.Add(new("received", extra?.GetValueOrDefault("received") ?? today));
        fields.AddRange((extra ?? []).Where(e => e.Key != "received"));
        fields.AddRange(links.Select(l => new KeyValuePair<string, string>("link", l)));
        return await client.PostAsync($"/klachten/nieuw?huishouden={household}", new FormUrlEncodedContent(fields));
    }

    private static async Task<HttpResponseMessage> Post(HttpClient client, string path, Dictionary<string, string> fields)
    {
        var html = await client.GetStringAsync(path[..path.IndexOf('?', StringComparison.Ordinal)]);
        fields["__RequestVerificationToken"] = RunningSite.Token(html);
        return await client.PostAsync(path, new FormUrlEncodedContent(fields));
    }

    private async Task<IReadOnlyList<T>> Query<T>(string sql)
    {
        await using var connection = await site.Database.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return (await connection.QueryAsync<T>(sql)).ToList();
    }

    private async Task<T> Single<T>(string sql)
    {
        await using var connection = await site.Database.Services.GetRequiredService<NpgsqlDataSource>().OpenConnectionAsync();
        return await connection.ExecuteScalarAsync<T>(sql) ?? throw new InvalidOperationException(sql);
    }

    private async Task<IPage> SignedIn(string login)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions { Locale = "nl-NL" });
        var page = await context.NewPageAsync();
        return await SignIn(page, site.Address, login);
    }
}
