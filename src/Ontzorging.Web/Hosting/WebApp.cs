using System.Security.Claims;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.FileProviders;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.People;
using Ontzorging.Web.DevIdentity;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// The site's host: the engine's services (<see cref="ServiceCollectionExtensions.AddOntzorging"/>,
/// the same as the CLI's), sign-in through OpenID Connect, one authorization policy per role, the
/// security headers, and the Razor Pages. Tests build it with their own configuration.
/// </summary>
public static partial class WebApp
{
    private const string LinkRefused = "ozg.link-refused";

    [LoggerMessage(Level = LogLevel.Warning, Message = "The NL Design System package {Package} is missing; run: npm ci --prefix src/Ontzorging.Web")]
    private static partial void MissingDesignSystem(ILogger logger, string package);

    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        // The application is this assembly even when a test host starts it, so its pages are found.
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ApplicationName = typeof(WebApp).Assembly.GetName().Name });
        // Defaults that an appsettings.json beside the site (optional) or Ontzorging__… variables override.
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning).AddFilter("OpenIddict", LogLevel.Warning);
        // The server's name and version tell an attacker what to try; nobody else needs them.
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.AddServerHeader = false);
        configure?.Invoke(builder);
        var web = builder.Configuration.GetSection(WebSettings.SectionName).Get<WebSettings>() ?? new WebSettings();
        var identity = builder.Configuration.GetSection(IdentitySettings.SectionName).Get<IdentitySettings>() ?? new IdentitySettings();
        SiteConfiguration.Check(builder.Environment, identity, web);
        if (identity.UsesEmbeddedProvider)
        {
            DevIdentityProvider.Add(builder, web, identity);
        }

        PrepareRepeatedStatements(builder.Configuration);
        builder.Services.AddOntzorging(builder.Configuration);
        builder.Services.AddSingleton(web);
        builder.Services.AddSingleton(identity);
        SiteCultures.Add(builder.Services);
        builder.Services.AddHttpContextAccessor();
        DatabaseKeyRing.Use(builder.Services, web);
        builder.Services.AddSingleton<WorklistChanges>();
        builder.Services.AddSingleton<Statements.StatementUploads>();
        builder.Services.AddSingleton<Statements.StatementProgress>();
        builder.Services.AddSingleton<Statements.BankFiles>();
        builder.Services.AddHostedService(services => services.GetRequiredService<WorklistChanges>());
        AddSignIn(builder, web, identity);
        var authorization = builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build());
        foreach (var (policy, roles) in SiteSections.Policies.RolesOf)
        {
            authorization.AddPolicy(policy, p => p.RequireClaim(StaffClaims.Role, roles));
        }

        builder.Services.AddRazorPages(options =>
        {
            foreach (var section in SiteSections.All)
            {
                options.Conventions.AuthorizeFolder(section.Folder, section.Policy);
            }

            options.Conventions.AllowAnonymousToPage("/Aanmelden");
            options.Conventions.AllowAnonymousToPage("/Fout");
            options.Conventions.AllowAnonymousToFolder("/Idp");
            if (!identity.UsesEmbeddedProvider)
            {
                // The development provider's pages exist only where it runs: no selector, no address.
                options.Conventions.AddFolderRouteModelConvention("/Idp", model => model.Selectors.Clear());
            }
        }).AddMvcOptions(options => options.Filters.Add<NoHandlerFilter>());
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "ozg.af";
            options.Cookie.HttpOnly = true;
            options.Cookie.SecurePolicy = SecurePolicy(builder.Environment);
        });
        builder.Services.AddHsts(options => options.MaxAge = TimeSpan.FromDays(365));
        builder.Services.AddHealthChecks().AddCheck<Infrastructure.Database.DatabaseHealthCheck>("database");

        var app = builder.Build();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
            app.UseHttpsRedirection();
        }

        app.UseMiddleware<ServerTiming>();
        app.UseMiddleware<SecurityHeaders>();
        app.UseStatusCodePagesWithReExecute("/fout/{0}");
        app.UseExceptionHandler("/fout/500");
        ServeDesignSystem(app);
        app.UseStaticFiles();
        app.UseRequestLocalization();
        app.UseRouting();
        app.UseAuthentication();
        app.UseAuthorization();
        if (identity.UsesEmbeddedProvider)
        {
            DevIdentityProvider.Map(app);
        }

        app.MapHealthChecks("/health").AllowAnonymous();
        SignInEndpoints.Map(app);
        // The monthly statement's own style, the one its PDF is printed with (the policy allows no inline style).
        app.MapGet("/overzicht.css", () => Results.Text(Ontzorging.Infrastructure.Statements.StatementHtml.Style, "text/css; charset=utf-8"));
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// The site runs the same short lookups for every page (a household page some twenty), so its
    /// connections prepare a statement after its second use and the server parses and plans it once.
    /// A connection string that says otherwise is kept.
    /// </summary>
    private static void PrepareRepeatedStatements(ConfigurationManager configuration)
    {
        const string key = "Ontzorging:Database:ConnectionString";
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(configuration[key] ?? Infrastructure.OntzorgingOptions.LocalConnectionString);
        if (connection.MaxAutoPrepare == 0)
        {
            connection.MaxAutoPrepare = 64;
            connection.AutoPrepareMinUsages = 2;
            configuration[key] = connection.ConnectionString;
        }
    }

    /// <summary>A loopback port free at this moment, for a site started by a test or a benchmark.</summary>
    public static int FreeLoopbackPort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    public static CookieSecurePolicy SecurePolicy(IWebHostEnvironment environment) =>
        environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;

    private static void AddSignIn(WebApplicationBuilder builder, WebSettings web, IdentitySettings identity)
    {
        builder.Services.AddAuthentication(options =>
            {
                options.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                options.DefaultChallengeScheme = CookieAuthenticationDefaults.AuthenticationScheme;
            })
            .AddCookie(options =>
            {
                options.Cookie.Name = "ozg.session";
                options.Cookie.HttpOnly = true;
                options.Cookie.SameSite = SameSiteMode.Lax;
                options.Cookie.SecurePolicy = SecurePolicy(builder.Environment);
                options.ExpireTimeSpan = TimeSpan.FromMinutes(web.SessionIdleMinutes);
                options.SlidingExpiration = true;
                options.LoginPath = "/aanmelden";
                options.LogoutPath = "/afmelden";
                // The absolute lifetime: the session's row ends then (DatabaseTicketStore), and so does the cookie.
                options.Events.OnSigningIn = context =>
                {
                    context.CookieOptions.MaxAge = TimeSpan.FromHours(web.SessionAbsoluteHours);
                    return Task.CompletedTask;
                };
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            })
            .AddOpenIdConnect(OpenIdConnectDefaults.AuthenticationScheme, options =>
            {
                options.Authority = identity.UsesEmbeddedProvider ? web.BaseUrl + "/" : identity.Authority;
                options.RequireHttpsMetadata = !(identity.UsesEmbeddedProvider && builder.Environment.IsDevelopment());
                options.ClientId = identity.ClientId;
                options.ClientSecret = identity.ClientSecret;
                options.ResponseType = OpenIdConnectResponseType.Code;
                options.ResponseMode = OpenIdConnectResponseMode.Query;
                options.UsePkce = true;
                options.MapInboundClaims = false;
                options.SaveTokens = false;
                options.GetClaimsFromUserInfoEndpoint = false;
                options.Scope.Clear();
                options.Scope.Add("openid");
                options.Scope.Add("profile");
                if (identity.UsesEmbeddedProvider)
                {
                    options.Scope.Add("groups");
                }

                options.CorrelationCookie.SecurePolicy = SecurePolicy(builder.Environment);
                options.CorrelationCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SameSite = SameSiteMode.Lax;
                options.NonceCookie.SecurePolicy = SecurePolicy(builder.Environment);
                options.TokenValidationParameters.NameClaimType = "name";
                // An answer from the provider that cannot be read (a bare GET of /signin-oidc, a stale
                // or forged state) sends the person to sign in again instead of answering 500.
                options.Events.OnRemoteFailure = context =>
                {
                    context.Response.Redirect(context.HttpContext.Items.ContainsKey(LinkRefused) ? "/aanmelden?geweigerd=1" : "/aanmelden");
                    context.HandleResponse();
                    return Task.CompletedTask;
                };
                options.Events.OnTokenValidated = async context =>
                {
                    var provider = context.Principal!;
                    var staff = Staff.FromProvider(provider, identity, CookieAuthenticationDefaults.AuthenticationScheme);
                    context.Principal = new ClaimsPrincipal(staff);
                    var person = Staff.Of(context.Principal);
                    var services = context.HttpContext.RequestServices;
                    // The provider names the person's OS login: their CLI subject and this one are one person.
                    if (identity.LoginClaim is { Length: > 0 } claim && provider.FindFirstValue(claim) is { Length: > 0 } login)
                    {
                        var linked = await services.GetRequiredService<PersonLinks>().LinkAtSignIn(person.Actor, login);
                        if (linked.Refusal is { } refusal)
                        {
                            context.HttpContext.Items[LinkRefused] = true;
                            context.Fail(refusal.Message);
                            return;
                        }
                    }

                    await services.GetRequiredService<PersonalDataViews>().SignedIn(person.Actor, person.Grants.Select(g => $"{g.Role}:{g.Municipality}"));
                };
            });
        DatabaseTicketStore.Use(builder.Services, CookieAuthenticationDefaults.AuthenticationScheme);
    }

    /// <summary>The NL Design System's Utrecht CSS, from the npm packages the set-up installs (src/Ontzorging.Web/package.json).</summary>
    private static void ServeDesignSystem(WebApplication app)
    {
        var modules = Path.Combine(app.Environment.ContentRootPath, "node_modules", "@utrecht");
        foreach (var (package, path) in new[] { ("component-library-css", "/lib/utrecht/components"), ("design-tokens", "/lib/utrecht/tokens") })
        {
            var folder = Path.Combine(modules, package, "dist");
            if (Directory.Exists(folder))
            {
                app.UseStaticFiles(new StaticFileOptions { FileProvider = new PhysicalFileProvider(folder), RequestPath = path });
            }
            else
            {
                MissingDesignSystem(app.Logger, package);
            }
        }
    }
}
