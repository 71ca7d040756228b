using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Suggesties;

/// <summary>
/// The incoming lines that need a person: each is confirmed as a household's receipt, with the
/// months a back-payment covers, through the same use case as <c>ledger confirm</c>. The household
/// search and the household confirmed both stay within the person's municipalities. A line confirmed
/// already is refused by the use case (409, worded).
/// </summary>
public sealed class IndexModel(IncomingMatcher matcher, HouseholdWorklist worklist, HouseholdQueries households, IClock clock) : PageModel
{
    /// <summary>The kinds a receipt can be (bijstand is no receipt).</summary>
    public static IReadOnlyList<IncomeKind> Kinds { get; } = Enum.GetValues<IncomeKind>().Where(k => k != IncomeKind.Bijstand).ToList();

    public IReadOnlyList<Suggestion> Suggestions { get; private set; } = [];

    /// <summary>The line whose household search was asked for, and what it found (reference, names).</summary>
    [BindProperty(SupportsGet = true, Name = "regel")]
    public long? SearchLine { get; set; }

    [BindProperty(SupportsGet = true, Name = "zoek")]
    public string? Search { get; set; }

    public IReadOnlyList<(string Reference, string Names)> Found { get; private set; } = [];

    [BindProperty]
    public long Line { get; set; }

    [BindProperty]
    public string? Household { get; set; }

    [BindProperty]
    public string? Kind { get; set; }

    [BindProperty]
    public string? CoversFrom { get; set; }

    [BindProperty]
    public string? CoversTo { get; set; }

    /// <summary>Input that cannot be read, by field (household, kind, covers_from, covers_to): resource keys.</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public Refusal? Refusal { get; private set; }

    public string? Notice { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        await Load(ct);
        Notice = TempData["notice"] as string;
        return Page();
    }

    public async Task<IActionResult> OnPost(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        var reference = Household?.Trim();
        if (string.IsNullOrEmpty(reference) || !await households.Visible(reference, Scope(staff), ct))
        {
            Errors["household"] = "Suggestion.NoHousehold";
        }

        var kind = IncomeKinds.Parse(Kind);
        if (!kind.Success || kind.Value == IncomeKind.Bijstand)
        {
            Errors["kind"] = "Suggestion.BadKind";
        }

        YearMonth? Month(string? text, string field)
        {
            if (string.IsNullOrWhiteSpace(text))
            {
                return null;
            }

            var month = Formats.Month(text.Trim());
            if (!month.Success)
            {
                Errors[field] = "Suggestion.BadMonth";
                return null;
            }

            return month.Value;
        }

        var from = Month(CoversFrom, "covers_from");
        var to = Month(CoversTo, "covers_to");
        if (Errors.Count > 0)
        {
            await Load(ct);
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        // Once sent, a confirmation is made whatever the browser does next, so the abort token is not passed on.
        var outcome = await matcher.Confirm(staff.Actor, Line, reference!, kind.Value, from, to ?? from, clock.Today(), CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Refusal = refusal;
            await Load(ct);
            Response.StatusCode = StatusCodes.Status409Conflict;
            return Page();
        }

        TempData["notice"] = "Notice.SuggestionConfirmed";
        return Redirect("/suggesties");
    }

    private async Task Load(CancellationToken ct)
    {
        Suggestions = await matcher.Suggestions(ct);
        if (SearchLine is not null && !string.IsNullOrWhiteSpace(Search))
        {
            var page = await worklist.Page(Scope(Staff.Of(User)), clock.Today(), new WorklistQuery(Search: Search.Trim(), Sort: WorklistSort.Reference, PageSize: 10), ct);
            Found = page.Rows.Select(r => (r.Reference, r.Names)).ToList();
        }
    }

    /// <summary>The municipalities this person answers for here: as auditor and as administrator.</summary>
    private static MunicipalityScope Scope(Staff staff) =>
        MunicipalityScope.Of(staff.Grants.Where(g => g.Role is Roles.Auditor or Roles.Administrator).Select(g => g.Municipality));
}
