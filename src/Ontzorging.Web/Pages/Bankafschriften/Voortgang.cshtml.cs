using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Web.Identity;
using Ontzorging.Web.Statements;

namespace Ontzorging.Web.Pages.Bankafschriften;

/// <summary>How far the person's upload or import with this ticket is, for the progress bar's script: <c>{"stage":"read","done":0.42}</c>, or 404.</summary>
public sealed class VoortgangModel(StatementProgress progress) : PageModel
{
    public IActionResult OnGet(string? kaartje) =>
        progress.Of(Staff.Of(User).Actor.Subject, kaartje) is { } state ? new JsonResult(new { stage = state.Stage, done = Math.Round(state.Done, 3) }) : NotFound();
}
