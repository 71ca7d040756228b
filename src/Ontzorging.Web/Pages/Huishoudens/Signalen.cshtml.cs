using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Signals;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>What the signals part of a household page shows: the signals, and the suppress form with its refusals by field (signal, reason).</summary>
public sealed record SignalsPanel(string Reference, IReadOnlyList<MoneySignalView> Signals, IReadOnlyDictionary<string, Refusal> Errors, long? Signal = null, string? Reason = null);

/// <summary>
/// A caseworker suppresses a money signal with a reason (docs/rules.md §18). A refusal (no reason,
/// a hidden or control character, too long, a signal not open) is said next to its field with 422
/// and nothing is written but the refusal's record; the signals of the household are shown again.
/// </summary>
public sealed class SignalenModel(HouseholdQueries queries, MoneySignals signals, HouseholdWorklist worklist) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    [BindProperty]
    public long? Signal { get; set; }

    [BindProperty]
    public string? Reason { get; set; }

    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public SignalsPanel Panel { get; private set; } = null!;

    /// <summary>The signals are shown on the household page (whose view is recorded); this address only takes the form.</summary>
    public async Task<IActionResult> OnGet(CancellationToken ct) =>
        await queries.Visible(Reference, Staff.Of(User).ScopeFor(Roles.Caseworker), ct) ? Redirect($"/huishoudens/{Uri.EscapeDataString(Reference)}#signalen") : NotFound();

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        var scope = staff.ScopeFor(Roles.Caseworker);
        if (!await queries.Visible(Reference, scope, ct))
        {
            return NotFound();
        }

        // Once sent, the suppression is made whatever the browser does next (the door finishes the write and its record together).
        var outcome = await signals.Suppress(staff.Actor, Reference, Signal ?? 0, Reason, scope, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Errors[refusal.Field ?? "signal"] = refusal;
            Panel = new SignalsPanel(Reference, await signals.List(Reference, scope, ct), Errors, Signal, Reason);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        worklist.Changed();
        TempData["notice"] = "Notice.SignalSuppressed";
        return Redirect($"/huishoudens/{Uri.EscapeDataString(Reference)}#signalen");
    }
}
