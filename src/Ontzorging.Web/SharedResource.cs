namespace Ontzorging.Web;

/// <summary>
/// The site's words: <c>Resources/SharedResource.resx</c> holds the Dutch texts (the neutral
/// culture, nl) and <c>Resources/SharedResource.en.resx</c> the English ones, read through
/// <c>IStringLocalizer&lt;SharedResource&gt;</c>. Keys are stable names ("Text.Worklist",
/// "Kind.health_insurance"), never the text itself.
/// </summary>
public sealed class SharedResource
{
    private SharedResource()
    {
    }
}
