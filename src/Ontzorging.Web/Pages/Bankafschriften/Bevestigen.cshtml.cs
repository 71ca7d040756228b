using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Web.Identity;
using Ontzorging.Web.Statements;

namespace Ontzorging.Web.Pages.Bankafschriften;

/// <summary>
/// Imports the statement its dry run showed: the file the site kept under the upload's id, found only
/// for the person who uploaded it, through the same use case as <c>ledger import</c>. The import then
/// owns the file: it is deleted whatever the outcome.
/// </summary>
public sealed class BevestigenModel(StatementUploads uploads, StatementProgress progress, BankFiles importer) : PageModel
{
    [BindProperty]
    public string? Upload { get; set; }

    [BindProperty]
    public string? Ticket { get; set; }

    public Refusal? Refusal { get; private set; }

    public IReadOnlyList<InputError> Errors { get; private set; } = [];

    public bool Expired { get; private set; }

    public IActionResult OnGet() => Redirect("/bankafschriften");

    public async Task<IActionResult> OnPost()
    {
        var staff = Staff.Of(User);
        if (uploads.Find(Upload, staff.Actor.Subject) is not { } upload)
        {
            Expired = true;
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // Once confirmed, the import is made whatever the browser does next (the door finishes the
        // write and its record together), so the request's abort token is not passed on.
        var outcome = await importer.Import(staff.Actor, upload.Path, upload.Format is { Length: > 0 } name ? BankStatementImporter.Parse(name) : null, dryRun: false,
            new Progress<(string Stage, double Done)>(p => progress.Report(staff.Actor.Subject, Ticket, p.Stage, p.Done)), CancellationToken.None);
        uploads.Delete(upload.Id);
        progress.Done(staff.Actor.Subject, Ticket);
        if (outcome.Refusal is { } refusal)
        {
            Refusal = refusal;
            Errors = InputRejectedException.ErrorsOf(refusal);
            Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
            return Page();
        }

        var summary = outcome.Value;
        TempData["import.file"] = summary.File;
        TempData["import.format"] = BankStatementImporter.Name(summary.Format);
        TempData["import.read"] = summary.Read;
        TempData["import.added"] = summary.Added;
        TempData["import.settled"] = summary.Settled;
        TempData["import.receipts"] = summary.Receipts;
        TempData["import.returns"] = summary.Returns;
        TempData["import.transfers"] = summary.Transfers;
        TempData["import.left"] = summary.LeftOutgoing;
        TempData["import.suggested"] = summary.Suggested;
        return Redirect("/bankafschriften");
    }
}
