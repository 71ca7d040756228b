using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.Batches;

namespace Ontzorging.Web.Pages.Betalingen;

/// <summary>The finance officer's batches (the full officer's pages follow in the next issue).</summary>
public sealed class IndexModel(BatchQueries batches) : PageModel
{
    public IReadOnlyList<BatchSummary> Batches { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => Batches = (await batches.List(ct)).OrderByDescending(b => b.Month).ToList();
}
