using System.Globalization;
using Microsoft.Extensions.Localization;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Domain.Readiness;
using Ontzorging.Domain.Signals;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Web;

/// <summary>
/// How the site writes what the engine holds, in the request's culture (nl-NL or en-GB,
/// <see cref="Hosting.SiteCultures"/>): amounts in euros with the culture's number format, dates
/// and months with the culture's month names, moments in Europe/Amsterdam, and the engine's codes
/// (rent, decision_overdue, partially_settled, …) as words from the resource files. A page never
/// shows a code: every code has a key here, and a test checks that each key has Dutch and English.
/// </summary>
public sealed class Words(IStringLocalizer<SharedResource> localizer)
{
    public string this[string key] => localizer[key];

    /// <summary>The html lang of the page: nl or en.</summary>
    public string Language => CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;

    public bool English => Hosting.SiteCultures.IsEnglish;

    // Amounts, dates and moments.

    public string Euro(Money amount) => Euro(amount, CultureInfo.CurrentCulture);

    /// <summary>Euros whatever the culture (en-GB writes €1,234.56, nl-NL € 1.234,56): the culture's currency format with the euro sign.</summary>
    public static string Euro(Money amount, CultureInfo culture)
    {
        var format = (NumberFormatInfo)culture.NumberFormat.Clone();
        format.CurrencySymbol = "€";
        format.CurrencyDecimalDigits = 2;
        return amount.ToDecimal().ToString("C", format);
    }

    public string Date(LocalDate date) => Date(date, CultureInfo.CurrentCulture);

    /// <summary>A date with the month's name: 3 december 2026, 3 December 2026.</summary>
    public static string Date(LocalDate date, CultureInfo culture) => date.ToString("d MMMM yyyy", culture);

    public string Date(LocalDate? date) => date is { } d ? Date(d, CultureInfo.CurrentCulture) : "";

    public string Month(YearMonth month) => month.ToString("MMMM yyyy", CultureInfo.CurrentCulture);

    /// <summary>A moment as the municipality's clock showed it (Europe/Amsterdam), to the minute.</summary>
    public string Time(Instant instant) => Time(instant, CultureInfo.CurrentCulture, seconds: false);

    public string TimeToTheSecond(Instant instant) => Time(instant, CultureInfo.CurrentCulture, seconds: true);

    public static string Time(Instant instant, CultureInfo culture, bool seconds) =>
        instant.InZone(MunicipalTime.Zone).LocalDateTime.ToString(seconds ? "d MMMM yyyy HH:mm:ss" : "d MMMM yyyy HH:mm", culture);

    // The engine's codes as words.

    public static string KindKey(string code) => "Kind." + code;

    public static string PeriodStateKey(string code) => "PeriodState." + code;

    public static string RoleKey(string code) => "Role." + code;

    public static string PaymentStatusKey(string code) => "PaymentStatus." + code;

    public static string BatchStatusKey(BatchStatus status) => "BatchStatus." + status;

    public static string ToeslagStatusKey(ToeslagStatus status) => "ToeslagStatus." + status;

    public static string VerdictKey(ReadinessVerdict verdict) => "Verdict." + verdict;

    public static string CriterionKey(string code) => "Criterion." + code;

    public static string DecisionKindKey(DecisionKind kind) => "DecisionKind." + kind;

    public static string ReasonKey(AttentionReason reason) => "AttentionReason." + reason;

    public static string AuditActionKey(string action) => "AuditAction." + action;

    public static string AuditOutcomeKey(string outcome) => "AuditOutcome." + outcome;

    public static string ChannelKey(string channel) => "Channel." + channel;

    /// <summary>A contract, payment, income or receipt kind (rent, health_insurance, leefgeld, huurtoeslag, …).</summary>
    public string Kind(string code) => localizer[KindKey(code)];

    /// <summary>active, upcoming, ended.</summary>
    public string PeriodState(string code) => localizer[PeriodStateKey(code)];

    /// <summary>adult, child.</summary>
    public string Role(string code) => localizer[RoleKey(code)];

    /// <summary>A payment as the household page says it stands (settled, returned, exported, batch_draft, …).</summary>
    public string PaymentStatus(string code) => localizer[PaymentStatusKey(code)];

    public string BatchStatus(BatchStatus status) => localizer[BatchStatusKey(status)];

    /// <summary>A batch status as a query gives it (draft, partially_settled, …).</summary>
    public string BatchStatus(string code) => BatchStatus(BatchStates.Parse(code));

    /// <summary>A toeslag's status (not_applied … decision_overdue), or "certain" for bijstand.</summary>
    public string ToeslagStatus(string code)
    {
        foreach (var status in Enum.GetValues<ToeslagStatus>())
        {
            if (status.Code() == code)
            {
                return localizer[ToeslagStatusKey(status)];
            }
        }

        return code == "certain" ? localizer["ToeslagStatus.Certain"] : code;
    }

    public string Verdict(string code) => localizer[VerdictKey(Enum.GetValues<ReadinessVerdict>().Single(v => v.Code() == code))];

    /// <summary>Unmet readiness criteria, as readiness keeps them (';'-joined codes), in words; a dash when none.</summary>
    public string Criteria(string unmet) =>
        string.IsNullOrEmpty(unmet) ? "—" : string.Join(", ", unmet.Split(';').Select(c => localizer[CriterionKey(c)].Value));

    /// <summary>What the caseworker may do next after a verdict, in the site's own words (the CLI names its commands instead).</summary>
    public string? Advice(string verdict) => verdict switch
    {
        "ready" => localizer["Advice.Ready"].Value,
        "not_ready" => localizer["Advice.NotReady"].Value,
        _ => null,
    };

