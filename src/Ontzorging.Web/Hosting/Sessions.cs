using System.Security.Cryptography;
using System.Xml.Linq;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using NodaTime;
using Ontzorging.Infrastructure.Sessions;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// Sessions kept in PostgreSQL (docs/rules.md §14): the cookie carries only a random key, the ticket
/// (who, which roles, until when) is a row, protected with the site's keys. Signing out removes the
/// row, so the cookie, or a copy of it, is refused afterwards on every instance; a session ends after
/// the idle lifetime without a request and after the absolute lifetime whatever happens.
/// </summary>
public sealed class DatabaseTicketStore(SessionRows rows, IDataProtectionProvider protection, IClock clock, string scheme, WebSettings web) : ITicketStore
{
    private readonly IDataProtector protector = protection.CreateProtector("Ontzorging.Web.Sessions", scheme);

    public async Task<string> StoreAsync(AuthenticationTicket ticket)
    {
        var key = Base64Url(RandomNumberGenerator.GetBytes(32));
        var now = clock.GetCurrentInstant();
        var subject = ticket.Principal.FindFirst(StaffClaims.Subject)?.Value ?? ticket.Principal.FindFirst("sub")?.Value;
        await rows.Store(key, scheme, subject, Protect(ticket), Expiry(ticket, now), now + Duration.FromHours(web.SessionAbsoluteHours));
        return key;
    }

    public Task RenewAsync(string key, AuthenticationTicket ticket) => rows.Renew(key, Protect(ticket), Expiry(ticket, clock.GetCurrentInstant()));

    public async Task<AuthenticationTicket?> RetrieveAsync(string key)
    {
        if (await rows.Retrieve(key) is not { } stored)
        {
            return null;
        }

        try
        {
            return TicketSerializer.Default.Deserialize(protector.Unprotect(stored));
        }
        catch (CryptographicException)
        {
            // Protected with a key this site no longer has: as good as no session.
            return null;
        }
    }

    public Task RemoveAsync(string key) => rows.Remove(key);

    /// <summary>Sessions in this store for <paramref name="scheme"/>, each cookie of that scheme holding only its key.</summary>
    public static void Use(IServiceCollection services, string scheme) =>
        services.AddOptions<CookieAuthenticationOptions>(scheme).Configure<SessionRows, IDataProtectionProvider, IClock, WebSettings>((options, rows, protection, clock, web) =>
            options.SessionStore = new DatabaseTicketStore(rows, protection, clock, scheme, web));

    private byte[] Protect(AuthenticationTicket ticket) => protector.Protect(TicketSerializer.Default.Serialize(ticket));

    private Instant Expiry(AuthenticationTicket ticket, Instant now) =>
        ticket.Properties.ExpiresUtc is { } expires ? Instant.FromDateTimeOffset(expires) : now + Duration.FromMinutes(web.SessionIdleMinutes);

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}

/// <summary>
/// The Data Protection key ring in PostgreSQL, shared by every instance of the site, so what one
/// instance protects (a session, an antiforgery token, the sign-in's correlation cookie) the other
/// reads. Outside Development the keys are encrypted at rest with the configured certificate.
/// </summary>
public sealed class DatabaseKeyRing(KeyRingRows rows) : IXmlRepository
{
    public const string ApplicationName = "Ontzorging";

    public IReadOnlyCollection<XElement> GetAllElements() => rows.All().Select(xml => XElement.Parse(xml)).ToList();

    public void StoreElement(XElement element, string friendlyName) => rows.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));

    public static void Use(IServiceCollection services, WebSettings web)
    {
        var protection = services.AddDataProtection().SetApplicationName(ApplicationName);
        services.AddOptions<KeyManagementOptions>().Configure<KeyRingRows>((options, rows) => options.XmlRepository = new DatabaseKeyRing(rows));
        if (!string.IsNullOrWhiteSpace(web.KeyCertificate))
        {
            var certificate = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12FromFile(web.KeyCertificate, web.KeyCertificatePassword);
            protection.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(certificate);
        }
    }
}
