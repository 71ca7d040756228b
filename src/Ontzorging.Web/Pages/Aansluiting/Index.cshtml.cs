using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Web.Pages.Aansluiting;

/// <summary>
/// Reconciliation of a period (<c>?van=yyyy-MM-dd&amp;tot=yyyy-MM-dd</c>): per day the statement
/// against the ledger's bank account and, where the bank's file carried balances, the bank's closing
/// balance against the ledger's — all of it <see cref="BankReconciliation"/>'s, the same as
/// <c>ledger reconcile</c>. What nothing explains is shown first. Also the ledger export offered for
/// download (<see cref="GrootboekModel"/>).
/// </summary>
public sealed class IndexModel(BankReconciliation reconciliation, IClock clock) : PageModel
{
    /// <summary>The longest period one page reconciles.</summary>
    public const int MaxDays = 366;

    /// <summary>Explained items shown per reason; the rest are counted.</summary>
    public const int ItemsShown = 100;

    [BindProperty(SupportsGet = true, Name = "van")]
    public string? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "tot")]
    public string? To { get; set; }

    /// <summary>Resource keys of what could not be read, by field (van, tot).</summary>
    public Dictionary<string, string> Errors { get; } = new(StringComparer.Ordinal);

    public Reconciliation? Result { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var today = clock.Today();
        if (From is null && To is null)
        {
            // A first visit: the month so far, not yet reconciled until asked.
            From = Formats.Text(today.With(DateAdjusters.StartOfMonth));
            To = Formats.Text(today);
            return Page();
        }

        LocalDate? Read(string? text, string field)
        {
            var date = string.IsNullOrWhiteSpace(text) ? ParseResult<LocalDate>.Fail("empty") : Formats.Date(text);
            if (!date.Success)
            {
                Errors[field] = "Reconciliation.BadDate";
                return null;
            }

            return date.Value;
        }

        var from = Read(From, "van");
        var to = Read(To, "tot");
        if (from is { } f && to is { } t)
        {
            if (t < f)
            {
                Errors["tot"] = "Reconciliation.Backwards";
            }
            else if (Period.DaysBetween(f, t) >= MaxDays)
            {
                Errors["tot"] = "Reconciliation.TooLong";
            }
        }

        if (Errors.Count > 0)
        {
            Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            return Page();
        }

        Result = await reconciliation.Reconcile(from!.Value, to!.Value, ItemsShown, ct);
        return Page();
    }
}
