using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Huishoudens;

/// <summary>Shows a household's BSNs in full: its own audited action, by POST only, never cached.</summary>
public sealed class BsnModel(PersonalDataViews views) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string Reference { get; set; } = "";

    public IReadOnlyList<(string Name, string Bsn)> Members { get; private set; } = [];

    public IActionResult OnGet() => Redirect($"/huishoudens/{Uri.EscapeDataString(Reference)}");

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        if (await views.RevealBsns(staff.Actor, Reference, staff.ScopeFor(Roles.Caseworker), ct) is not { } members)
        {
            return NotFound();
        }

        Members = members;
        return Page();
    }
}
