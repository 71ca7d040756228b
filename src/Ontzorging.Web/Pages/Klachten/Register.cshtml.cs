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

    /// <summary>?gemeente=GM0344: each municipality keeps its own register (a shared social service reports for each).</summary>
    [BindProperty(SupportsGet = true, Name = "gemeente")]
    public string? Municipality { get; set; }

    public ComplaintRegister Register { get; private set; } = null!;

    public int Year { get; private set; }

    /// <summary>The municipalities whose register this person may read.</summary>
    public IReadOnlyList<string> Municipalities { get; private set; } = [];

    /// <summary>A year that cannot be read, answered next to its field.</summary>
    public bool YearRefused { get; private set; }

    public async Task<IActionResult> OnGet(CancellationToken ct)
    {
        var today = clock.Today();
        var scope = Staff.Of(User).Complaints;
        Municipalities = [.. (scope.Counted.Codes ?? new HashSet<string>()).Order(StringComparer.Ordinal)];
        Municipality = Municipality is { } chosen && Municipalities.Contains(chosen) ? chosen : Municipalities.Count > 0 ? Municipalities[0] : null;
        if (Municipality is null)
        {
            return NotFound();
        }

        Year = today.Year;
        if (!string.IsNullOrWhiteSpace(YearText))
        {
            if (!int.TryParse(YearText, NumberStyles.None, CultureInfo.InvariantCulture, out var year) || year is < 2000 or > 2099)
            {
                YearRefused = true;
                Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
            }
            else
            {
                Year = year;
            }
        }

        Register = await complaints.Register(Year, Municipality, scope, today, ct);
        if (!YearRefused && string.Equals(Format, "csv", StringComparison.OrdinalIgnoreCase))
        {
            return File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Csv(Register, Municipality))).ToArray(), "text/csv; charset=utf-8",
                $"klachtenregister-{Municipality}-{Year}.csv");
        }

        return Page();
    }

    /// <summary>The register as rows of measure, value and count, in invariant culture, so a spreadsheet of any language reads it.</summary>
    public static string Csv(ComplaintRegister r, string municipality)
    {
        var b = new StringBuilder("municipality,year,measure,value,count\n");
        void Row(string measure, string value, int count) => b.Append(CultureInfo.InvariantCulture, $"{municipality},{r.Year},{measure},{value},{count}\n");
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
        b.Append(CultureInfo.InvariantCulture, $"{municipality},{r.Year},median_days_to_decide,all,{(r.MedianDaysToDecide is { } m ? m.ToString("0.#", CultureInfo.InvariantCulture) : "")}\n");
        return b.ToString();
    }
}
