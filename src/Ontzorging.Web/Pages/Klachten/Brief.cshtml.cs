using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>
/// A complaint's letter (docs/rules.md §19): the acknowledgement of receipt (<c>ontvangst</c>) or the
/// decision (<c>beslissing</c>), in plain Dutch beside the household's language, as the page prints it or,
/// with <c>formaat=pdf</c>, as a PDF. Each view is recorded; the staff note says which translations no
/// native speaker has reviewed and does not print.
/// </summary>
public sealed class BriefModel(ComplaintLetterDesk letters) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public long Id { get; set; }

    [BindProperty(SupportsGet = true)]
    public string Soort { get; set; } = "";

    [BindProperty(SupportsGet = true, Name = "formaat")]
    public string? Format { get; set; }

    public ComplaintLetter Letter { get; private set; } = null!;

    /// <summary>Why the letter cannot be written (the municipality's contact details are not configured), in the engine's words.</summary>
    public string? Refused { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        LetterKind? kind = Soort switch { "ontvangst" => LetterKind.Acknowledgement, "beslissing" => LetterKind.Outcome, _ => null };
        if (kind is null)
        {
            return NotFound();
        }

        var staff = Staff.Of(User);
        try
        {
            if (string.Equals(Format, "pdf", StringComparison.OrdinalIgnoreCase))
            {
                var pdf = await letters.Pdf(staff.Actor, Id, kind.Value, staff.Complaints, ct);
                return pdf is null ? NotFound() : File(pdf, "application/pdf", $"klacht-{Id}-{Soort}.pdf");
            }

            if (await letters.Letter(staff.Actor, Id, kind.Value, staff.Complaints, ct) is not { } letter)
            {
                return NotFound();
            }

            Letter = letter;
        }
        catch (Infrastructure.Statements.StatementRefusedException refused)
        {
            // A municipality without its contact details configured: no letter says whom to call.
            Refused = refused.Message;
            Response.StatusCode = StatusCodes.Status409Conflict;
        }

        return Page();
    }
}
