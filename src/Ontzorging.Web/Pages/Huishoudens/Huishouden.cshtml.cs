using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>
/// A household's whole money story and its forecast (docs/rules.md §16), with a what-if that changes
/// nothing; each view is kept in the audit log.
/// </summary>
public sealed class HuishoudenModel(HouseholdQueries queries, PersonalDataViews views, HouseholdForecasts forecasts, Infrastructure.Complaints.ComplaintQueries complaints, Infrastructure.Signals.MoneySignals signals, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    /// <summary>?op=yyyy-MM-dd: the household as it stood on another day.</summary>
    [BindProperty(SupportsGet = true, Name = "op")]
    public string? On { get; set; }

    public HouseholdStory Story { get; private set; } = null!;

    /// <summary>The household's complaints this person sees, shown on the money story at the months and payments they are about (docs/rules.md §19).</summary>
    public IReadOnlyList<Infrastructure.Complaints.ComplaintSummary> Complaints { get; private set; } = [];

    /// <summary>The complaints about <paramref name="month"/>, or about a payment or receipt of it.</summary>
    public IEnumerable<Infrastructure.Complaints.ComplaintSummary> ComplaintsAbout(StoryMonth month) =>
        Complaints.Where(c => c.Links.Any(l => l.Month == month.Month
            || (l.Kind == Domain.Complaints.ComplaintLinkKind.Payment && month.Payments.Any(p => p.Id == l.Id))
            || (l.Kind == Domain.Complaints.ComplaintLinkKind.Receipt && month.ReceiptsReceived.Any(r => r.Id == l.Id))));

    public IEnumerable<Infrastructure.Complaints.ComplaintSummary> ComplaintsAboutPayment(long payment) =>
        Complaints.Where(c => c.Links.Any(l => l.Kind == Domain.Complaints.ComplaintLinkKind.Payment && l.Id == payment));

    public LocalDate Day { get; private set; }

    public bool OtherDay { get; private set; }

    public string? Notice { get; private set; }

    /// <summary>?scenario=expected|late|never for the forecast.</summary>
    [BindProperty(SupportsGet = true, Name = "scenario")]
    public string? ScenarioCode { get; set; }

    /// <summary>The what-if's fields, named as its refusals name them.</summary>
    [BindProperty(SupportsGet = true, Name = "extension_months")]
    public string? ExtensionMonths { get; set; }

    [BindProperty(SupportsGet = true, Name = "rent_amount")]
    public string? RentAmount { get; set; }

    [BindProperty(SupportsGet = true, Name = "rent_from")]
    public string? RentFrom { get; set; }

    [BindProperty(SupportsGet = true, Name = "toeslag_kind")]
    public string? ToeslagKind { get; set; }

    [BindProperty(SupportsGet = true, Name = "toeslag_amount")]
    public string? ToeslagAmount { get; set; }

    [BindProperty(SupportsGet = true, Name = "toeslag_from")]
    public string? ToeslagFrom { get; set; }

    [BindProperty(SupportsGet = true, Name = "write_off")]
    public string? WriteOff { get; set; }

    [BindProperty(SupportsGet = true, Name = "frequency")]
    public string? Frequency { get; set; }

    /// <summary>?wat_als=1: the what-if form was sent.</summary>
    [BindProperty(SupportsGet = true, Name = "wat_als")]
    public string? WhatIfSent { get; set; }

    public ForecastScenario Scenario { get; private set; }

    /// <summary>The household's money signals (rules §18) and the suppress form.</summary>
    public SignalsPanel Signals { get; private set; } = null!;

    public HouseholdForecast? Forecast { get; private set; }

    /// <summary>The forecast with the what-if applied, when one was tried and accepted.</summary>
    public HouseholdForecast? WhatIfForecast { get; private set; }

    /// <summary>The what-if's refusals by form field.</summary>
    public Dictionary<string, Refusal> WhatIfErrors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Day = clock.Today();
        if (On is not null)
        {
            if (Formats.Date(On) is not { Success: true } parsed || !Domain.SaneDates.Contains(parsed.Value))
            {
                return NotFound();
            }

            Day = parsed.Value;
            OtherDay = true;
        }

        var staff = Staff.Of(User);
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        var found = await queries.Story(Reference, Day, staff.ScopeFor(Roles.Caseworker), ct);
        Hosting.ServerTiming.Add(HttpContext, "data", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (found is not { } story)
        {
            return NotFound();
        }

        Story = story;
        Complaints = await complaints.OfHousehold(Reference, staff.Complaints, ct);
        Notice = TempData["notice"] as string;
        Signals = new SignalsPanel(Reference, await signals.List(Reference, staff.ScopeFor(Roles.Caseworker), ct), new Dictionary<string, Refusal>());
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        Scenario = ForecastScenarios.Parse(ScenarioCode ?? "expected") is { Success: true } scenario ? scenario.Value : ForecastScenario.Expected;
        if (await forecasts.Start(Reference, Day, staff.ScopeFor(Roles.Caseworker), ct) is { } start)
        {
            Forecast = Forecaster.Project(start.Start, Scenario, forecasts.Policy);
            if (WhatIfSent is not null)
            {
                var input = new WhatIfInput(ExtensionMonths, RentAmount, RentFrom, ToeslagKind, ToeslagAmount, ToeslagFrom, WriteOff, Frequency);
                var (changed, refusals) = WhatIf.Apply(start.Start, input, Day);
                foreach (var refusal in refusals)
                {
                    WhatIfErrors.TryAdd(refusal.Field ?? "what_if", refusal);
                }

                WhatIfForecast = changed is null ? null : Forecaster.Project(changed, Scenario, forecasts.Policy);
            }
        }

        Hosting.ServerTiming.Add(HttpContext, "forecast", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        await views.HouseholdViewed(staff.Actor, Reference, story.Status.Municipality, OtherDay ? Day : null, ct);
        Hosting.ServerTiming.Add(HttpContext, "audit", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        if (WhatIfErrors.Count > 0)
        {
            // A what-if that cannot be read is bad input: said next to its field, and nothing is tried.
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        return Page();
    }
}
