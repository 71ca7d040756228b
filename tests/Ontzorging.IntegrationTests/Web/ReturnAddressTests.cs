using System.Net;
using Ontzorging.Web.Hosting;

namespace Ontzorging.IntegrationTests.Web;

/// <summary>A return address after sign-in or a language switch is a path on this site, or it is "/" (issue 21's open redirect).</summary>
public sealed class ReturnAddressTests
{
    [TestCase("/huishoudens/HH-0017", "/huishoudens/HH-0017")]
    [TestCase("/huishoudens?pagina=2", "/huishoudens?pagina=2")]
    [TestCase("/\t/127.0.0.1:9999/pwned", "/")]
    [TestCase("/\n/evil.example", "/")]
    [TestCase("/\r\n/evil.example", "/")]
    [TestCase("//evil.example", "/")]
    [TestCase("/\\evil.example", "/")]
    [TestCase("/ /evil.example", "/")]
    [TestCase("/\u200B/evil.example", "/")]
    [TestCase("/\u202E/evil.example", "/")]
    [TestCase("https://evil.example/", "/")]
    [TestCase("evil.example", "/")]
    [TestCase("", "/")]
    [TestCase(null, "/")]
    public void Only_a_path_on_this_site_is_a_return_address(string? asked, string used) =>
        SignInEndpoints.Local(asked).Should().Be(used);

    [Test]
    public async Task A_language_switch_with_a_tab_in_its_return_address_goes_home_instead_of_failing()
    {
        await using var site = await RunningSite.Start();
        using var client = site.Client();

        using var response = await client.GetAsync("/taal/en?terug=%2F%09%2F127.0.0.1:9999%2Fpwned");

        response.StatusCode.Should().Be(HttpStatusCode.Redirect);
        response.Headers.Location!.OriginalString.Should().Be("/");
    }
}
