using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Betalingen;

/// <summary>
/// The finance officer's batches (issue 22): a filtered page of them, the scheduled preparation's
/// last and next run, and preparing a month. Preparing asks first what would happen (the engine's
/// own preview, nothing written), then prepares on confirmation; a reason is asked for when the
/// engine's rule wants one. The page only reads the form and words the outcome.
/// </summary>
public sealed class IndexModel(BatchReview review, BatchPreparer preparer, HouseholdWorklist worklist, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "status")]
    public string? Status { get; set; }

    [BindProperty(SupportsGet = true, Name = "van")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "tot")]
    public string? Through { get; set; }

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int PageNumber { get; set; } = 1;

    [BindProperty(Name = "maand")]
    public string? Month { get; set; }

    [BindProperty(Name = "reden")]
    public string? Reason { get; set; }

    public BatchPage Batches { get; private set; } = new([], 0, 1, 12);

    public PreparationSchedule Schedule { get; private set; } = null!;

    public PreparationPreview? Preview { get; private set; }

    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public static IReadOnlyList<BatchStatus> Statuses { get; } = Enum.GetValues<BatchStatus>();

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var filter = ReadFilter();
        await Load(filter ?? new BatchFilter(), ct);
        if (filter is null)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        }

        Month ??= Formats(NextMonth());
        return Page();
    }

    /// <summary>What preparing the month would do: the engine's preview, nothing written.</summary>
    public async Task<IActionResult> OnPostPreview(CancellationToken ct)
    {
        if (ReadMonth() is not { } month)
        {
            return await Unreadable(ct);
        }

        Preview = await preparer.Preview(Staff.Of(User).Actor, month, clock.Today(), Reason, ct);
        if (Preview.Refusal is { Field: "reason" } missing && !string.IsNullOrWhiteSpace(Reason))
        {
            Errors["reason"] = missing;
        }

        await Load(new BatchFilter(), ct);
        return Page();
    }

    /// <summary>Prepares the month, on confirmation after the preview.</summary>
    public async Task<IActionResult> OnPostPrepare(CancellationToken ct)
    {
        if (ReadMonth() is not { } month)
        {
            return await Unreadable(ct);
        }

        // Once sent, a preparation is made whatever the browser does next: no abort token.
        var outcome = await preparer.Prepare(Staff.Of(User).Actor, month, clock.Today(), string.IsNullOrWhiteSpace(Reason) ? null : Reason, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Errors[refusal.Field ?? "month"] = refusal;
            Preview = await preparer.Preview(Staff.Of(User).Actor, month, clock.Today(), Reason, ct);
            await Load(new BatchFilter(), ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        worklist.Changed();
        TempData["notice"] = outcome.Value.Created ? "Notice.BatchPrepared" : "Notice.BatchAlreadyPrepared";
        return Redirect($"/betalingen/{outcome.Value.Id}");
    }

    private async Task<IActionResult> Unreadable(CancellationToken ct)
    {
        await Load(new BatchFilter(), ct);
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }

    private YearMonth? ReadMonth()
    {
        var read = DecisionInput.Month(Month, "month");
        if (read.Refusal is { } refusal)
        {
            Errors["month"] = refusal;
            return null;
        }

        if (Reason is { Length: > 0 } && TextRules.ReasonRefusal(Reason, TextRules.MaxReasonLength) is { } unfit)
        {
            Errors["reason"] = unfit;
            return null;
        }

        return read.Value;
    }

    /// <summary>The filter from the address; null (with the refusals in <see cref="Errors"/>) when a value cannot be read.</summary>
    private BatchFilter? ReadFilter()
    {
        // The status comes from a list; a value not on it filters nothing.
        var status = Statuses.Where(s => s.Code() == Status).Select(s => (BatchStatus?)s).FirstOrDefault();

        YearMonth? Take(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var read = DecisionInput.Month(text, field);
            if (read.Refusal is { } refusal)
            {
                Errors[field] = refusal;
                return null;
            }

            return read.Value;
        }

        var from = Take(From, "van");
        var through = Take(Through, "tot");
        return Errors.Count > 0 ? null : new BatchFilter(status, from, through, Math.Max(1, PageNumber));
    }

    private async Task Load(BatchFilter filter, CancellationToken ct)
    {
        Batches = await review.Page(filter, ct);
        Schedule = await review.Schedule(ct: ct);
        Month ??= Formats(NextMonth());
    }

    /// <summary>The month after the newest live batch, or next month: what an officer most likely prepares.</summary>
    private YearMonth NextMonth() =>
        Batches.Rows.Where(b => BatchStates.Parse(b.Status).IsLive()).Select(b => (YearMonth?)b.Month.ToYearMonth()).Max()?.PlusMonths(1) ?? clock.Today().ToYearMonth().PlusMonths(1);

    private static string Formats(YearMonth month) => Infrastructure.Csv.Formats.Text(month);

    /// <summary>The address of another page of this list, with the same filter.</summary>
    public string PageAddress(int page) =>
        QueryString.Create(new Dictionary<string, string?> { ["status"] = Status, ["van"] = From, ["tot"] = Through, ["pagina"] = page.ToString(System.Globalization.CultureInfo.InvariantCulture) }
            .Where(p => !string.IsNullOrEmpty(p.Value))).ToUriComponent() is var query ? "/betalingen" + query : "/betalingen";
}