    public string DecisionKind(DecisionKind kind) => localizer[DecisionKindKey(kind)];

    /// <summary>What a decision decided, in a few words.</summary>
    public string DecisionDetail(DecisionRecord d) => d.Kind switch
    {
        Domain.Households.DecisionKind.Extension => localizer["DecisionDetail.Months", d.Months ?? 0],
        Domain.Households.DecisionKind.BijstandEnd when d.LastDay is { } last => localizer["DecisionDetail.LastDay", Date(last, CultureInfo.CurrentCulture)],
        Domain.Households.DecisionKind.ZrmScore => localizer["DecisionDetail.Score", d.Score ?? 0],
        Domain.Households.DecisionKind.WriteOff => d.Amount is { } amount ? Euro(amount, CultureInfo.CurrentCulture) : localizer["DecisionDetail.AllOutstanding"],
        _ => "",
    };

    public string Reason(AttentionReason reason) => localizer[ReasonKey(reason)];

    public static string SignalKindKey(SignalKind kind) => "SignalKind." + kind.Code();

    public static string SignalStatusKey(SignalStatus status) => "SignalStatus." + status.Code();

    /// <summary>A money signal's kind in words (rules §18).</summary>
    public string SignalKind(SignalKind kind) => localizer[SignalKindKey(kind)];

    public string SignalStatus(SignalStatus status) => localizer[SignalStatusKey(status)];

    /// <summary>What a money signal is about: a stream (huurtoeslag), a payment (its EndToEndId), an arrear (its kind), the credit or the leefgeld.</summary>
    public string SignalSubject(string subject, string? detail) => subject switch
    {
        _ when subject.StartsWith("payment:", StringComparison.Ordinal) => localizer["Signal.Payment", subject["payment:".Length..]],
        _ when subject.StartsWith("arrear:", StringComparison.Ordinal) => localizer["Signal.Arrear", detail is null ? "" : Kind(detail)],
        MoneySignalRules.CreditCapSubject => localizer["Signal.CreditCap"],
        _ => Kind(subject),
    };

    /// <summary>A signal's extra: the bank's return reason, or how many times it was paid.</summary>
    public string SignalDetail(SignalKind kind, string? detail) => (kind, detail) switch
    {
        (Domain.Signals.SignalKind.Returned, { } reason) => localizer["Signal.ReturnReason", reason],
        (Domain.Signals.SignalKind.Several, { } count) => localizer["Signal.Count", count],
        _ => "",
    };

    /// <summary>An audit record's action in words; an action this site has no words for yet as it was recorded.</summary>
    public string AuditAction(string action) => Known(AuditActionKey(action), action);

    public static string AuditTargetKey(string kind) => "AuditTarget." + kind;

    /// <summary>What an audit record concerns ("household HH-0017", "batch 12") with its kind in words.</summary>
    public string AuditTarget(string? target)
    {
        if (target is null)
        {
            return "";
        }

        var space = target.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return Known(AuditTargetKey(target), target);
        }

        return space > 0 ? Known(AuditTargetKey(target[..space]), target[..space]) + target[space..] : target;
    }

    /// <summary>A scheduled job's name (ScheduledJobNames) in words.</summary>
    public string Job(string name) => Known("Job." + name, name);

    /// <summary>How a job run ended: running, succeeded, failed.</summary>
    public string JobOutcome(string outcome) => Known("JobOutcome." + outcome, outcome);

    /// <summary>A size in megabytes, in the culture's number format.</summary>
    public string Megabytes(long bytes) => (bytes / 1048576m).ToString("N1", CultureInfo.CurrentCulture) + " MB";

    public string AuditOutcome(string outcome) => Known(AuditOutcomeKey(outcome), outcome);

    public string Channel(string channel) => Known(ChannelKey(channel), channel);

    public static string RefusalKey(RefusalCode code) => "Refusal." + code;

    /// <summary>A complaint's code (channel, subject, outcome, waiver, remedy, clock state, complainant, move) in words: key "Complaint.&lt;list&gt;.&lt;code&gt;".</summary>
    public static string ComplaintKey(string list, string code) => $"Complaint.{list}.{code}";

    public string Complaint<T>(Domain.Complaints.CodeList<T> list, T value)
        where T : struct, Enum => localizer[ComplaintKey(typeof(T).Name, list.Code(value))];

    public string ClockState(Domain.Complaints.ClockState state) => localizer[ComplaintKey("ClockState", state.ToString())];

    /// <summary>
    /// A rule's refusal in the page's language: the words of its code (Domain's <see cref="RefusalCode"/>)
    /// with its parameters written the page's way (euros, dates, months, batch statuses).
    /// </summary>
    public string Refusal(Refusal refusal)
    {
        var text = localizer[RefusalKey(refusal.Code)].Value;
        foreach (var (name, value) in refusal.Parameters)
        {
            text = text.Replace("{" + name + "}", Parameter(value), StringComparison.Ordinal);
        }

        return text;
    }

    private string Parameter(object value) => value switch
    {
        Money amount => Euro(amount, CultureInfo.CurrentCulture),
        LocalDate date => Date(date, CultureInfo.CurrentCulture),
        YearMonth month => Month(month),
        BatchStatus status => localizer[BatchStatusKey(status)],
        IEnumerable<BatchStatus> statuses => string.Join(English ? " or " : " of ", statuses.Select(s => localizer[BatchStatusKey(s)].Value)),
        IFormattable formattable => formattable.ToString(null, CultureInfo.CurrentCulture),
        _ => value.ToString() ?? "",
    };

    private string Known(string key, string fallback) => localizer[key] is { ResourceNotFound: false } text ? text.Value : fallback;
}
