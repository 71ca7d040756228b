using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Complaints;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>
/// One complaint with its clock and its steps (docs/rules.md §19). Its words are personal data: each
/// view is recorded before it is shown. Each step is a form of its own, a one-door write; a value that
/// cannot be read or a rule's refusal is answered next to its field with 422, and nothing is written.
/// </summary>
public sealed class KlachtModel(ComplaintQueries complaints, ComplaintDesk desk, HouseholdQueries households, Infrastructure.Audit.PersonalDataViews views, IClock clock, Policy policy) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(Name = "sent_on")]
    public string? SentOn { get; set; }

    [BindProperty(Name = "new_deadline")]
    public string? NewDeadline { get; set; }

    [BindProperty(Name = "notice_on")]
    public string? NoticeOn { get; set; }

    [BindProperty(Name = "consent_on")]
    public string? ConsentOn { get; set; }

    [BindProperty(Name = "held_on")]
    public string? HeldOn { get; set; }

    [BindProperty(Name = "waiver")]
    public string? Waiver { get; set; }

    [BindProperty(Name = "hearing_note")]
    public string? HearingNote { get; set; }

    [BindProperty(Name = "outcome")]
    public string? Outcome { get; set; }

    [BindProperty(Name = "decided_on")]
    public string? DecidedOn { get; set; }

    [BindProperty(Name = "findings")]
    public string? Findings { get; set; }

    [BindProperty(Name = "remedy")]
    public string? RemedyKind { get; set; }

    [BindProperty(Name = "remedy_payment")]
    public string? RemedyPayment { get; set; }

    [BindProperty(Name = "remedy_decision")]
    public string? RemedyDecision { get; set; }

    [BindProperty(Name = "remedy_note")]
    public string? RemedyNote { get; set; }

    public ComplaintDetail Complaint { get; private set; } = null!;

    public HouseholdStory? Story { get; private set; }

    public LocalDate Today { get; private set; }

    /// <summary>The latest day the one postponement may name (shown beside its field).</summary>
    public LocalDate LatestPostponement => Complaint.Summary.Clock.LatestPostponement(policy);

    /// <summary>Which step's form the refusals belong to.</summary>
    public string? FailedStep { get; private set; }

    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGet(CancellationToken ct) => await Load(ct) ? Page() : NotFound();

    public Task<IActionResult> OnPostAcknowledge() => Do("acknowledge", () =>
        Date(SentOn, "sent_on") is { } sent ? desk.Acknowledge(Actor, Id, sent, Scope, CancellationToken.None) : null);

    public Task<IActionResult> OnPostPostpone() => Do("postpone", () =>
        (Date(NewDeadline, "new_deadline"), Date(NoticeOn, "notice_on")) is ({ } deadline, { } notice)
            ? desk.Postpone(Actor, Id, deadline, notice, Scope, CancellationToken.None) : null);

    public Task<IActionResult> OnPostExtend() => Do("extend", () =>
        (Date(NewDeadline, "new_deadline"), Date(ConsentOn, "consent_on")) is ({ } deadline, { } consent)
            ? desk.Extend(Actor, Id, deadline, consent, Scope, CancellationToken.None) : null);

    public Task<IActionResult> OnPostHearing() => Do("hearing", () =>
    {
        var held = string.IsNullOrWhiteSpace(HeldOn) ? null : Date(HeldOn, "held_on");
        var waiver = string.IsNullOrWhiteSpace(Waiver) ? null : Code(ComplaintCodes.Waivers, Waiver, "waiver");
        if (Errors.Count > 0)
        {
            return null;
        }

        return desk.Hear(Actor, Id, new Hearing(held, waiver, HearingNote), Scope, CancellationToken.None);
    });

    public Task<IActionResult> OnPostDecide() => Do("decide", () =>
    {
        var outcome = Code(ComplaintCodes.Outcomes, Outcome, "outcome");
        var decided = Date(DecidedOn, "decided_on");
        return outcome is { } o && decided is { } d && Errors.Count == 0
            ? desk.Decide(Actor, Id, new ComplaintDecision(o, d, Findings ?? ""), Scope, CancellationToken.None)
            : null;
    });

    public Task<IActionResult> OnPostRemedy() => Do("remedy", () =>
    {
        var kind = Code(ComplaintCodes.Remedies, RemedyKind, "remedy");
        long? payment = long.TryParse(RemedyPayment, out var p) ? p : null;
        long? decision = long.TryParse(RemedyDecision, out var d) ? d : null;
        return kind is { } k && Errors.Count == 0
            ? desk.AddRemedy(Actor, Id, new Remedy(k, k == Domain.Complaints.RemedyKind.PaymentResent ? payment : null,
                k == Domain.Complaints.RemedyKind.WriteOff ? decision : null, RemedyNote), Scope, CancellationToken.None)
            : null;
    });

    /// <summary>Each step's first field, where a refusal that names no field is shown.</summary>
    private static readonly Dictionary<string, string> FirstField = new(StringComparer.Ordinal)
    {
        ["acknowledge"] = "sent_on", ["postpone"] = "new_deadline", ["extend"] = "new_deadline", ["hearing"] = "held_on", ["decide"] = "outcome", ["remedy"] = "remedy",
    };

    private Actor Actor => Staff.Of(User).Actor;

    private ComplaintScope Scope => Staff.Of(User).Complaints;

    /// <summary>A step: read its fields, make the write (once sent, whatever the browser does next), then show the complaint again or the refusals.</summary>
    private async Task<IActionResult> Do(string step, Func<Task<Result<ComplaintStep>>?> write)
    {
        var pending = write();
        Result<ComplaintStep>? outcome = pending is null ? default(Result<ComplaintStep>?) : await pending;
        if (outcome is { Refusal: { } refusal })
        {
            if (refusal.Code == RefusalCode.ComplaintUnknown)
            {
                return NotFound();
            }

            Errors[refusal.Field ?? FirstField[step]] = refusal;
        }

        if (Errors.Count > 0 || outcome is null)
        {
            FailedStep = step;
            if (!await Load(CancellationToken.None))
            {
                return NotFound();
            }

            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        TempData["notice"] = "Notice.ComplaintStepRecorded";
        return Redirect($"/klachten/{Id}");
    }

    private async Task<bool> Load(CancellationToken ct)
    {
        Today = clock.Today();
        var staff = Staff.Of(User);
        if (await complaints.View(staff.Actor, Id, staff.Complaints, "complaint page", ct) is not { } complaint)
        {
            return false;
        }

        Complaint = complaint;
        // The remedy's choices show the household's payments and write-offs: a view of the household too (§14).
        Story = await households.Story(complaint.Summary.Household, Today, MunicipalityScope.Of([complaint.Summary.Municipality]), ct);
        await views.HouseholdViewed(staff.Actor, complaint.Summary.Household, complaint.Summary.Municipality, null, ct);
        var today = Formats.Text(Today);
        SentOn ??= today;
        NoticeOn ??= today;
        HeldOn ??= null;
        DecidedOn ??= today;
        return true;
    }

    private LocalDate? Date(string? text, string field)
    {
        var date = DecisionInput.Date(text, field);
        if (date.Refusal is { } refusal)
        {
            Errors[field] = refusal;
            return null;
        }

        return date.Value;
    }

    private T? Code<T>(CodeList<T> list, string? text, string field)
        where T : struct, Enum
    {
        if (list.Parse(text) is { } value)
        {
            return value;
        }

        Errors[field] = Refusal.Of(RefusalCode.ComplaintCodeUnknown, field, ("text", text ?? ""), ("codes", string.Join(", ", list.All.Select(c => c.Code))));
        return null;
    }
}
