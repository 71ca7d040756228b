using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using NodaTime;
using Ontzorging.Infrastructure.Time;
using Ontzorging.Domain.Complaints;
using Ontzorging.Infrastructure.Statements;

namespace Ontzorging.Infrastructure.Complaints;

/// <summary>Which of a complaint's two letters: the acknowledgement of receipt (Awb 9:6) or the decision (Awb 9:12).</summary>
public enum LetterKind
{
    Acknowledgement,
    Outcome,
}

/// <summary>
/// A complaint's letters, written like the monthly statement (docs/rules.md §17, §19): a block in plain
/// Dutch beside a block in the household's own language, from the same resource files
/// (<c>StatementTexts*.resx</c>, keys <c>Letter.*</c>), with dates and amounts in each language's ICU
/// conventions. The findings are the caseworker's own words, in Dutch, and every block but the Dutch
/// one says so. The decision names the Nationale ombudsman as the next step (Awb 9:12(2)), or the
/// municipality's own ombudsman where it has one (<see cref="MunicipalityContact.Ombudsman"/>).
/// </summary>
public static class ComplaintLetters
{
    private static readonly HtmlEncoder Encode = HtmlEncoder.Default;

    public static string Title(LetterKind kind) => StatementLanguage.Dutch.Text(kind == LetterKind.Acknowledgement ? "Letter.Ack.Title" : "Letter.Outcome.Title");

    /// <summary>A whole document for the PDF: the letter's blocks and the statement's style.</summary>
    public static string Document(ComplaintDetail complaint, LetterKind kind, MunicipalityContact contact, LocalDate dated) => $"""
        <!DOCTYPE html>
        <html lang="nl" dir="ltr"><head><meta charset="utf-8"><title>{Encode.Encode($"{Title(kind)} — {complaint.Summary.Household}")}</title>
        <style>{StatementHtml.Style}</style></head>
        <body>{Blocks(complaint, kind, contact, dated)}</body></html>
        """;

    /// <summary>The letter's blocks, Dutch first; <paramref name="dated"/> is the letter's date.</summary>
    public static string Blocks(ComplaintDetail complaint, LetterKind kind, MunicipalityContact contact, LocalDate dated)
    {
        var html = new StringBuilder("<div class=\"statement\">");
        foreach (var language in StatementHtml.Languages(complaint.Language).First)
        {
            Block(html, complaint, kind, contact, dated, language);
        }

        return html.Append("</div>").ToString();
    }

    private static void Block(StringBuilder html, ComplaintDetail c, LetterKind kind, MunicipalityContact contact, LocalDate dated, StatementLanguage l)
    {
        string T(string key, params object[] args) => Encode.Encode(l.Text(key, args));
        string Data(string text) => $"<bdi>{Encode.Encode(text)}</bdi>";
        string Date(LocalDate date) => Encode.Encode(l.Date(date));
        string Fill(string key, params string[] markup) => StatementHtml.Fill(l, key, markup);
        var clock = c.Summary.Clock;
        var id = $"brief-{l.Code}";
        var title = kind == LetterKind.Acknowledgement ? "Letter.Ack.Title" : "Letter.Outcome.Title";

        html.Append(CultureInfo.InvariantCulture, $"<section class=\"block\" lang=\"{l.Code}\" dir=\"{l.Direction}\" aria-labelledby=\"{id}\">");
        html.Append(CultureInfo.InvariantCulture, $"<h2 id=\"{id}\">{T(title)}</h2>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Date(dated)}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.To", Data(c.ComplainantName))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Reference", Data(c.Summary.Id.ToString(CultureInfo.InvariantCulture)), Data(c.Summary.Household))}</p>");
        if (kind == LetterKind.Acknowledgement)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Ack.Received", Date(clock.Received))}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.About", T("Letter.Subject." + ComplaintCodes.Subjects.Code(c.Summary.Subject)))}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{T("Letter.Ack.Next")}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Ack.Deadline", Date(clock.Deadline))}</p>");
        }
        else
        {
            var outcome = c.Summary.Outcome ?? throw new InvalidOperationException($"complaint {c.Summary.Id} has no outcome yet");
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Outcome.Intro", Date(clock.Received), Date(clock.Decided!.Value))}</p>");
            html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.About", T("Letter.Subject." + ComplaintCodes.Subjects.Code(c.Summary.Subject)))}</p>");
            if (c.HearingHeldOn is { } held)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Outcome.Heard", Date(held))}</p>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<p><strong>{T("Letter.Outcome." + ComplaintCodes.Outcomes.Code(outcome))}</strong></p>");
            html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Letter.Outcome.Findings")}</h3>");
            if (l != StatementLanguage.Dutch)
            {
                html.Append(CultureInfo.InvariantCulture, $"<p>{T("Letter.Outcome.FindingsInDutch")}</p>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<p lang=\"nl\" dir=\"ltr\" class=\"findings\">{Encode.Encode(c.Findings ?? "").Replace("&#xA;", "<br>", StringComparison.Ordinal)}</p>");
            if (c.Remedies.Count > 0)
            {
                html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Letter.Remedy.Heading")}</h3><ul>");
                foreach (var r in c.Remedies)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<li>{T("Letter.Remedy." + ComplaintCodes.Remedies.Code(r.Kind))}</li>");
                }

                html.Append("</ul>");
            }

            var ombudsman = string.IsNullOrWhiteSpace(contact.Ombudsman) ? T("Letter.Ombudsman") : Fill("Letter.OmbudsmanOwn", Data(contact.Ombudsman));
            html.Append(CultureInfo.InvariantCulture, $"<h3>{T("Letter.Ombudsman.Heading")}</h3><p>{ombudsman}</p>");
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Help.Contact", Data(contact.Phone), Data(contact.Email))}</p>");
        html.Append(CultureInfo.InvariantCulture, $"<p>{Fill("Letter.Signature", Data(contact.Name))}</p>");
        html.Append("</section>");
    }
}

