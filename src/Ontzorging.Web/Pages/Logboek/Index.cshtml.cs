using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Logboek;

/// <summary>
/// The audit trail for auditors and administrators, within the municipalities of those grants:
/// filtered by person, household, action, outcome and days (Europe/Amsterdam), paged by record
/// id, and exported as CSV for an external auditor (an audited action).
/// </summary>
public sealed class IndexModel(AuditSearch search, IClock clock) : PageModel
{
    public const int PageSize = 50;

    [BindProperty(SupportsGet = true, Name = "persoon")]
    public string? Person { get; set; }

    [BindProperty(SupportsGet = true, Name = "huishouden")]
    public string? Household { get; set; }

    [BindProperty(SupportsGet = true, Name = "actie")]
    public string? Action { get; set; }

    [BindProperty(SupportsGet = true, Name = "uitkomst")]
    public string? Outcome { get; set; }

    [BindProperty(SupportsGet = true, Name = "van")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "tot")]
    public string? Through { get; set; }

    [BindProperty(SupportsGet = true, Name = "voor")]
    public long? OlderThan { get; set; }

    [BindProperty(SupportsGet = true, Name = "na")]
    public long? NewerThan { get; set; }

    public AuditPage Records { get; private set; } = new([], null, null);

    public IReadOnlyList<AuditPerson> People { get; private set; } = [];

    public static IReadOnlyList<string> Actions => AuditActions.All;

    public static IReadOnlyList<AuditOutcome> Outcomes { get; } = Enum.GetValues<AuditOutcome>();

    /// <summary>Refusals by field (van, tot, huishouden): shown beside it, and nothing is searched.</summary>
    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        People = await search.People(ct);
        if (Read() is not { } query)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Records = await search.Page(query, Scope(), OlderThan, NewerThan, PageSize, ct);
        return Page();
    }

    /// <summary>The records the filter finds, as CSV; the export is recorded before the file is handed out.</summary>
    public async Task<IActionResult> OnPostExport(CancellationToken ct)
    {
        if (Read() is not { } query)
        {
            People = await search.People(ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var staff = Staff.Of(User);
        var file = Path.Combine(Path.GetTempPath(), $"ontzorging-logboek-{Guid.NewGuid():N}.csv");
        // Once asked, the export and its record are made together whatever the browser does next.
        var outcome = await search.Export(staff.Actor, query, Scope(), file, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Errors["export"] = refusal;
            People = await search.People(ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        Response.Headers.CacheControl = "no-store";
        return File(stream, "text/csv; charset=utf-8", $"logboek-{clock.GetCurrentInstant().InZone(Infrastructure.Time.MunicipalTime.Zone):yyyyMMdd-HHmmss}.csv");
    }

    /// <summary>The address of this page with the current filter and another page key.</summary>
    public string Link(long? olderThan = null, long? newerThan = null)
    {
        var parts = new List<string>();
        void Add(string name, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                parts.Add($"{name}={Uri.EscapeDataString(value)}");
            }
        }

        Add("persoon", Person);
        Add("huishouden", Household);
        Add("actie", Action);
        Add("uitkomst", Outcome);
        Add("van", From);
        Add("tot", Through);
        Add("voor", olderThan?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Add("na", newerThan?.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return "/logboek" + (parts.Count == 0 ? "" : "?" + string.Join('&', parts));
    }

    private MunicipalityScope Scope()
    {
        var staff = Staff.Of(User);
        return MunicipalityScope.Of(staff.Grants.Where(g => SiteSections.Policies.RolesOf[SiteSections.Policies.Auditor].Contains(g.Role)).Select(g => g.Municipality));
    }

    /// <summary>The filter as typed; null (with the refusals in <see cref="Errors"/>) when a date cannot be read or the days are the wrong way round.</summary>
    private AuditQuery? Read()
    {
        LocalDate? Day(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var read = DecisionInput.Date(text, field);
            if (read.Refusal is { } refusal)
            {
                Errors[field] = refusal;
                return null;
            }

            return read.Value;
        }

        var from = Day(From, "van");
        var through = Day(Through, "tot");
        if (from is { } f && through is { } t && t < f)
        {
            Errors["tot"] = Refusal.Of(RefusalCode.PeriodReversed, "tot", ("from", f), ("to", t));
        }

        var outcome = Outcomes.Cast<AuditOutcome?>().FirstOrDefault(o => string.Equals(o.ToString(), Outcome, StringComparison.OrdinalIgnoreCase));
        var action = Actions.Contains(Action ?? "") ? Action : null;
        var household = Household?.Trim();
        return Errors.Count > 0 ? null : new AuditQuery(string.IsNullOrWhiteSpace(Person) ? null : Person, string.IsNullOrEmpty(household) ? null : household, action, outcome, from, through);
    }
}
