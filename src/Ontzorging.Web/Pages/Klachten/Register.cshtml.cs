using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using NodaTime;
using Ontzorging.Domain.Complaints;
using Ontzorging.Infrastructure.Complaints;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Klachten;

/// <summary>
/// The register of complaints (Awb 9:12a) for a year, as a page and, with <c>formaat=csv</c>, as a CSV for
/// the annual report: counts only, no complainant and no words, so it holds no personal data.
/// </summary>
public sealed class RegisterModel(ComplaintQueries complaints, IClock clock) : PageModel
{
    [BindProperty(SupportsGet = true, Name = "jaar")]
    public string? YearText { get; set; }

    [BindProperty(SupportsGet = true, Name = "formaat")]
    public string? Format { get; set; }

    public ComplaintRegister Register { get; private set; } = null!;

    public int Year { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var today = clock.Today();
        Year = today.Year;
        if (!string.IsNullOrWhiteSpace(YearText))
        {
            if (!int.TryParse(YearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 1900 or > 2099)
            {
                return NotFound();
            }

            Year = year;
        }

        Register = await complaints.Register(Year, Staff.Of(User).Complaints, today, ct);
        if (string.Equals(Format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(Register))).ToArray(), "text/csv; charset=utf-8", $"klachtenregister-{Year}.csv");
        }

        return Page();
    }

    /// <summary>The register as rows of measure, value and count, in invariant culture, so a spreadsheet of any language reads it.</summary>
    public static string Csv(ComplaintRegister r)
    {
        var b = new StringBuilder("year,measure,value,count\n");
        void Row(string measure, string value, int count) => b.Append(CultureInfo.InvariantCulture, $"{r.Year},{measure},{value},{count}\n");
        Row("received", "all", r.Received);
        foreach (var (subject, count) in r.BySubject)
        {
            Row("subject", ComplaintCodes.Subjects.Code(subject), count);
        }

        foreach (var (outcome, count) in r.ByOutcome)
        {
            Row("outcome", outcome is { } o ? ComplaintCodes.Outcomes.Code(o) : "open", count);
        }

        foreach (var (bucket, count) in r.ByTimeToDecide)
        {
            Row("time_to_decide", bucket, count);
        }

        Row("decided", "all", r.Decided);
        Row("decided", "late", r.DecidedLate);
        Row("open", "overdue", r.OpenOverdue);
        b.Append(CultureInfo.InvariantCulture, $"{r.Year},median_days_to_decide,all,{(r.MedianDaysToDecide is { } m ? m.ToString("0.#", CultureInfo.InvariantCulture) : "")}\n");
        return b.ToString();
    }
}
