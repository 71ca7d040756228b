using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Complaints;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>
/// Registers a complaint about a household's money (docs/rules.md §19): what came in, the payments,
/// months and decisions it is about, chosen from the household's own money story. A value that cannot
/// be read or a rule's refusal is answered next to its field with 422, and nothing is written.
/// </summary>
public sealed class NieuwModel(HouseholdQueries queries, PersonalDataViews views, ComplaintDesk desk, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "huishouden")]
    public string? Reference { get; set; }

    [BindProperty(Name = "received")]
    public string? Received { get; set; }

    [BindProperty(Name = "channel")]
    public string? Channel { get; set; }

    [BindProperty(Name = "complainant")]
    public string? Complainant { get; set; }

    [BindProperty(Name = "complainant_name")]
    public string? ComplainantName { get; set; }

    [BindProperty(Name = "subject")]
    public string? Subject { get; set; }

    [BindProperty(Name = "description")]
    public string? Description { get; set; }

    [BindProperty(Name = "conduct")]
    public string? Conduct { get; set; }

    [BindProperty(Name = "staff_member")]
    public string? StaffMember { get; set; }

    [BindProperty(Name = "advisory_committee")]
    public bool AdvisoryCommittee { get; set; }

    /// <summary>The money chosen: "payment:12", "receipt:3", "decision:7", "month:2026-06".</summary>
    [BindProperty(Name = "link")]
    public List<string> Links { get; set; } = [];

    /// <summary>Months typed as yyyy-MM, separated by spaces or commas (a month after the period, say).</summary>
    [BindProperty(Name = "other_months")]
    public string? OtherMonths { get; set; }

    public HouseholdStory? Story { get; private set; }

    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!await Load(ct))
        {
            return NotFound();
        }

        Received = Formats.Text(clock.Today());
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (!await Load(ct))
        {
            return NotFound();
        }

        var staff = Staff.Of(User);
        if (Read() is not { } complaint)
        {
            return Refused();
        }

        // Once sent, the registration is made whatever the browser does next.
        var outcome = await desk.Register(staff.Actor, Reference!, complaint, staff.Complaints, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Errors[refusal.Field is null or "household" ? "description" : refusal.Field] = refusal;
            return Refused();
        }

        TempData["notice"] = "Notice.ComplaintRegistered";
        return ComplaintScope.AboutConduct(complaint.Subject, complaint.Conduct, complaint.StaffMember) && !staff.Complaints.All.Includes(Story!.Status.Municipality)
            ? Redirect("/klachten")
            : Redirect($"/klachten/{outcome.Value}");
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private async Task<bool> Load(CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(Reference))
        {
            return false;
        }

        Reference = Reference.Trim();
        var staff = Staff.Of(User);
        var scope = MunicipalityScope.Of([.. staff.Grants.Where(g => g.Role is Roles.Caseworker or Roles.ComplaintsOfficer).Select(g => g.Municipality)]);
        Story = await queries.Story(Reference, clock.Today(), scope, ct);
        if (Story is null)
        {
            return false;
        }

        await views.HouseholdViewed(staff.Actor, Reference, Story.Status.Municipality, null, ct);
        return true;
    }

    private NewComplaint? Read()
    {
        T? Take<T>(T? value, string field, string? text, string codes)
            where T : struct
        {
            if (value is null)
            {
                Errors[field] = Refusal.Of(RefusalCode.ComplaintCodeUnknown, field, ("text", text ?? ""), ("codes", codes));
            }

            return value;
        }

        LocalDate? received = null;
        var date = DecisionInput.Date(Received, "received");
        if (date.Refusal is { } dateRefusal)
        {
            Errors["received"] = dateRefusal;
        }
        else
        {
            received = date.Value;
        }

        var channel = Take(ComplaintCodes.Channels.Parse(Channel), "channel", Channel, string.Join(", ", ComplaintCodes.Channels.All.Select(c => c.Code)));
        var complainant = Take(ComplaintCodes.Complainants.Parse(Complainant), "complainant", Complainant, string.Join(", ", ComplaintCodes.Complainants.All.Select(c => c.Code)));
        var subject = Take(ComplaintCodes.Subjects.Parse(Subject), "subject", Subject, string.Join(", ", ComplaintCodes.Subjects.All.Select(c => c.Code)));
        var links = new List<ComplaintLink>();
        foreach (var link in Links.Where(l => !string.IsNullOrWhiteSpace(l)))
        {
            var parts = link.Split(':', 2);
            var kind = ComplaintCodes.Links.Parse(parts[0]);
            if (kind == ComplaintLinkKind.Month && parts.Length == 2 && DecisionInput.Month(parts[1], "links") is { Success: true } linkMonth)
            {
                links.Add(ComplaintLink.OfMonth(linkMonth.Value));
            }
            else if (kind is { } k && k != ComplaintLinkKind.Month && parts.Length == 2 && long.TryParse(parts[1], out var id))
            {
                links.Add(ComplaintLink.Of(k, id));
            }
            else
            {
                Errors["links"] = Refusal.Of(RefusalCode.ComplaintCodeUnknown, "links", ("text", link), ("codes", "payment:<id>, receipt:<id>, decision:<id>, month:yyyy-MM"));
            }
        }

        foreach (var text in (OtherMonths ?? "").Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var month = DecisionInput.Month(text, "other_months");
            if (month.Refusal is { } monthRefusal)
            {
                Errors["other_months"] = monthRefusal;
            }
            else
            {
                links.Add(ComplaintLink.OfMonth(month.Value));
            }
        }

        if (Errors.Count > 0 || received is null || channel is null || complainant is null || subject is null)
        {
            return null;
        }

        return new NewComplaint(received.Value, channel.Value, complainant.Value, ComplainantName ?? "", subject.Value, Description ?? "", Conduct, StaffMember,
            AdvisoryCommittee, links.Distinct().ToList());
    }
}
