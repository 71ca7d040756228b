using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Betalingen;

/// <summary>
/// One batch, and its approval by a second finance officer: four-eyes compares the signed-in
/// person's subject with the preparer's (and the database checks it again). Every attempt, refused
/// or done, is kept in the audit log.
/// </summary>
public sealed class BatchModel(BatchQueries batches, BatchLifecycle lifecycle, HouseholdWorklist worklist) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    public BatchDetail Detail { get; private set; } = null!;

    public Refusal? Refusal { get; private set; }

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
        // Once sent, an approval is made whatever the browser does next (the door finishes the write
        // and its record together), so the request's abort token is not passed on.
        var outcome = await lifecycle.Approve(Staff.Of(User).Actor, Id, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            if (await batches.Show(Id, ct) is not { } detail)
            {
                return NotFound();
            }

            Detail = detail;
            Refusal = refusal;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        worklist.Changed();
        TempData["notice"] = "Notice.BatchApproved";
        return Redirect($"/betalingen/{Id}");
    }
}
