namespace Ontzorging.Web.Hosting;

/// <summary>
/// The headers every answer carries: a Content-Security-Policy without inline script or style,
/// no framing, no sniffing, no referrer (a household's address stays here), and no caching of
/// pages that show personal data.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next, Identity.IdentitySettings identity)
{
    // Forms post only here, and to the identity provider (signing out goes on to it).
    private readonly string contentSecurityPolicy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; " +
        $"form-action 'self'{(identity.UsesEmbeddedProvider ? "" : " " + new Uri(identity.Authority!).GetLeftPart(UriPartial.Authority))}; " +
        "frame-ancestors 'none'; base-uri 'self'; object-src 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            headers.ContentSecurityPolicy = contentSecurityPolicy;
            headers.XContentTypeOptions = "nosniff";
            headers.XFrameOptions = "DENY";
            headers["Referrer-Policy"] = "no-referrer";
            headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=(), payment=()";
            headers["Cross-Origin-Opener-Policy"] = "same-origin";
            if (!context.Request.Path.StartsWithSegments("/lib") && !context.Request.Path.StartsWithSegments("/site.css"))
            {
                headers.CacheControl = "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
