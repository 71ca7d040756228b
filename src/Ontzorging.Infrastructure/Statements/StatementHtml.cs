using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>
/// The monthly statement as HTML (docs/rules.md §17): a block in plain Dutch and, beside it, one in
/// the household's language, each with its own <c>lang</c> and <c>dir</c>. The site shows the same
/// blocks (<see cref="Blocks"/>) on its page; the PDF is <see cref="Document"/> printed by Chromium.
/// Names, accounts and references are the household's and its creditors' own, isolated from the
/// text's direction.
/// </summary>
public static class StatementHtml
{
    private static readonly HtmlEncoder Encode = HtmlEncoder.Default;

    /// <summary>The page's own style: two blocks side by side on A4 landscape, in fonts that hold Arabic, Persian and Ge'ez.</summary>
    public const string Style = """
        @page { size: A4 landscape; margin: 12mm; }
        .statement { display: grid; grid-template-columns: repeat(auto-fit, minmax(24rem, 1fr)); gap: 2rem; font-family: "Noto Sans", "Noto Sans Arabic", "Noto Naskh Arabic", "Abyssinica SIL", "Noto Sans Ethiopic", "DejaVu Sans", sans-serif; font-size: 10pt; line-height: 1.45; color: #000; }
        .statement .block { break-inside: auto; }
        .statement h2 { font-size: 14pt; margin: 0 0 .5rem; }
        .statement h3 { font-size: 11pt; margin: 1rem 0 .25rem; }
        .statement table { border-collapse: collapse; width: 100%; }
        .statement th, .statement td { border-bottom: 1px solid #767676; padding: .15rem .35rem; text-align: start; vertical-align: top; }
        .statement .amount { text-align: end; white-space: nowrap; }
        .statement .warning { border-inline-start: .3rem solid #b30000; padding-inline-start: .5rem; font-weight: bold; }
        .statement dl { display: grid; grid-template-columns: auto auto; gap: .1rem 1rem; margin: 0; }
        .statement dd { margin: 0; text-align: end; }
        .statement footer { margin-top: 1rem; font-size: 8pt; }
        """;

    private const string Break = " .one + .one { break-before: page; }";

    /// <summary>The Dutch block's heading, which every statement of <paramref name="month"/> starts with.</summary>
    public static string Title(YearMonth month) => StatementLanguage.Dutch.Text("Title", StatementLanguage.Dutch.Month(month));

    /// <summary>
    /// A whole document for the PDF: the statements' blocks and their style, nothing of the site
    /// around them; each statement starts on a new page (all of one month: see <see cref="Title"/>).
    /// </summary>
    public static string Document(IReadOnlyList<MonthlyStatement> statements, Instant madeAt)
    {
        var title = statements.Count == 1 ? $"{Title(statements[0].Month)} — {statements[0].Household}" : Title(statements[0].Month);
        var body = string.Concat(statements.Select(s => $"<div class=\"one\">{Blocks(s, madeAt)}</div>"));
        return $"""
            <!DOCTYPE html>
            <html lang="nl" dir="ltr"><head><meta charset="utf-8"><title>{Encode.Encode(title)}</title>
            <style>{Style}{Break}</style></head>
            <body>{body}</body></html>
            """;
    }

    /// <summary>Dutch, and the household's own language when the statement is written in it; whether the household's code was unknown.</summary>
    public static (IReadOnlyList<StatementLanguage> First, bool Unknown) Languages(MonthlyStatement statement) => Languages(statement.Language);

    /// <summary>Dutch, and the household's language <paramref name="household"/> when texts exist in it (statements and complaint letters alike).</summary>
    public static (IReadOnlyList<StatementLanguage> First, bool Unknown) Languages(string? household)
    {
        var (beside, unknown) = StatementLanguage.Of(household);
        return (beside is null ? [StatementLanguage.Dutch] : [StatementLanguage.Dutch, beside], unknown);
    }

    public static string Blocks(MonthlyStatement statement, Instant madeAt)
    {
        var html = new StringBuilder("<div class=\"statement\">");
        foreach (var language in Languages(statement).First)
        {
            Block(html, statement, language, madeAt);
        }

        return html.Append("</div>").ToString();
    }

