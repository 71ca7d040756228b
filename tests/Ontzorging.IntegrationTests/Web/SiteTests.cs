using System.Net;
using AngleSharp.Html.Parser;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using NodaTime;
using Ontzorging.Cli;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.IntegrationTests.Support;
using Ontzorging.Web.Hosting;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>
/// The site over HTTP, signed in through the real OpenID Connect provider (issue 16): who may see
/// what, the caseworker's pages to the cent, decisions, four-eyes, the audit trail and the
/// security rules.
/// </summary>
public sealed class SiteTests
{
    private RunningSite site = null!;

    [OneTimeSetUp]
    public async Task StartSite() => site = await RunningSite.Start();

    [OneTimeTearDown]
    public async Task StopSite() => await site.DisposeAsync();

    [TestCase("/")]
    [TestCase("/huishoudens")]
    [TestCase("/huishoudens/HH-A")]
    [TestCase("/huishoudens/HH-A/besluit")]
    [TestCase("/betalingen")]
    [TestCase("/betalingen/1")]
    [TestCase("/logboek")]
    public async Task An_anonymous_visitor_is_sent_to_the_sign_in_page(string path)
    {
        using var client = site.Client();

        using var response = await client.GetAsync(path);

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.AbsolutePath.Should().Be("/aanmelden");
    }

    [Test]
    public async Task The_sign_in_page_and_health_answer_an_anonymous_visitor()
    {
        using var client = site.Client();

        (await client.GetAsync("/aanmelden")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await client.GetAsync("/health")).StatusCode.Should().Be(HttpStatusCode.OK);
    }

