using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>A household's whole money story; each view is kept in the audit log.</summary>
public sealed class HuishoudenModel(HouseholdQueries queries, PersonalDataViews views, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    /// <summary>?op=yyyy-MM-dd: the household as it stood on another day.</summary>
    [BindProperty(SupportsGet = true, Name = "op")]
    public string? On { get; set; }

    public HouseholdStory Story { get; private set; } = null!;

    public LocalDate Day { get; private set; }

    public bool OtherDay { get; private set; }

    public string? Notice { get; private set; }

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
        Notice = TempData["notice"] as string;
        started = System.Diagnostics.Stopwatch.GetTimestamp();
        await views.HouseholdViewed(staff.Actor, Reference, story.Status.Municipality, OtherDay ? Day : null, ct);
        Hosting.ServerTiming.Add(HttpContext, "audit", System.Diagnostics.Stopwatch.GetElapsedTime(started));
        return Page();
    }
}
