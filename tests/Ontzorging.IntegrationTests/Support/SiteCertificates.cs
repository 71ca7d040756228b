using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>A self-signed certificate in a .pfx file, as a municipality would name one for the site's keys.</summary>
public static class SiteCertificates
{
    public static X509Certificate2 SelfSigned(out string file, out string password)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=Ontzorging test keys", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyEncipherment | X509KeyUsageFlags.DataEncipherment, critical: true));
        var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        password = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
        file = Path.Combine(Path.GetTempPath(), $"ontzorging-keys-{Guid.NewGuid():N}.pfx");
        File.WriteAllBytes(file, certificate.Export(X509ContentType.Pfx, password));
        return certificate;
    }
}