    [Test]
    public async Task A_wrong_password_at_the_provider_signs_nobody_in()
    {
        using var client = site.Client();
        var login = (await client.GetAsync("/idp/login")).Content;
        var html = await login.ReadAsStringAsync();

        using var response = await client.PostAsync("/idp/login", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = "carla", ["Password"] = "wrong", ["__RequestVerificationToken"] = RunningSite.Token(html),
        }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await client.GetAsync("/huishoudens")).Headers.Location!.AbsolutePath.Should().Be("/aanmelden");
    }

    [Test]
    public async Task The_household_page_of_worked_example_A_shows_its_numbers_to_the_cent()
    {
        using var carla = await site.SignedIn("carla");
        var html = await carla.GetStringAsync("/huishoudens/HH-A");
        var document = new HtmlParser().ParseDocument(html);
        document.QuerySelector("#opening").Should().BeNull("HH-A started in the engine, not from an opening position");
        var expected = File.ReadAllLines(Path.Combine(RepositoryPaths.Docs("examples"), "A", "expected", "monthly.csv")).Skip(1).Where(l => l.Length > 0)
            .Select(l => l.Split(','));

        foreach (var row in expected)
        {
            var cells = document.QuerySelector($"#maand-{row[1]}")!.Children.Select(c => c.TextContent.Trim()).ToList();
            // bijstand, receipts, installments_paid, leefgeld, credit_drawn, credit_repaid, credit_outstanding, arrears_open
            cells[1].Should().Be(Euro(row[2]), "bijstand of {0}", row[1]);
            cells[2].Should().Be(Euro(row[3]), "toeslagen received in {0}", row[1]);
            cells[3].Should().Be(Euro(row[5]), "installments paid in {0}", row[1]);
            cells[4].Should().StartWith(Euro(row[7]), "leefgeld of {0}", row[1]);
            cells[5].Should().Be(Euro(row[4]), "credit drawn in {0}", row[1]);
            cells[6].Should().Be(Euro(row[8]), "credit repaid in {0}", row[1]);
            cells[7].Should().Be(Euro(row[9]), "credit outstanding after {0}", row[1]);
            cells[8].Should().Be(Euro(row[6]), "arrears in {0}", row[1]);
        }

        document.QuerySelectorAll("table#story tbody tr").Should().HaveCount(7);
        document.QuerySelector("#credit-outstanding")!.TextContent.Should().Contain("€ 0,00").And.Contain("€ 1.000,00");
    }

    [Test]
    public async Task A_caseworker_on_a_batch_page_gets_403()
    {
        using var carla = await site.SignedIn("carla");

        (await carla.GetAsync("/betalingen")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await carla.GetAsync("/betalingen/1")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await carla.GetAsync("/logboek")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_finance_officer_on_a_household_page_gets_403()
    {
        using var anna = await site.SignedIn("anna");

        (await anna.GetAsync("/huishoudens")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await anna.GetAsync("/huishoudens/HH-A")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
    }

    [Test]
    public async Task A_caseworker_of_another_municipality_sees_nothing_of_GM0344()
    {
        using var erik = await site.SignedIn("erik");

        var list = await erik.GetStringAsync("/huishoudens");
        list.Should().Contain("0 huishoudens").And.NotContain("HH-A");
        (await erik.GetAsync("/huishoudens/HH-A")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        (await erik.GetAsync("/huishoudens/HH-A/besluit")).StatusCode.Should().Be(HttpStatusCode.NotFound);
        var search = await erik.PostAsync("/huishoudens?handler=Search", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["zoek"] = "HH-A", ["__RequestVerificationToken"] = RunningSite.Token(list),
        }));
        search.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await erik.GetStringAsync(search.Headers.Location!.ToString())).Should().Contain("0 huishoudens").And.NotContain("HH-A</a>");
        var reveal = await erik.PostAsync("/huishoudens/HH-A/bsn", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(list) }));
        reveal.StatusCode.Should().Be(HttpStatusCode.NotFound);
    }

    [Test]
    public async Task A_search_by_name_never_puts_the_name_in_the_address()
    {
        using var carla = await site.SignedIn("carla");
        var list = await carla.GetStringAsync("/huishoudens");
        var name = await site.Database.Scalar<string>("SELECT name FROM persons LIMIT 1");

        var search = await carla.PostAsync("/huishoudens?handler=Search", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["zoek"] = name, ["__RequestVerificationToken"] = RunningSite.Token(list),
        }));

        search.Headers.Location!.ToString().Should().NotContain(name).And.NotContain(Uri.EscapeDataString(name));
        var found = await carla.GetStringAsync(search.Headers.Location!.ToString());
        found.Should().Contain("1 huishoudens").And.Contain("HH-A");
    }

    [Test]
    public async Task BSNs_are_masked_and_showing_one_in_full_is_its_own_audited_action()
    {
        using var carla = await site.SignedIn("carla");
        var bsn = await site.Database.Scalar<string>("SELECT bsn FROM persons LIMIT 1");

        var page = await carla.GetStringAsync("/huishoudens/HH-A");
        page.Should().NotContain(bsn);
        var before = await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'household.bsn_unmasked'");
        var reveal = await carla.PostAsync("/huishoudens/HH-A/bsn", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));

        (await reveal.Content.ReadAsStringAsync()).Should().Contain(bsn);
        (await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'household.bsn_unmasked' AND actor_subject = 'oidc:dev-carla' AND target = 'household HH-A'"))
            .Should().Be(before + 1);
        (await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'household.view' AND actor_name = 'Carla de Vries'")).Should().BeGreaterThan(0);
    }

    [TestCase("extension", "Months", "13", "fout-months", TestName = "A refused extension (13 months) is explained next to its field and writes nothing")]
    [TestCase("zrm_score", "Score", "9", "fout-score", TestName = "A refused ZRM score (9) is explained next to its field and writes nothing")]
    [TestCase("write_off", "Amount", "1.000.000,00", "fout-amount", TestName = "A refused write-off amount is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "", "fout-reason", TestName = "An opt-out without a reason is explained next to its field and writes nothing")]
    [TestCase("extension", "On", "9999-01-01", "fout-date", TestName = "A decision dated in a far future is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "moved\u0007away", "fout-reason", TestName = "A reason with a control character is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "moved\u202Eaway", "fout-reason", TestName = "A reason with a right-to-left override is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "moved\u200Baway", "fout-reason", TestName = "A reason with a zero-width space is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "moved\u2028away", "fout-reason", TestName = "A reason with a line separator is explained next to its field and writes nothing")]
    [TestCase("opt_out", "Reason", "EMOJI501", "fout-reason", TestName = "A reason of 501 characters (emoji) is explained next to its field and writes nothing")]
    [TestCase("write_off", "Amount", "1.000", "fout-amount", TestName = "An ambiguous write-off amount (1.000: a thousand or one?) is explained next to its field and writes nothing")]
    [TestCase("write_off", "Amount", "0,00", "fout-amount", TestName = "A write-off of zero is explained next to its field and writes nothing")]
    public async Task A_refused_decision_writes_nothing(string kind, string field, string value, string errorId)
    {
        using var carla = await site.SignedIn("carla");
        var form = await carla.GetStringAsync("/huishoudens/HH-A/besluit");
        var decisions = await site.Database.Scalar<long>("SELECT count(*) FROM decisions");
        var values = new Dictionary<string, string> { ["Kind"] = kind, ["On"] = "2026-10-01", ["Months"] = "2", ["Score"] = "4", ["Amount"] = "10,00", ["Reason"] = "test" };
        values[field] = value == "EMOJI501" ? string.Concat(Enumerable.Repeat("\U0001F600", 501)) : value;
        values["__RequestVerificationToken"] = RunningSite.Token(form);

        using var response = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(values));

        response.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        var page = new HtmlParser().ParseDocument(await response.Content.ReadAsStringAsync());
        page.GetElementById(errorId).Should().NotBeNull("the refusal is said next to its field");
        page.QuerySelector($"[aria-describedby='{errorId}']").Should().NotBeNull("the field points at its refusal");
        (await site.Database.Scalar<long>("SELECT count(*) FROM decisions")).Should().Be(decisions);
    }

    [Test]
    public async Task A_hidden_character_in_a_reason_is_named_in_dutch_with_its_place_and_a_decomposed_reason_is_kept_in_nfc()
    {
        using var carla = await site.SignedIn("carla");
        var form = await carla.GetStringAsync("/huishoudens/HH-A/besluit");
        Dictionary<string, string> Values(string reason) => new() { ["Kind"] = "training_completed", ["On"] = "2026-10-29", ["Reason"] = reason, ["__RequestVerificationToken"] = RunningSite.Token(form) };

        using var refused = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(Values("Cursus\u202Egeld")));
        using var recorded = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(Values("Cursus Rene\u0301")));

        refused.StatusCode.Should().Be(HttpStatusCode.UnprocessableEntity);
        new HtmlParser().ParseDocument(await refused.Content.ReadAsStringAsync()).GetElementById("fout-reason")!.TextContent
            .Should().Contain("de reden bevat op teken 7 een onzichtbaar teken (U+202E)");
        recorded.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await site.Database.Scalar<string>("SELECT reason FROM decisions WHERE kind = 'training_completed' AND decided_on = '2026-10-29'")).Should().Be("Cursus Ren\u00E9");
    }

    [Test]
    public async Task A_recorded_decision_carries_the_signed_in_person_and_is_audited_with_its_values()
    {
        using var carla = await site.SignedIn("carla");
        var form = await carla.GetStringAsync("/huishoudens/HH-A/besluit");

        using var response = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Kind"] = "zrm_score", ["On"] = "2026-10-15", ["Score"] = "4", ["Reason"] = "intake interview", ["__RequestVerificationToken"] = RunningSite.Token(form),
        }));

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await site.Database.Scalar<string>("SELECT recorded_by FROM decisions WHERE kind = 'zrm_score' AND decided_on = '2026-10-15'")).Should().Be("oidc:dev-carla");
        (await site.Database.Scalar<string>("SELECT after->>'score' FROM audit_log WHERE action = 'decision.record' AND outcome = 'done' AND actor_subject = 'oidc:dev-carla' AND after->>'kind' = 'zrm_score'")).Should().Be("4");
        (await carla.GetStringAsync("/huishoudens/HH-A")).Should().Contain("Carla de Vries").And.Contain("intake interview");
    }

    [Test]
    public async Task A_post_without_the_antiforgery_token_is_refused()
    {
        using var carla = await site.SignedIn("carla");

        using var response = await carla.PostAsync("/huishoudens/HH-A/besluit", new FormUrlEncodedContent(new Dictionary<string, string> { ["Kind"] = "zrm_score", ["Score"] = "4" }));

        response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
    }

    [Test]
    public async Task Every_answer_carries_the_security_headers_and_a_policy_without_inline_script()
    {
        using var carla = await site.SignedIn("carla");

        foreach (var path in new[] { "/aanmelden", "/huishoudens", "/huishoudens/HH-A", "/idp/login" })
        {
            using var response = await carla.GetAsync(path);
            var policy = response.Headers.GetValues("Content-Security-Policy").Single();
            policy.Should().Contain("script-src 'self'").And.Contain("frame-ancestors 'none'").And.NotContain("unsafe-inline").And.NotContain("unsafe-eval");
            response.Headers.GetValues("X-Content-Type-Options").Single().Should().Be("nosniff");
            response.Headers.GetValues("X-Frame-Options").Single().Should().Be("DENY");
            response.Headers.GetValues("Referrer-Policy").Single().Should().Be("no-referrer");
            response.Headers.CacheControl!.NoStore.Should().BeTrue("{0} may show personal data", path);
        }
    }

    [Test]
    public async Task The_session_cookie_is_http_only_and_expires_after_the_policy_s_idle_time()
    {
        using var client = site.Client();
        var next = (await client.GetAsync("/aanmelden/start?returnUrl=%2F")).Headers.Location!;
        var handler = new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false };
        using var raw = new HttpClient(handler) { BaseAddress = new Uri(site.Address) };

        using var signedIn = await site.SignedIn("carla");
        var options = site.App.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);

        next.ToString().Should().Contain("code_challenge_method=S256", "sign-in uses the authorization code flow with PKCE");
        options.Cookie.HttpOnly.Should().BeTrue();
        options.SlidingExpiration.Should().BeTrue();
        options.ExpireTimeSpan.Should().Be(TimeSpan.FromMinutes(20));
        using var start = await raw.GetAsync("/aanmelden/start?returnUrl=%2F");
        start.Headers.GetValues("Set-Cookie").Should().OnlyContain(c => c.Contains("httponly", StringComparison.OrdinalIgnoreCase));
    }

    [Test]
    public void Outside_Development_every_cookie_is_secure_and_the_keys_are_encrypted_with_the_configured_certificate()
    {
        using var certificate = SiteCertificates.SelfSigned(out var file, out var password);
        using var app = WebApp.Build(["--environment", "Production", "--contentRoot", Path.Combine(RepositoryPaths.Root, "src", "Ontzorging.Web")], builder =>
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Ontzorging:Identity:Authority"] = "https://login.example.org/tenant/v2.0",
                ["Ontzorging:Identity:ClientSecret"] = "secret",
                ["Ontzorging:Web:KeyCertificate"] = file,
                ["Ontzorging:Web:KeyCertificatePassword"] = password,
                ["Ontzorging:Database:ConnectionString"] = site.Database.ConnectionString,
            }));
        var cookies = app.Services.GetRequiredService<IOptionsMonitor<CookieAuthenticationOptions>>().Get(CookieAuthenticationDefaults.AuthenticationScheme);
        cookies.Cookie.SecurePolicy.Should().Be(CookieSecurePolicy.Always);
        cookies.SessionStore.Should().BeOfType<DatabaseTicketStore>();
        app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.HttpsPolicy.HstsOptions>>().Value.MaxAge.Should().Be(TimeSpan.FromDays(365));
        var keys = app.Services.GetRequiredService<IOptions<Microsoft.AspNetCore.DataProtection.KeyManagement.KeyManagementOptions>>().Value;
        keys.XmlRepository.Should().BeOfType<DatabaseKeyRing>();
        keys.XmlEncryptor.Should().BeOfType<Microsoft.AspNetCore.DataProtection.XmlEncryption.CertificateXmlEncryptor>();
    }

    [Test]
    public async Task The_preparer_of_a_batch_cannot_approve_it_from_the_site_and_the_attempt_is_audited()
    {
        await CancelNovember();
        var batch = await site.Database.Services.GetRequiredService<BatchPreparer>().Prepare(new YearMonth(2026, 11), new LocalDate(2026, 10, 24), "oidc:dev-anna");
        using var anna = await site.SignedIn("anna");
        var page = await anna.GetStringAsync($"/betalingen/{batch.Id}");

        using var refused = await anna.PostAsync($"/betalingen/{batch.Id}?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));

        refused.StatusCode.Should().Be(HttpStatusCode.Conflict);
        (await site.Database.Scalar<string>($"SELECT status FROM batches WHERE id = {batch.Id}")).Should().Be("draft");
        (await site.Database.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.approve' AND outcome = 'refused' AND actor_subject = 'oidc:dev-anna' AND target = 'batch {batch.Id}'"))
            .Should().Be(1);

        using var bob = await site.SignedIn("bob");
        var bobs = await bob.GetStringAsync($"/betalingen/{batch.Id}");
        using var approved = await bob.PostAsync($"/betalingen/{batch.Id}?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(bobs) }));
        approved.StatusCode.Should().Be(HttpStatusCode.Redirect);
        (await site.Database.Scalar<string>($"SELECT approved_by FROM batches WHERE id = {batch.Id}")).Should().Be("oidc:dev-bob");
        (await site.Database.Scalar<string>($"SELECT before->>'status' || ' -> ' || (after->>'status') FROM audit_log WHERE action = 'batch.approve' AND outcome = 'done' AND target = 'batch {batch.Id}'"))
            .Should().Be("draft -> approved", "the audit record keeps the values before and after");
    }

    [Test]
    public async Task The_preparer_of_a_batch_cannot_approve_it_from_the_CLI_whatever_the_options()
    {
        var configuration = site.Database.Configuration;
        await CancelNovember();
        var prepare = await CliRunner.RunAs("anna", configuration, "batch", "prepare", "--month", "2026-11", "--reason", "prepared after the simulated months", "--json");
        prepare.ExitCode.Should().Be(ExitCodes.Ok, prepare.Error);
        var id = System.Text.Json.JsonDocument.Parse(prepare.Out).RootElement.GetProperty("batch_id").GetInt64().ToString(System.Globalization.CultureInfo.InvariantCulture);

        var self = await CliRunner.RunAs("anna", configuration, "batch", "approve", id);
        var typedName = await CliRunner.RunAs("anna", configuration, "batch", "approve", id, "--as", "bob");

        self.ExitCode.Should().Be(ExitCodes.BadInput);
        self.Error.Should().Contain("four eyes");
        typedName.ExitCode.Should().Be(ExitCodes.BadInput, "no option lets a caller act in someone else's name");
        (await site.Database.Scalar<string>($"SELECT status FROM batches WHERE id = {id}")).Should().Be("draft");
        (await site.Database.Scalar<long>($"SELECT count(*) FROM audit_log WHERE action = 'batch.approve' AND outcome = 'refused' AND actor_subject = 'os:anna' AND target = 'batch {id}'"))
            .Should().Be(1);
    }

    [Test]
    public async Task Anna_prepares_from_the_CLI_and_cannot_approve_her_batch_on_the_site_for_she_is_one_person()
    {
        await CancelNovember();
        var prepare = await CliRunner.RunAs("anna", site.Database.Configuration, "batch", "prepare", "--month", "2026-11", "--reason", "prepared after the simulated months", "--json");
        prepare.ExitCode.Should().Be(ExitCodes.Ok, prepare.Error);
        var id = System.Text.Json.JsonDocument.Parse(prepare.Out).RootElement.GetProperty("batch_id").GetInt64();

        using var anna = await site.SignedIn("anna", $"/betalingen/{id}");
        var page = await anna.GetStringAsync($"/betalingen/{id}");
        using var refused = await anna.PostAsync($"/betalingen/{id}?handler=Approve", new FormUrlEncodedContent(new Dictionary<string, string> { ["__RequestVerificationToken"] = RunningSite.Token(page) }));

        refused.StatusCode.Should().Be(HttpStatusCode.Conflict, "the provider names anna's login, so oidc:dev-anna and os:anna are one person");
        (await site.Database.Scalar<string>("SELECT person_of('os:anna') || ' = ' || person_of('oidc:dev-anna')")).Should().Be("oidc:dev-anna = oidc:dev-anna");
        (await site.Database.Scalar<string>($"SELECT status FROM batches WHERE id = {id}")).Should().Be("draft");
        (await site.Database.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'person.link' AND actor_subject = 'oidc:dev-anna' AND outcome = 'done'")).Should().Be(1);
        var bypass = () => site.Database.Execute($"INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES ({id}, 'oidc:dev-anna', now())");
        (await bypass.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("four eyes", "the database compares persons too");
    }

    [Test]
    public async Task An_auditor_sees_the_audit_records_of_their_municipalities_only()
    {
        await site.Database.Execute("""
            INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, municipality, outcome)
            VALUES (now(), 'oidc:dev-erik', 'Erik Jansen', 'web', 'household.view', 'household HH-UTRECHT-ONLY', 'GM0363', 'viewed')
            """);
        using var dirk = await site.SignedIn("dirk", "/logboek");
        using var beheer = await site.SignedIn("beheer", "/logboek");

        (await dirk.GetStringAsync("/logboek")).Should().NotContain("HH-UTRECHT-ONLY", "dirk audits GM0344 only");
        (await beheer.GetStringAsync("/logboek")).Should().Contain("HH-UTRECHT-ONLY", "the administrator holds GM0363 too");
    }

    [Test]
    public async Task The_audit_log_cannot_be_altered_or_emptied()
    {
        var update = () => site.Database.Execute("UPDATE audit_log SET actor_name = 'someone else'");
        var delete = () => site.Database.Execute("DELETE FROM audit_log");
        var truncate = () => site.Database.Execute("TRUNCATE audit_log");

        await update.Should().ThrowAsync<Npgsql.PostgresException>();
        await delete.Should().ThrowAsync<Npgsql.PostgresException>();
        await truncate.Should().ThrowAsync<Npgsql.PostgresException>();
        await using var owner = new Npgsql.NpgsqlConnection(TestServer.OwnerConnectionStringFor(site.Database.Name));
        var ownerDelete = async () => await Dapper.SqlMapper.ExecuteAsync(owner, "DELETE FROM audit_log");
        (await ownerDelete.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("append-only");
    }

    /// <summary>Each four-eyes test prepares November afresh, whichever ran first.</summary>
    private async Task CancelNovember()
    {
        var live = await site.Database.Scalar<long?>("SELECT id FROM live_batches WHERE month = '2026-11-01'");
        if (live is { } id)
        {
            await site.Database.Services.GetRequiredService<BatchLifecycle>().Cancel(id, "system:tests", "prepared again by the next test");
        }
    }

    private static string Euro(string amount)
    {
        var value = decimal.Parse(amount, System.Globalization.CultureInfo.InvariantCulture);
        var text = value.ToString("#,##0.00", System.Globalization.CultureInfo.InvariantCulture).Replace(",", " ", StringComparison.Ordinal).Replace(".", ",", StringComparison.Ordinal).Replace(" ", ".", StringComparison.Ordinal);
        return "€ " + text;
    }
}
