using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Web.Statements;

namespace Ontzorging.Web.Pages.Bankafschriften;

/// <summary>
/// Bank statements: the upload form (its dry run is <see cref="InlezenModel"/>, its import
/// <see cref="BevestigenModel"/>) and the statements imported so far.
/// </summary>
public sealed class IndexModel(StatementQueries queries, StatementUploads uploads) : PageModel
{
    public const int Shown = 100;

    public IReadOnlyList<BankImportRow> Imports { get; private set; } = [];

    /// <summary>The progress ticket the upload form carries (<see cref="StatementProgress"/>).</summary>
    public string Ticket { get; } = StatementProgress.NewTicket();

    public long LimitMegabytes => uploads.Limit / (1024 * 1024);

    /// <summary>What the last confirmed import did (after its redirect).</summary>
    public ImportSummary? Imported { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        Imports = await queries.Imports(Shown, ct);
        if (TempData["import.file"] is string file && BankStatementImporter.Named(TempData["import.format"] as string ?? "") is { } format)
        {
            int Count(string key) => TempData[key] is int n ? n : 0;
            Imported = new ImportSummary(file, format, Count("import.read"), Count("import.added"), Count("import.settled"), Count("import.receipts"),
                Count("import.returns"), Count("import.transfers"), Count("import.left"), Count("import.suggested"));
        }

        return Page();
    }
}
