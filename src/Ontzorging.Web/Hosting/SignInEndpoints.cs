using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Mvc;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Hosting;

/// <summary>Starting sign-in at the provider, signing out of both, and the language switch.</summary>
public static class SignInEndpoints
{
    public static void Map(WebApplication app)
    {
        app.MapGet("/aanmelden/start", (string? returnUrl) =>
            Results.Challenge(new AuthenticationProperties { RedirectUri = Local(returnUrl) }, [OpenIdConnectDefaults.AuthenticationScheme]))
            .AllowAnonymous();

        // Signing out is a form sent with the page's antiforgery token, so another site cannot sign a person out.
        app.MapPost("/afmelden", async (HttpContext context, PersonalDataViews views, IAntiforgery antiforgery) =>
        {
            if (!await antiforgery.IsRequestValidAsync(context))
            {
                return Results.BadRequest();
            }

            if (context.User.Identity?.IsAuthenticated == true)
            {
                await views.SignedOut(Staff.Of(context.User).Actor);
            }

            await context.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
            return Results.SignOut(new AuthenticationProperties { RedirectUri = "/aanmelden?afgemeld=1" }, [OpenIdConnectDefaults.AuthenticationScheme]);
        });

        app.MapGet("/taal/{language}", (HttpContext context, string language, [FromQuery] string? terug) =>
        {
            context.Response.Cookies.Append(SiteCultures.CookieName, SiteCultures.CookieValue(language), new CookieOptions
            {
                HttpOnly = true,
                SameSite = SameSiteMode.Lax,
                Secure = context.Request.IsHttps,
                MaxAge = TimeSpan.FromDays(365),
            });
            return Results.LocalRedirect(Local(terug));
        }).AllowAnonymous();
    }

    /// <summary>
    /// Only a path on this site, so a link can never send someone elsewhere after sign-in: it starts
    /// with one '/', and holds no backslash, whitespace or control character (a browser drops a tab
    /// or a newline, which turns "/&lt;tab&gt;/host" into "//host", another site). Anything else is "/".
    /// </summary>
    public static string Local(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal)
        && !url.Any(c => c == '\\' || char.IsWhiteSpace(c) || char.IsControl(c) || char.GetUnicodeCategory(c) == System.Globalization.UnicodeCategory.Format)
            ? url
            : "/";
}
