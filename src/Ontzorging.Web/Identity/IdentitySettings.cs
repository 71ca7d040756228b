namespace Ontzorging.Web.Identity;

/// <summary>
/// The municipality's identity provider (Entra ID, Keycloak, ADFS or any OpenID Connect server),
/// bound from <c>Ontzorging:Identity</c>. With no <see cref="Authority"/> the site uses its embedded
/// development provider, which refuses to run in Production.
/// </summary>
public sealed class IdentitySettings
{
    public const string SectionName = "Ontzorging:Identity";

    /// <summary>The provider's issuer address, e.g. https://login.microsoftonline.com/&lt;tenant&gt;/v2.0. Empty: the embedded development provider.</summary>
    public string? Authority { get; set; }

    public string ClientId { get; set; } = "ontzorging-web";

    public string? ClientSecret { get; set; }

    /// <summary>The claim in the ID token that carries the provider's roles or groups ("roles" for Entra app roles, "groups" for Keycloak).</summary>
    public string RoleClaim { get; set; } = "groups";

    /// <summary>Which provider value gives which of our roles, for which municipalities.</summary>
    public List<GrantMapping> Grants { get; set; } = [];

    public bool UsesEmbeddedProvider => string.IsNullOrWhiteSpace(Authority);
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

    public string BaseUrl => PublicUrl.TrimEnd('/');
}
