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

        app.MapPost("/afmelden", async (HttpContext context, PersonalDataViews views) =>
        {
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

    /// <summary>Only an address on this site, so a link can never send someone elsewhere after sign-in.</summary>
    public static string Local(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
