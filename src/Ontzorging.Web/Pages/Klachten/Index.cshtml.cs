using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>The open complaints this person sees, overdue first, then at risk, then on track (docs/rules.md §19). No words of a complaint are shown here.</summary>
public sealed class IndexModel(ComplaintQueries complaints, IClock clock) : PageModel
{
    public const int PageSize = 50;

    public IReadOnlyList<ComplaintSummary> Open { get; private set; } = [];

    /// <summary>How many complaints are open in all.</summary>
    public int Total { get; private set; }

    /// <summary>?pagina=N, from 1.</summary>
    [Microsoft.AspNetCore.Mvc.BindProperty(SupportsGet = true, Name = "pagina")]
    public int PageNumber { get; set; } = 1;

    public int Pages => Math.Max(1, (Total + PageSize - 1) / PageSize);

    public LocalDate Today { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Today = clock.Today();
        PageNumber = Math.Clamp(PageNumber, 1, 100_000);
        (Open, Total) = await complaints.Open(Staff.Of(User).Complaints, Today, PageSize, (PageNumber - 1) * PageSize, ct);
    }
}
