using System.Net;
using System.Text.RegularExpressions;

namespace Ontzorging.Web.DevIdentity;

/// <summary>
/// Signs a person of the development provider in over plain HTTP, as a browser would: the site
/// sends the client to the provider, the provider's form is posted, and the code comes back to the
/// site. For the tests and <c>bench web</c>; the client keeps the session cookie.
/// </summary>
public static partial class DevSignInClient
{
    /// <summary>A client that keeps cookies and follows no redirect, so each answer can be looked at.</summary>
    /// <param name="cookies">The cookie jar, when a test shares it between clients (a copied cookie, a second instance of the site).</param>
    public static HttpClient Client(string address, CookieContainer? cookies = null) =>
        new(new HttpClientHandler { AllowAutoRedirect = false, CookieContainer = cookies ?? new CookieContainer(), UseCookies = true }) { BaseAddress = new Uri(address) };

    public static async Task<HttpClient> SignIn(string address, string login, string password, string returnUrl = "/", CookieContainer? cookies = null)
    {
        var client = Client(address, cookies);
        var next = await Follow(client, $"/aanmelden/start?returnUrl={Uri.EscapeDataString(returnUrl)}", untilPath: "/idp/login");
        using var formResponse = await client.GetAsync(next);
        if (formResponse.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the provider's sign-in page {next} answered {(int)formResponse.StatusCode} {formResponse.Headers.Location}");
        }

        var form = await formResponse.Content.ReadAsStringAsync();
        using var response = await client.PostAsync(next, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["Username"] = login,
            ["Password"] = password,
            ["ReturnUrl"] = WebUtility.HtmlDecode(ReturnUrlField().Match(form).Groups[1].Value),
            ["__RequestVerificationToken"] = Token(form),
        }));
        var location = response.Headers.Location?.ToString() ?? throw new InvalidOperationException($"sign-in of {login} failed: {(int)response.StatusCode}");
        await Follow(client, location, untilPath: returnUrl);
        return client;
    }

    /// <summary>The antiforgery token of a page's first form.</summary>
    public static string Token(string html) => WebUtility.HtmlDecode(TokenField().Match(html).Groups[1].Value);

    private static async Task<string> Follow(HttpClient client, string url, string untilPath)
    {
        for (var hops = 0; hops < 10; hops++)
        {
            var uri = new Uri(client.BaseAddress!, url);
            if (uri.AbsolutePath == untilPath.Split('?')[0] && hops > 0)
            {
                return uri.ToString();
            }

            using var response = await client.GetAsync(uri);
            if (response.Headers.Location is null)
            {
                return uri.ToString();
            }

            url = response.Headers.Location.ToString();
        }

        throw new InvalidOperationException("too many redirects");
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();

    [GeneratedRegex("name=\"ReturnUrl\" value=\"([^\"]*)\"")]
    private static partial Regex ReturnUrlField();
}
