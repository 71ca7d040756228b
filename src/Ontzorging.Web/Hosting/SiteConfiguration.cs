using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Hosting;

/// <summary>The site's configuration cannot work; the message says what to set.</summary>
public sealed class SiteConfigurationException(string message) : InvalidOperationException(message);

/// <summary>
/// What the site needs before it starts (docs/rules.md §14): a provider to sign in with, the
/// development provider only where it is asked for in Development, and outside Development a
/// certificate for the keys. Each problem says what to configure; the site starts with none.
/// </summary>
public static class SiteConfiguration
{
    public static IReadOnlyList<string> Problems(IHostEnvironment environment, IdentitySettings identity, WebSettings web)
    {
        var problems = new List<string>();
        var hasAuthority = !string.IsNullOrWhiteSpace(identity.Authority);
        if (identity.DevelopmentProvider && !environment.IsDevelopment())
        {
            problems.Add($"The embedded development identity provider runs only in the Development environment, not in {environment.EnvironmentName}: remove Ontzorging:Identity:DevelopmentProvider and configure the municipality's provider (Ontzorging:Identity:Authority, ClientId, ClientSecret; README, \"Signing in\").");
        }
        else if (identity.DevelopmentProvider && hasAuthority)
        {
            problems.Add("Both Ontzorging:Identity:Authority and Ontzorging:Identity:DevelopmentProvider are set: choose one.");
        }
        else if (!hasAuthority && !identity.DevelopmentProvider)
        {
            problems.Add($"No identity provider is configured ({environment.EnvironmentName}): set Ontzorging:Identity:Authority, ClientId and ClientSecret to the municipality's OpenID Connect provider (README, \"Signing in\"). For development only: ASPNETCORE_ENVIRONMENT=Development and Ontzorging:Identity:DevelopmentProvider=true.");
        }
        else if (hasAuthority && string.IsNullOrWhiteSpace(identity.ClientSecret))
        {
            problems.Add("Ontzorging:Identity:ClientSecret is empty: set the site's secret at the provider (from a secret store).");
        }

        if (!environment.IsDevelopment() && string.IsNullOrWhiteSpace(web.KeyCertificate))
        {
            problems.Add("Ontzorging:Web:KeyCertificate is not set: outside Development the keys that protect sessions are kept in the database encrypted with a certificate; name its .pfx file (and Ontzorging:Web:KeyCertificatePassword) (README, \"Running the site on two machines\").");
        }
        else if (!string.IsNullOrWhiteSpace(web.KeyCertificate) && !File.Exists(web.KeyCertificate))
        {
            problems.Add($"Ontzorging:Web:KeyCertificate names {web.KeyCertificate}, which does not exist.");
        }

        if (web.SessionIdleMinutes is < 1 or > 24 * 60 || web.SessionAbsoluteHours is < 1 or > 7 * 24 || web.SessionIdleMinutes > web.SessionAbsoluteHours * 60)
        {
            problems.Add($"Ontzorging:Web:SessionIdleMinutes ({web.SessionIdleMinutes}) must be 1 to 1440 and Ontzorging:Web:SessionAbsoluteHours ({web.SessionAbsoluteHours}) 1 to 168, the idle lifetime within the absolute one.");
        }

        if (web.MaxStatementUploadMegabytes is < 1 or > 100_000)
        {
            problems.Add($"Ontzorging:Web:MaxStatementUploadMegabytes ({web.MaxStatementUploadMegabytes}) must be 1 to 100000 (MiB).");
        }

        return problems;
    }

    public static void Check(IHostEnvironment environment, IdentitySettings identity, WebSettings web)
    {
        if (Problems(environment, identity, web) is { Count: > 0 } problems)
        {
            throw new SiteConfigurationException("The site cannot start:\n- " + string.Join("\n- ", problems));
        }
    }
}