/// <summary>A complaint's letter ready to show: the complaint, its blocks, its languages and the day it is dated.</summary>
public sealed record ComplaintLetter(ComplaintDetail Complaint, LetterKind Kind, string Blocks, IReadOnlyList<StatementLanguage> Languages, bool UnknownLanguage, LocalDate Dated);

/// <summary>
/// The use cases that show a complaint's letters (a view of its personal data, recorded first): as the
/// page's blocks, or as a PDF printed by the statement's Chromium.
/// </summary>
public sealed class ComplaintLetterDesk(ComplaintQueries queries, MunicipalityContacts contacts, IClock clock)
{
    /// <summary>The letter, or null when the complaint does not exist for this person or has no such letter yet (no outcome).</summary>
    public async Task<ComplaintLetter?> Letter(Domain.Actor actor, long id, LetterKind kind, ComplaintScope scope, CancellationToken ct = default)
    {
        var complaint = await queries.View(actor, id, scope, kind == LetterKind.Acknowledgement ? "acknowledgement letter" : "outcome letter", ct);
        if (complaint is null || (kind == LetterKind.Outcome && complaint.Summary.Outcome is null))
        {
            return null;
        }

        var contact = contacts.ByCode.GetValueOrDefault(complaint.Summary.Municipality)
            ?? throw new StatementRefusedException($"no contact details are configured for municipality {complaint.Summary.Municipality} ({MunicipalityContacts.SectionName})");
        var dated = kind == LetterKind.Outcome ? complaint.Summary.Clock.Decided!.Value : complaint.Summary.Acknowledged ?? MunicipalTime.DateOf(clock.GetCurrentInstant());
        var (languages, unknown) = StatementHtml.Languages(complaint.Language);
        return new ComplaintLetter(complaint, kind, ComplaintLetters.Blocks(complaint, kind, contact, dated), languages, unknown, dated);
    }

    /// <summary>The letter as a PDF (tagged, one document), or null as <see cref="Letter"/>.</summary>
    public async Task<byte[]?> Pdf(Domain.Actor actor, long id, LetterKind kind, ComplaintScope scope, CancellationToken ct = default)
    {
        if (await Letter(actor, id, kind, scope, ct) is not { } letter)
        {
            return null;
        }

        var contact = contacts.ByCode[letter.Complaint.Summary.Municipality];
        var folder = Directory.CreateTempSubdirectory("ontzorging-letter-");
        try
        {
            var path = Path.Combine(folder.FullName, "letter.pdf");
            await using var pdf = await StatementPdf.Start();
            await pdf.Print([new PrintJob(ComplaintLetters.Document(letter.Complaint, kind, contact, letter.Dated), [path], ComplaintLetters.Title(kind))], 1, ct);
            return await File.ReadAllBytesAsync(path, ct);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