    private static void Block(StringBuilder html, MonthlyStatement s, StatementLanguage l, Instant madeAt)
    {
        string T(string key, params object[] args) => Encode.Encode(l.Text(key, args));
        string Data(string text) => $"<bdi>{Encode.Encode(text)}</bdi>";
        string Amount(Money amount) => $"<bdi>{Encode.Encode(l.Amount(amount))}</bdi>";
        string Date(LocalDate date) => Encode.Encode(l.Date(date));
        var month = l.Month(s.Month);
        var id = $"overzicht-{l.Code}";

        html.Append(CultureInfo.InvariantCulture, $"<section class=\"block\" lang=\"{l.Code}\" dir=\"{l.Direction}\" aria-labelledby=\"{id}\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{id}\">{T("Title", month)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "For", Data($"{s.Names} ({s.Household})"))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{T("Intro", month)}</p>");

        // What was paid for the household.
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Paid.Heading")}</h3>");
        if (s.Paid.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{T("Paid.None")}</p>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<table><thead><tr><th scope=\"col\">{T("Col.To")}</th><th scope=\"col\">{T("Col.What")}</th><th scope=\"col\" class=\"amount\">{T("Col.Amount")}</th><th scope=\"col\">{T("Col.Date")}</th><th scope=\"col\">{T("Col.Reference")}</th></tr></thead><tbody>");
            foreach (var p in s.Paid)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Data(p.Payee)}</td><td>{T("Kind." + p.Kind)}</td><td class=\"amount\">{Amount(p.Amount)}</td><td>{Date(p.Date)}</td><td>{Data(p.Reference)}</td></tr>");
            }

            html.Append(CultureInfo.InvariantCulture, $"</tbody><tfoot><tr><th scope=\"row\" colspan=\"2\">{T("Paid.Total")}</th><td class=\"amount\">{Amount(s.PaidTotal)}</td><td colspan=\"2\"></td></tr></tfoot></table>");
        }

        // Leefgeld.
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Leefgeld.Heading")}</h3>");
        if (s.Leefgeld.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{T("Leefgeld.None")}</p>");
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Leefgeld.Intro", Data(s.Account))}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<table><thead><tr><th scope=\"col\">{T("Col.Date")}</th><th scope=\"col\" class=\"amount\">{T("Col.Amount")}</th></tr></thead><tbody>");
            foreach (var p in s.Leefgeld)
            {
                html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Date(p.Date)}</td><td class=\"amount\">{Amount(p.Amount)}</td></tr>");
            }

            html.Append(CultureInfo.InvariantCulture, $"</tbody><tfoot><tr><th scope=\"row\">{T("Leefgeld.Total")}</th><td class=\"amount\">{Amount(s.LeefgeldTotal)}</td></tr></tfoot></table>");
        }

        if (s.LeefgeldBelowMinimum)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"warning\">{Fill(l, "Leefgeld.BelowMinimum", Amount(s.MinimumLeefgeld))}</p>");
        }

        // What came in: the municipality's bijstand and the routed receipts this batch took.
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("In.Heading")}</h3><table><tbody>");
        html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{T("In.Bijstand")}</th><td class=\"amount\">{Amount(s.Bijstand)}</td><td></td></tr>");
        foreach (var r in s.Receipts)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{T("Income." + r.Kind)}</th><td class=\"amount\">{Amount(r.Amount)}</td><td>{T("In.ReceivedOn", l.Date(r.ReceivedOn))}</td></tr>");
        }

        html.Append("</tbody></table>");
        if (s.Receipts.Count == 0)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{T("In.None")}</p>");
        }

        // The bridging credit.
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Credit.Heading")}</h3><p>{T("Credit.What")}</p><dl>");
        foreach (var (key, amount) in new[] { ("Credit.Drawn", s.CreditDrawn), ("Credit.Repaid", s.CreditRepaid), ("Credit.Outstanding", s.CreditOutstanding), ("Credit.Cap", s.CreditCap) })
        {
            html.Append(CultureInfo.InvariantCulture, $"<dt>{T(key)}</dt><dd>{Amount(amount)}</dd>");
        }

        html.Append("</dl>");

        // Next month, from the forecast.
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Next.Heading")}</h3>");
        if (s.Next is { } next && !next.Result.Period.IsAfterEnd(next.Month))
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Next.Expected", Encode.Encode(l.Month(next.Month)), Amount(next.Result.LeefgeldPaid))}</p>");
            if (next.AtRisk)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p class=\"warning\">{Fill(l, "Next.Risk", Encode.Encode(l.Month(next.Month)), Amount(next.Missing))}</p>");
            }
        }
        else
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{T("Next.End")}</p>");
        }

        // What to do when something is wrong.
        var c = s.Contact;
        html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Help.Heading")}</h3>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Help.Contact", Data(c.Phone), Data(c.Email))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Help.Visit", Data(c.Visit))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Help.Complaint", Data(c.Complaints))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill(l, "Help.Reference", Data(s.Household))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<footer>{Fill(l, "Footer", Data(c.Name), Encode.Encode(month), Encode.Encode(l.Date(madeAt.InZone(Time.MunicipalTime.Zone).Date)))}</footer>");
        html.Append("</section>");
    }

    /// <summary>A text with markup already encoded put in its places; the text itself is encoded.</summary>
    internal static string Fill(StatementLanguage language, string key, params string[] markup)
    {
        var placeholders = markup.Select((_, i) => $"\u0001{i}\u0002").ToArray();
        var text = Encode.Encode(language.Text(key, placeholders));
        for (var i = 0; i < markup.Length; i++)
        {
            text = text.Replace(Encode.Encode(placeholders[i]), markup[i], StringComparison.Ordinal);
        }

        return text;
    }
}
