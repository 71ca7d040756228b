using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Aansluiting;

/// <summary>
/// Ledger verification on demand: the ledger export (<c>ledger export</c>'s CSV, formula-safe) of one
/// household or of everything in a period, as a download. The export is the audited use case
/// <see cref="LedgerAudit.Export"/>: it writes a temporary file of the site's together with its
/// record; the file is streamed to the browser and deleted when the answer is done.
/// </summary>
public sealed class GrootboekModel(LedgerAudit ledger, HouseholdQueries households) : PageModel
{
    [BindProperty]
    public string? Household { get; set; }

    [BindProperty]
    public string? From { get; set; }

    [BindProperty]
    public string? To { get; set; }

    /// <summary>Resource keys of what could not be read, by field.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public Refusal? Refusal { get; private set; }

    public IActionResult OnGet() => Redirect("/aansluiting#grootboek");

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        var reference = string.IsNullOrWhiteSpace(Household) ? null : Household.Trim();
        var scope = MunicipalityScope.Of(staff.Grants.Where(g => g.Role is Roles.Auditor or Roles.Administrator).Select(g => g.Municipality));
        if (reference is not null && !await households.Visible(reference, scope, ct))
        {
            Errors["household"] = "Suggestion.NoHousehold";
        }

        LocalDate? Read(string? text, LocalDate empty, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return empty;
            }

            var date = Formats.Date(text);
            if (!date.Success)
            {
                Errors[field] = "Reconciliation.BadDate";
                return null;
            }

            return date.Value;
        }

        var from = Read(From, LocalDate.MinIsoValue, "from");
        var to = Read(To, LocalDate.MaxIsoValue, "to");
        if (from > to)
        {
            Errors["to"] = "Reconciliation.Backwards";
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        var folder = Directory.CreateTempSubdirectory("ontzorging-ledger-").FullName;
        var name = reference is null ? $"grootboek-{Formats.Text(from!.Value)}-{Formats.Text(to!.Value)}.csv".Replace("-9999-12-31", "", StringComparison.Ordinal)
            : $"grootboek-{reference}.csv";
        name = string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_'));
        var path = Path.Combine(folder, name);

        // A download is a record: the export and its audit record are written whatever the browser does next.
        var outcome = await ledger.Export(staff.Actor, path, reference, from!.Value, to!.Value, CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Directory.Delete(folder, recursive: true);
            Refusal = refusal;
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1 << 16, FileOptions.DeleteOnClose | FileOptions.Asynchronous);
        HttpContext.Response.RegisterForDispose(new FolderRemoval(folder));
        return File(stream, "text/csv; charset=utf-8", name);
    }

    /// <summary>Removes the export's folder once the answer is sent (the file itself goes when its stream closes).</summary>
    private sealed class FolderRemoval(string folder) : IDisposable
    {
        public void Dispose()
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Still open on some platform: the temporary folder's own cleanup takes it.
            }
        }
    }
}
