using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>
/// Records a caseworker's decision. Every field is checked first (the same rules as the CLI and
/// intake, docs/rules.md §12); a refused value is explained next to its field and nothing is
/// written. The decision and its audit record carry the signed-in person.
/// </summary>
public sealed class BesluitModel(HouseholdQueries queries, DecisionRecorder recorder, HouseholdWorklist worklist, IClock clock) : PageModel
{
    /// <summary>The kinds of decision, from Domain's one list.</summary>
    public static IReadOnlyList<(string Code, DecisionKind Kind)> Kinds => DecisionKinds.All;

    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? On { get; set; }

    [BindProperty]
    public string? Months { get; set; }

    [BindProperty]
    public string? LastDay { get; set; }

    [BindProperty]
    public string? Score { get; set; }

    [BindProperty]
    public string? Amount { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    /// <summary>Refusals by field: kind, date, months, last_day, score, amount, reason.</summary>
    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (!await InScope(ct))
        {
            return NotFound();
        }

        On = Formats.Text(clock.Today());
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        if (!await InScope(ct))
        {
            return NotFound();
        }

        var staff = Staff.Of(User);
        var decision = Read(staff.Actor.Subject);
        if (decision is null)
        {
            return Refused();
        }

        // Once sent, a decision is recorded whatever the browser does next (the door finishes the
        // write and its record together), so the request's abort token is not passed on.
        var outcome = await recorder.Record(staff.Actor, Reference, decision, clock.Today(), CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Errors[refusal.Field is null or "recorded_by" ? "kind" : refusal.Field] = refusal;
            return Refused();
        }

        if (outcome.Value.Added)
        {
            worklist.Changed();
        }

        TempData["notice"] = outcome.Value.Added ? "Notice.DecisionRecorded" : "Notice.DecisionAlreadyRecorded";
        return Redirect($"/huishoudens/{Uri.EscapeDataString(Reference)}");
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private Task<bool> InScope(CancellationToken ct) => queries.Visible(Reference, Staff.Of(User).ScopeFor(Roles.Caseworker), ct);

    /// <summary>The form's values as a decision, read by Domain's <see cref="DecisionInput"/>; null (with the refusals in <see cref="Errors"/>) when a value cannot be read.</summary>
    private Decision? Read(string subject)
    {
        T? Take<T>(Result<T> result)
            where T : struct
        {
            if (result.Refusal is { } refusal)
            {
                Errors[refusal.Field ?? "kind"] = refusal;
                return null;
            }

            return result.Value;
        }

        if (Take(DecisionInput.Kind(Kind)) is not { } kind)
        {
            return null;
        }

        var on = string.IsNullOrWhiteSpace(On) ? clock.Today() : Take(DecisionInput.Date(On, "date"));
        var lastDay = kind == DecisionKind.BijstandEnd && !string.IsNullOrWhiteSpace(LastDay) ? Take(DecisionInput.Date(LastDay, "last_day")) : null;
        var months = kind == DecisionKind.Extension && !string.IsNullOrWhiteSpace(Months) ? Take(DecisionInput.WholeNumber(Months, "months")) : null;
        var score = kind == DecisionKind.ZrmScore && !string.IsNullOrWhiteSpace(Score) ? Take(DecisionInput.WholeNumber(Score, "score")) : null;
        var amount = kind == DecisionKind.WriteOff ? Take(DecisionInput.WriteOff(Amount)) : null;
        if (Errors.Count > 0 || on is null)
        {
            return null;
        }

        return new Decision(kind, on.Value, subject, string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), months, lastDay, score, amount?.Amount);
    }
}
