namespace Ontzorging.Web.Identity;

/// <summary>
/// The municipality's identity provider (Entra ID, Keycloak, ADFS or any OpenID Connect server),
/// bound from <c>Ontzorging:Identity</c>. The embedded development provider runs only when
/// <see cref="DevelopmentProvider"/> switches it on in the Development environment; a site with
/// neither refuses to start (<see cref="Hosting.SiteConfiguration"/>).
/// </summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Ontzorging:Identity";

    /// <summary>The provider's issuer address, e.g. https://login.microsoftonline.com/&lt;tenant&gt;/v2.0.</summary>
    public string? Authority { get; set; }

    /// <summary>Switches the embedded development provider on (with no <see cref="Authority"/>, in Development only).</summary>
    public bool DevelopmentProvider { get; set; }

    /// <summary>
    /// The ID token claim that names the person's operating-system login (e.g. a custom
    /// <c>ontzorging_login</c> claim, or <c>preferred_username</c> where that is the login), so
    /// sign-in links the provider subject with <c>os:&lt;login&gt;</c> and four eyes sees one person
    /// (docs/rules.md §14). Empty: only an administrator links (<c>ontzorging people link</c>).
    /// </summary>
    public string? LoginClaim { get; set; }

    public string ClientId { get; set; } = "ontzorging-web";

    public string? ClientSecret { get; set; }

    /// <summary>The claim in the ID token that carries the provider's roles or groups ("roles" for Entra app roles, "groups" for Keycloak).</summary>
    public string RoleClaim { get; set; } = "groups";

    /// <summary>Which provider value gives which of our roles, for which municipalities.</summary>
    public List<GrantMapping> Grants { get; set; } = [];

    public bool UsesEmbeddedProvider => DevelopmentProvider && string.IsNullOrWhiteSpace(Authority);
}

/// <summary>One provider role or group, and the role and municipality codes it grants here.</summary>
public sealed class GrantMapping
{
    public string Value { get; set; } = "";

    public string Role { get; set; } = "";

    public List<string> Municipalities { get; set; } = [];
}

/// <summary>The site itself, bound from <c>Ontzorging:Web</c>.</summary>
public sealed class WebSettings
{
    public const string SectionName = "Ontzorging:Web";

    /// <summary>The address people use; the embedded provider issues tokens under it and redirects back to it.</summary>
    public string PublicUrl { get; set; } = "http://127.0.0.1:5080";

    /// <summary>A session ends after this many minutes without a request (docs/rules.md §14).</summary>
    public int SessionIdleMinutes { get; set; } = 20;

    /// <summary>A session ends this many hours after sign-in, however busy (docs/rules.md §14).</summary>
    public int SessionAbsoluteHours { get; set; } = 10;

    /// <summary>
    /// A PKCS#12 (.pfx) file whose certificate encrypts the Data Protection keys at rest in the
    /// database; required outside Development (README, "Running the site on two machines").
    /// </summary>
    public string? KeyCertificate { get; set; }

    /// <summary>The password of <see cref="KeyCertificate"/>, from a secret store.</summary>
    public string? KeyCertificatePassword { get; set; }

    /// <summary>
    /// The largest bank statement the site accepts on <c>/bankafschriften</c>, in MiB; a larger
    /// upload is refused with 413 and nothing is kept (README, "Bank statements on the site").
    /// </summary>
    public int MaxStatementUploadMegabytes { get; set; } = 512;

    /// <summary>
    /// Where uploaded statements wait between their dry run and their confirmation (at most an hour);
    /// default: the site's user's own data folder (~/.local/share/ontzorging/uploads; scripts/web.sh
    /// uses the checkout's .local/uploads). Two instances behind one address share it
    /// or keep a person on one instance (README, "Bank statements on the site").
    /// </summary>
    public string? UploadFolder { get; set; }

    public string BaseUrl => PublicUrl.TrimEnd('/');
}
