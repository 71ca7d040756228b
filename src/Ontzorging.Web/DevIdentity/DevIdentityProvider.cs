using System.Collections.Immutable;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using OpenIddict.Abstractions;
using OpenIddict.Server;
using OpenIddict.Server.AspNetCore;
using Ontzorging.Web.Identity;
using static OpenIddict.Abstractions.OpenIddictConstants;

namespace Ontzorging.Web.DevIdentity;

/// <summary>A person of the development identity provider.</summary>
public sealed record DevUser(string Login, string Subject, string Name, IReadOnlyList<string> Groups);

/// <summary>
/// The embedded development identity provider: a real OpenID Connect server (OpenIddict) under
/// <c>/idp/</c> with fixed people, so the sign-in path the site uses in production (authorization
/// code with PKCE through the standard OpenID Connect handler) is the one command 1 and the tests
/// use. It keeps no store (OpenIddict's degraded mode): the one client is checked here, codes and
/// tokens are self-contained and signed with keys made at start-up, a code is redeemed once (this
/// process remembers the codes it redeemed for their two minutes), only S256 proof keys are accepted,
/// and <c>prompt=none</c> without a session answers <c>login_required</c>. It runs only when
/// configuration switches it on in Development (<see cref="Hosting.SiteConfiguration"/>); a
/// municipality configures its own provider instead (README, "Signing in").
/// </summary>
public static class DevIdentityProvider
{
    public const string Scheme = "ozg-idp";
    public const string Password = "ontzorging-dev";
    public const string ClientSecret = "ontzorging-dev-client-secret";

    public static readonly IReadOnlyList<DevUser> Users =
    [
        new("carla", "dev-carla", "Carla de Vries", ["ontzorging-caseworker-GM0344"]),
        new("erik", "dev-erik", "Erik Jansen", ["ontzorging-caseworker-GM0363"]),
        new("anna", "dev-anna", "Anna Bakker", ["ontzorging-finance-GM0344"]),
        new("bob", "dev-bob", "Bob Visser", ["ontzorging-finance-GM0344"]),
        new("dirk", "dev-dirk", "Dirk Smit", ["ontzorging-auditor-GM0344"]),
        new("beheer", "dev-beheer", "Beheerder", ["ontzorging-administrator"]),
        new("klacht", "dev-klacht", "Karin Lodewijks", ["ontzorging-complaints-GM0344"]),
    ];

    /// <summary>The role mapping for these people's groups, used when none is configured.</summary>
    public static IReadOnlyList<GrantMapping> Grants { get; } =
    [
        new() { Value = "ontzorging-caseworker-GM0344", Role = Roles.Caseworker, Municipalities = ["GM0344"] },
        new() { Value = "ontzorging-caseworker-GM0363", Role = Roles.Caseworker, Municipalities = ["GM0363"] },
        new() { Value = "ontzorging-finance-GM0344", Role = Roles.FinanceOfficer, Municipalities = ["GM0344"] },
        new() { Value = "ontzorging-auditor-GM0344", Role = Roles.Auditor, Municipalities = ["GM0344"] },
        new() { Value = "ontzorging-complaints-GM0344", Role = Roles.ComplaintsOfficer, Municipalities = ["GM0344"] },
        new() { Value = "ontzorging-administrator", Role = Roles.Administrator, Municipalities = ["GM0344", "GM0363"] },
    ];

