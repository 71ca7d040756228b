using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>The open complaints this person sees, overdue first, then at risk, then on track (docs/rules.md §19). No words of a complaint are shown here.</summary>
public sealed class IndexModel(ComplaintQueries complaints, IClock clock) : PageModel
{
    public IReadOnlyList<ComplaintSummary> Open { get; private set; } = [];

    public LocalDate Today { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Today = clock.Today();
        Open = await complaints.Open(Staff.Of(User).Complaints, Today, ct);
    }
}
