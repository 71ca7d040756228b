using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Npgsql;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Betalingen;

/// <summary>
/// One batch, and its approval by a second finance officer: four-eyes compares the signed-in
/// person's subject with the preparer's (and the database checks it again). Every attempt, refused
/// or done, is kept in the audit log.
/// </summary>
public sealed class BatchModel(BatchQueries batches, BatchLifecycle lifecycle, HouseholdWorklist worklist, AuditTrail audit) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public BatchDetail Detail { get; private set; } = null!;

    public string? Refusal { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (await batches.Show(Id, ct) is not { } detail)
        {
            return NotFound();
        }

        Detail = detail;
        Notice = TempData["notice"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPostApprove(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        var before = new { Status = await batches.StatusOf(Id, ct) };
        try
        {
            await lifecycle.Approve(Id, staff.Actor.Subject, ct);
        }
        catch (Exception ex) when (ex is BatchRefusedException || ex is PostgresException { SqlState: PostgresErrorCodes.CheckViolation })
        {
            var message = ex is PostgresException pg ? pg.MessageText : ex.Message;
            await audit.Record(staff.Actor, new AuditEntry("batch.approve", $"batch {Id}", AuditOutcome.Refused, Detail: message), ct);
            if (await batches.Show(Id, ct) is not { } detail)
            {
                return NotFound();
            }

            Detail = detail;
            Refusal = message;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        await audit.Record(staff.Actor, new AuditEntry("batch.approve", $"batch {Id}", AuditOutcome.Done, Before: before,
            After: new { Status = "approved", ApprovedBy = staff.Actor.Subject }), ct);
        worklist.Changed();
        TempData["notice"] = "Notice.BatchApproved";
        return Redirect($"/betalingen/{Id}");
    }
}
