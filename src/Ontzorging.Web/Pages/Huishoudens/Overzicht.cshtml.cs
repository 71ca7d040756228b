using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Statements;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>
/// A household's monthly statement as the caseworker views and prints it (docs/rules.md §17): the
/// statement's own blocks in Dutch and the household's language, and above them, for staff only
/// and never printed, whether each language was reviewed by a native speaker and whether the
/// household's language had to fall back to Dutch. Each view is recorded.
/// </summary>
public sealed class OverzichtModel(MonthlyStatements statements, PersonalDataViews views, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "maand")]
    public string Month { get; set; } = "";

    public MonthlyStatement Statement { get; private set; } = null!;

    public string Blocks { get; private set; } = "";

    public IReadOnlyList<StatementLanguage> Languages { get; private set; } = [];

    public bool UnknownLanguage { get; private set; }

    /// <summary>Why there is no statement (a month not exported, say), said on the page with 404.</summary>
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        if (Formats.Month(Month) is not { Success: true } month || !Domain.SaneDates.Contains(month.Value))
        {
            return NotFound();
        }

        var staff = Staff.Of(User);
        MonthlyStatement? found = null;
        try
        {
            await foreach (var chunk in statements.Read(month.Value, Reference, staff.ScopeFor(Roles.Caseworker), ct))
            {
                found ??= chunk.Count > 0 ? chunk[0] : null;
            }
        }
        catch (StatementRefusedException refused)
        {
            Refused = refused.Message;
        }

        if (found is null)
        {
            Response.StatusCode = StatusCodes.Status404NotFound;
            Refused ??= $"{Reference}: no statement for {Month}";
            return Page();
        }

        Statement = found;
        (Languages, UnknownLanguage) = StatementHtml.Languages(found);
        Blocks = StatementHtml.Blocks(found, clock.GetCurrentInstant());
        await views.StatementViewed(staff.Actor, Reference, found.Municipality, month.Value, ct);
        return Page();
    }
}
