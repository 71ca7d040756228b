using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>
/// The caseworker's worklist. A search by name is sent by POST and kept in the session's
/// encrypted TempData, never in the address, so no name ends up in a URL, a history or a log.
/// </summary>
public sealed class IndexModel(HouseholdWorklist worklist, Infrastructure.Complaints.ComplaintQueries complaints, IClock clock) : PageModel
{
    private const string SearchKey = "worklist-search";

    [BindProperty(SupportsGet = true, Name = "reden")]
    public AttentionReason? Reason { get; set; }

    [BindProperty(SupportsGet = true, Name = "status")]
    public string? State { get; set; }

    [BindProperty(SupportsGet = true, Name = "sorteer")]
    public WorklistSort Sort { get; set; } = WorklistSort.Attention;

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int PageNumber { get; set; } = 1;

    public string? Search { get; private set; }

    public WorklistPage Result { get; private set; } = new([], 0, 1, 1, 0);

    /// <summary>The open complaints this person sees: overdue, then at risk, then on track.</summary>
    public IReadOnlyList<Infrastructure.Complaints.ComplaintSummary> Complaints { get; private set; } = [];

    /// <summary>How many complaints are open in all; the worklist shows the first <see cref="ShownComplaints"/>.</summary>
    public int OpenComplaints { get; private set; }

    public const int ShownComplaints = 20;

    public LocalDate Today { get; private set; }

    public static readonly IReadOnlyList<string> States = ["active", "upcoming", "ended"];

    public async Task OnGet(CancellationToken ct)
    {
        Search = TempData.Peek(SearchKey) as string;
        Today = clock.Today();
        State = States.Contains(State) ? State : null;
        Result = await worklist.Page(Staff.Of(User).ScopeFor(Roles.Caseworker), Today, new WorklistQuery(Search, Reason, State, Sort, PageNumber), ct);
        // Open complaints first, by their clocks (docs/rules.md §19): a complaint's deadline is the law's, not the household's.
        (Complaints, OpenComplaints) = await complaints.Open(Staff.Of(User).Complaints, Today, ShownComplaints, 0, ct);
    }

    public IActionResult OnPostSearch(string? zoek)
    {
        var term = zoek?.Trim();
        if (string.IsNullOrEmpty(term) || term.Length > 100 || TextRules.ControlProblem(term, lineBreaksAllowed: false) is not null)
        {
            TempData.Remove(SearchKey);
        }
        else
        {
            TempData[SearchKey] = term;
        }

        return RedirectToPage(new { reden = Reason, status = State, sorteer = Sort });
    }

    public IActionResult OnPostClear()
    {
        TempData.Remove(SearchKey);
        return RedirectToPage(new { reden = Reason, status = State, sorteer = Sort });
    }

    public string PageLink(int page) =>
        $"/huishoudens?{(Reason is { } r ? $"reden={r}&" : "")}{(State is { } s ? $"status={s}&" : "")}sorteer={Sort}&pagina={page}";
}
