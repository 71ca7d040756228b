using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Betalingen;

/// <summary>
/// One batch, as its approver reads it before signing (issue 22): the money it needs, its exceptions
/// as a worklist to acknowledge, what changed since last month; and its steps: acknowledge, approve
/// (four eyes, every exception acknowledged), reject or cancel with a reason, download the pain.001
/// (an audited export) and record settlement. Each step is one use case of the engine, which
/// refuses what its rules refuse (409 here); the page only reads the form and words the outcome.
/// Writes pass no abort token: once sent, a step is made whatever the browser does next.
/// </summary>
public sealed class BatchModel(BatchReview review, BatchLifecycle lifecycle, HouseholdWorklist worklist, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(Name = "uitzondering")]
    public long? Exception { get; set; }

    [BindProperty(Name = "soort")]
    public string? Kind { get; set; }

    [BindProperty(SupportsGet = true, Name = "uitzonderingen")]
    public int ExceptionPage { get; set; } = 1;

    [BindProperty(Name = "reden")]
    public string? Reason { get; set; }

    [BindProperty(Name = "versie")]
    public string? Version { get; set; }

    [BindProperty(Name = "tot")]
    public string? Through { get; set; }

    public BatchReviewView Detail { get; private set; } = null!;

    /// <summary>Whether the person reading prepared this batch (and so may not acknowledge or approve it).</summary>
    public bool ReaderPrepared { get; private set; }

    public Refusal? Refusal { get; private set; }

    public Dictionary<string, Refusal> Errors { get; } = new(StringComparer.Ordinal);

    public string? Notice { get; private set; }

    public LocalDate Today { get; private set; }

    public BatchStatus Status => BatchStates.Parse(Detail.Batch.Status);

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Notice = TempData["notice"] as string;
        return await Show(StatusCodes.Status200OK, ct);
    }

    public Task<IActionResult> OnPostAcknowledge(CancellationToken ct) =>
        Exception is not { } exception
            ? Show(StatusCodes.Status422UnprocessableEntity, ct)
            : Step(() => lifecycle.Acknowledge(Staff.Of(User).Actor, Id, exception, CancellationToken.None), a => a.Recorded ? "Notice.ExceptionAcknowledged" : "Notice.ExceptionAlreadyAcknowledged", ct, $"#uitzonderingen");

    public Task<IActionResult> OnPostAcknowledgeKind(CancellationToken ct) =>
        string.IsNullOrWhiteSpace(Kind)
            ? Show(StatusCodes.Status422UnprocessableEntity, ct)
            : Step(() => lifecycle.AcknowledgeAll(Staff.Of(User).Actor, Id, Kind.Trim(), CancellationToken.None), n => n > 0 ? "Notice.ExceptionsAcknowledged" : "Notice.ExceptionAlreadyAcknowledged", ct, "#uitzonderingen");

    public Task<IActionResult> OnPostApprove(CancellationToken ct) =>
        Step(() => lifecycle.Approve(Staff.Of(User).Actor, Id, CancellationToken.None), _ => "Notice.BatchApproved", ct);

    public Task<IActionResult> OnPostReject(CancellationToken ct) => Undo(BatchAction.Reject, ct);

    public Task<IActionResult> OnPostCancel(CancellationToken ct) => Undo(BatchAction.Cancel, ct);

    public async Task<IActionResult> OnPostSettle(CancellationToken ct)
    {
        var read = string.IsNullOrWhiteSpace(Through) ? clock.Today() : DecisionInput.Date(Through, "through");
        if (read.Refusal is { } unreadable)
        {
            Errors["through"] = unreadable;
            return await Show(StatusCodes.Status422UnprocessableEntity, ct);
        }

        return await Step(() => lifecycle.Settle(Staff.Of(User).Actor, Id, read.Value, CancellationToken.None), _ => "Notice.BatchSettled", ct);
    }

    /// <summary>
    /// The site's own folder for downloads being sent: one per process, the site's user's only, so
    /// two sites of two users on one machine never share one (a shared name made by one user refused
    /// the other's downloads). Each file is removed once sent, the folder when the process ends.
    /// </summary>
    private static readonly Lazy<string> ExportFolder = new(() =>
    {
        var folder = Directory.CreateTempSubdirectory("ontzorging-site-exports-").FullName;
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A download still being sent as the process ends; its file goes with the machine's temporary files.
            }
        };
        return folder;
    });

    /// <summary>
    /// The pain.001 as a download: the engine's export (the audited action) writes it to a file of
    /// the site's own, which is handed out and removed once sent.
    /// </summary>
    public async Task<IActionResult> OnPostExport(CancellationToken ct)
    {
        var version = Pain001Versions.Parse(string.IsNullOrWhiteSpace(Version) ? "09" : Version.Trim());
        if (version is not { } chosen)
        {
            Errors["version"] = Domain.Refusal.Of(RefusalCode.VersionUnknown, "version", ("text", Version ?? ""));
            return await Show(StatusCodes.Status422UnprocessableEntity, ct);
        }

        var file = Path.Combine(ExportFolder.Value, $"{Guid.NewGuid():N}.xml");
        var outcome = await lifecycle.Export(Staff.Of(User).Actor, Id, chosen, file, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Refusal = refusal;
            return await Show(StatusCodes.Status409Conflict, ct);
        }

        if (outcome.Value.File is null)
        {
            TempData["notice"] = "Notice.BatchNothingToPay";
            return Redirect($"/betalingen/{Id}");
        }

        worklist.Changed();
        var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Delete | FileShare.Read, 64 * 1024, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        return File(stream, "application/xml", $"{outcome.Value.MessageId}.xml");
    }

    private async Task<IActionResult> Undo(BatchAction action, CancellationToken ct)
    {
        var actor = Staff.Of(User).Actor;
        var reason = Reason ?? "";
        return await Step(() => action == BatchAction.Reject ? lifecycle.Reject(actor, Id, reason, CancellationToken.None) : lifecycle.Cancel(actor, Id, reason, CancellationToken.None),
            _ => action == BatchAction.Reject ? "Notice.BatchRejected" : "Notice.BatchCancelled", ct);
    }

    private async Task<IActionResult> Step<T>(Func<Task<Result<T>>> step, Func<T, string> notice, CancellationToken ct, string anchor = "")
    {
        var outcome = await step();
        if (outcome.Refusal is { } refusal)
        {
            if (refusal.Field is { } field)
            {
                Errors[field] = refusal;
            }

            Refusal = refusal;
            return await Show(StatusCodes.Status409Conflict, ct);
        }

        worklist.Changed();
        TempData["notice"] = notice(outcome.Value);
        return Redirect($"/betalingen/{Id}{anchor}");
    }

    private async Task<IActionResult> Show(int status, CancellationToken ct)
    {
        if (await review.Show(Id, ExceptionPage, ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        ReaderPrepared = await review.PreparedBy(Id, Staff.Of(User).Actor.Subject, ct);
        Today = clock.Today();
        Response.StatusCode = status;
        return Page();
    }
}
