using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;
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
public sealed class BesluitModel(HouseholdQueries queries, DecisionRecorder recorder, HouseholdWorklist worklist, AuditTrail audit, IClock clock) : PageModel
{
    public static readonly IReadOnlyList<(string Code, DecisionKind Kind, string Label)> Kinds =
    [
        ("extension", DecisionKind.Extension, "Extension"),
        ("bijstand_end", DecisionKind.BijstandEnd, "Bijstand end"),
        ("opt_out", DecisionKind.OptOut, "Opt-out"),
        ("zrm_score", DecisionKind.ZrmScore, "ZRM score"),
        ("training_completed", DecisionKind.TrainingCompleted, "Training completed"),
        ("write_off", DecisionKind.WriteOff, "Write-off"),
    ];

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
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

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
        if (decision is not null && DecisionRules.Refusal(decision) is { } refusal)
        {
            Errors[refusal.Field == "recorded_by" ? "kind" : refusal.Field] = refusal.Message;
        }

        if (decision is null || Errors.Count > 0)
        {
            return Refused();
        }

        bool added;
        try
        {
            added = await recorder.Record(Reference, decision, clock.Today(), ct);
        }
        catch (DecisionRefusedException ex)
        {
            Errors[decision.Kind == DecisionKind.WriteOff ? "amount" : "kind"] = ex.Message;
            await audit.Record(staff.Actor, new AuditEntry("decision.record", $"household {Reference}", AuditOutcome.Refused, After: DecisionRecorder.Describe(decision), Detail: ex.Message), ct);
            return Refused();
        }

        if (added)
        {
            await audit.Record(staff.Actor, new AuditEntry("decision.record", $"household {Reference}", AuditOutcome.Done, After: DecisionRecorder.Describe(decision)), ct);
            worklist.Changed();
        }

        TempData["notice"] = added ? "Notice.DecisionRecorded" : "Notice.DecisionAlreadyRecorded";
        return Redirect($"/huishoudens/{Uri.EscapeDataString(Reference)}");
    }

    private PageResult Refused()
    {
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private Task<bool> InScope(CancellationToken ct) => queries.Visible(Reference, Staff.Of(User).ScopeFor(Roles.Caseworker), ct);

    /// <summary>The form's values as a decision; null (with the refusals in <see cref="Errors"/>) when a value cannot be read.</summary>
    private Decision? Read(string subject)
    {
        var kind = Kinds.FirstOrDefault(k => k.Code == Kind);
        if (kind.Code is null)
        {
            Errors["kind"] = "choose a kind of decision";
            return null;
        }

        LocalDate? Date(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (Formats.Date(text.Trim()) is { Success: true } parsed)
            {
                return parsed.Value;
            }

            Errors[field] = $"'{text}' is not a date like 2026-08-01";
            return null;
        }

        int? Whole(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            if (int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value))
            {
                return value;
            }

            Errors[field] = $"'{text}' is not a whole number";
            return null;
        }

        var on = Date(On, "date") ?? (Errors.ContainsKey("date") ? null : clock.Today());
        var lastDay = kind.Kind == DecisionKind.BijstandEnd ? Date(LastDay, "last_day") : null;
        var months = kind.Kind == DecisionKind.Extension ? Whole(Months, "months") : null;
        var score = kind.Kind == DecisionKind.ZrmScore ? Whole(Score, "score") : null;
        Money? amount = null;
        if (kind.Kind == DecisionKind.WriteOff && !string.IsNullOrWhiteSpace(Amount) && Amount.Trim() is var text
            && !text.Equals("all", StringComparison.OrdinalIgnoreCase) && !text.Equals("alles", StringComparison.OrdinalIgnoreCase))
        {
            // People write 150,00 or 150.00; one decimal separator, never a thousands separator.
            var parsed = Money.Parse(text.Count(c => c is ',' or '.') == 1 ? text.Replace(',', '.') : text);
            if (parsed.Success)
            {
                amount = parsed.Value;
            }
            else
            {
                Errors["amount"] = $"'{text}' is not an amount like 150,00 ({parsed.Error})";
            }
        }
        else if (kind.Kind == DecisionKind.WriteOff && string.IsNullOrWhiteSpace(Amount))
        {
            Errors["amount"] = "give an amount like 150,00, or 'all'";
        }

        if (Errors.Count > 0 || on is null)
        {
            return null;
        }

        return new Decision(kind.Kind, on.Value, subject, string.IsNullOrWhiteSpace(Reason) ? null : Reason.Trim(), months, lastDay, score, amount);
    }
}
