using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// The site's two cultures: nl-NL (the default) and en-GB, chosen with the language switch in the
/// header and kept in the cookie <see cref="CookieName"/>. ASP.NET Core's request localisation sets
/// each request's culture from that cookie only, so words, amounts and dates follow the choice and
/// nothing else (not the browser's language).
/// </summary>
public static class SiteCultures
{
    public const string CookieName = "ozg.lang";

    public static CultureInfo Dutch { get; } = CultureInfo.GetCultureInfo("nl-NL");

    public static CultureInfo English { get; } = CultureInfo.GetCultureInfo("en-GB");

    public static void Add(IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.Configure<RequestLocalizationOptions>(options =>
        {
            CultureInfo[] cultures = [Dutch, English];
            options.DefaultRequestCulture = new RequestCulture(Dutch);
            options.SupportedCultures = cultures;
            options.SupportedUICultures = cultures;
            options.RequestCultureProviders = [new CookieRequestCultureProvider { CookieName = CookieName }];
        });
        services.AddScoped<Words>();
    }

    /// <summary>The culture for a language code of the switch (/taal/en, /taal/nl); Dutch for anything else.</summary>
    public static CultureInfo For(string? language) => language == "en" ? English : Dutch;

    /// <summary>The cookie's value for a language code of the switch, as the cookie provider reads it.</summary>
    public static string CookieValue(string? language)
    {
        var culture = For(language);
        return CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture, culture));
    }

    /// <summary>Whether this request is shown in English.</summary>
    public static bool IsEnglish => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
}