    /// <summary>The person with this login and password; null otherwise (compared in constant time).</summary>
    public static DevUser? Check(string? login, string? password)
    {
        var user = Users.FirstOrDefault(u => string.Equals(u.Login, login?.Trim(), StringComparison.OrdinalIgnoreCase));
        var matches = CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(password ?? ""), Encoding.UTF8.GetBytes(Password));
        return user is not null && matches ? user : null;
    }

    public static void Add(WebApplicationBuilder builder, WebSettings web, IdentitySettings identity)
    {
        if (!builder.Environment.IsDevelopment())
        {
            throw new Hosting.SiteConfigurationException($"The embedded development identity provider runs only in Development, not in {builder.Environment.EnvironmentName}.");
        }

        identity.ClientSecret ??= ClientSecret;
        // These people's logins are their OS logins, so anna in the CLI and anna on the site are one person.
        identity.LoginClaim ??= Claims.PreferredUsername;
        if (identity.Grants.Count == 0)
        {
            identity.Grants.AddRange(Grants);
        }

        builder.Services.AddAuthentication().AddCookie(Scheme, options =>
        {
            options.Cookie.Name = "ozg.idp";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.LoginPath = "/idp/login";
            options.ExpireTimeSpan = TimeSpan.FromMinutes(web.SessionIdleMinutes);
        });
        // The provider's own session is a row too, so signing out ends it and a copied cookie signs nobody in.
        Hosting.DatabaseTicketStore.Use(builder.Services, Scheme);
        builder.Services.AddSingleton<RedeemedCodes>();

        var redirect = new Uri(web.BaseUrl + "/signin-oidc");
        var afterSignOut = new Uri(web.BaseUrl + "/signout-callback-oidc");
        builder.Services.AddOpenIddict().AddServer(options =>
        {
            options.SetIssuer(new Uri(web.BaseUrl + "/"));
            options.SetAuthorizationEndpointUris("idp/authorize")
                .SetTokenEndpointUris("idp/token")
                .SetEndSessionEndpointUris("idp/logout")
                .SetJsonWebKeySetEndpointUris("idp/jwks");
            options.AllowAuthorizationCodeFlow().RequireProofKeyForCodeExchange();
            // A proof key is the SHA-256 of the verifier; "plain" would send the verifier itself.
            options.Configure(server =>
            {
                server.CodeChallengeMethods.Clear();
                server.CodeChallengeMethods.Add(CodeChallengeMethods.Sha256);
            });
            options.RegisterScopes(Scopes.OpenId, Scopes.Profile, "groups");
            options.AddEphemeralEncryptionKey().AddEphemeralSigningKey();
            options.DisableAccessTokenEncryption();
            options.SetAuthorizationCodeLifetime(TimeSpan.FromMinutes(2));
            options.EnableDegradedMode();
            var aspNetCore = options.UseAspNetCore().EnableAuthorizationEndpointPassthrough().EnableEndSessionEndpointPassthrough();
            if (!web.BaseUrl.StartsWith("https://", StringComparison.Ordinal))
            {
                aspNetCore.DisableTransportSecurityRequirement();
            }

            // Degraded mode: the one client is ours, with this secret and these redirect addresses.
            options.AddEventHandler<OpenIddictServerEvents.ValidateAuthorizationRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != identity.ClientId)
                {
                    context.Reject(Errors.InvalidClient, "unknown client");
                }
                else if (context.RedirectUri is null || new Uri(context.RedirectUri) != redirect)
                {
                    context.Reject(Errors.InvalidRequest, "this redirect address is not registered");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateTokenRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.ClientId != identity.ClientId || !SameSecret(context.ClientSecret, identity.ClientSecret))
                {
                    context.Reject(Errors.InvalidClient, "unknown client or wrong secret");
                }
                else if (context.Request.IsAuthorizationCodeGrantType() && !context.Transaction.GetHttpRequest()!.HttpContext.RequestServices.GetRequiredService<RedeemedCodes>().First(context.Request.Code))
                {
                    context.Reject(Errors.InvalidGrant, "this authorization code was redeemed already");
                }

                return default;
            }));
            options.AddEventHandler<OpenIddictServerEvents.ValidateEndSessionRequestContext>(handler => handler.UseInlineHandler(context =>
            {
                if (context.PostLogoutRedirectUri is { } uri && new Uri(uri) != afterSignOut)
                {
                    context.Reject(Errors.InvalidRequest, "this sign-out address is not registered");
                }

                return default;
            }));
        });
    }

    public static void Map(WebApplication app)
    {
        app.MapMethods("/idp/authorize", ["GET", "POST"], (Delegate)Authorize).AllowAnonymous().DisableAntiforgery();
        app.MapMethods("/idp/logout", ["GET", "POST"], async (HttpContext context) =>
        {
            await context.SignOutAsync(Scheme);
            return Results.SignOut(authenticationSchemes: [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }).AllowAnonymous().DisableAntiforgery();
    }

    private static async Task<IResult> Authorize(HttpContext context)
    {
        var request = context.GetOpenIddictServerRequest() ?? throw new InvalidOperationException("not an OpenID Connect request");
        var signedIn = await context.AuthenticateAsync(Scheme);
        var user = signedIn.Succeeded ? Users.FirstOrDefault(u => u.Subject == signedIn.Principal?.FindFirstValue(Claims.Subject)) : null;
        if (user is null && request.HasPromptValue(PromptValues.None))
        {
            // A silent sign-in without a session: the client is told, never shown a form.
            return Results.Forbid(new AuthenticationProperties(new Dictionary<string, string?>
            {
                [OpenIddictServerAspNetCoreConstants.Properties.Error] = Errors.LoginRequired,
                [OpenIddictServerAspNetCoreConstants.Properties.ErrorDescription] = "nobody is signed in to the provider",
            }), [OpenIddictServerAspNetCoreDefaults.AuthenticationScheme]);
        }

        if (user is null || request.HasPromptValue(PromptValues.Login))
        {
            // To the provider's sign-in page, and back here with the same request afterwards.
            var back = context.Request.PathBase + context.Request.Path + QueryString.Create(
                context.Request.HasFormContentType ? context.Request.Form.ToList() : context.Request.Query.ToList());
            return Results.Challenge(new AuthenticationProperties { RedirectUri = back }, [Scheme]);
        }

        var identity = new ClaimsIdentity(OpenIddictServerAspNetCoreDefaults.AuthenticationScheme, Claims.Name, Claims.Role);
        identity.SetClaim(Claims.Subject, user.Subject)
            .SetClaim(Claims.Name, user.Name)
            .SetClaim(Claims.PreferredUsername, user.Login)
            .SetClaims("groups", [.. user.Groups]);
        identity.SetScopes(request.GetScopes());
        identity.SetDestinations(_ => [Destinations.AccessToken, Destinations.IdentityToken]);
        return Results.SignIn(new ClaimsPrincipal(identity), authenticationScheme: OpenIddictServerAspNetCoreDefaults.AuthenticationScheme);
    }

    /// <summary>Signs a person of this provider in to the provider itself (its own cookie).</summary>
    public static Task SignIn(HttpContext context, DevUser user)
    {
        var identity = new ClaimsIdentity(Scheme, Claims.Name, Claims.Role);
        identity.AddClaim(new Claim(Claims.Subject, user.Subject));
        identity.AddClaim(new Claim(Claims.Name, user.Name));
        return context.SignInAsync(Scheme, new ClaimsPrincipal(identity));
    }

    private static bool SameSecret(string? given, string? expected) =>
        given is not null && expected is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(given), Encoding.UTF8.GetBytes(expected));
}

/// <summary>
/// The authorization codes this provider redeemed, each remembered for as long as a code lives, so
/// a code is redeemed once (OpenIddict's degraded mode keeps no token store to mark it).
/// </summary>
internal sealed class RedeemedCodes(NodaTime.IClock clock)
{
    private static readonly NodaTime.Duration Lifetime = NodaTime.Duration.FromMinutes(5);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, NodaTime.Instant> codes = new(StringComparer.Ordinal);

    /// <summary>True the first time <paramref name="code"/> is redeemed, false every time after.</summary>
    public bool First(string? code)
    {
        if (string.IsNullOrEmpty(code))
        {
            return true;
        }

        var now = clock.GetCurrentInstant();
        foreach (var old in codes.Where(c => now - c.Value > Lifetime).Select(c => c.Key).ToList())
        {
            codes.TryRemove(old, out _);
        }

        return codes.TryAdd(Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code))), now);
    }
}
