using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using Microsoft.Net.Http.Headers;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Web.Identity;
using Ontzorging.Web.Statements;

namespace Ontzorging.Web.Pages.Bankafschriften;

/// <summary>
/// The upload and its dry run. The multipart body is read section by section
/// (<see cref="MultipartReader"/>) and the file streamed to the site's own upload folder
/// (<see cref="StatementUploads"/>), never held in memory; the size limit is checked against the
/// announced length before a byte is read, and again while the file is written. The antiforgery token
/// is the form's first field and is checked before the file is read (so the page validates it itself
/// instead of letting the framework read the whole form). Then the import runs as a dry run — the same
/// use case as <c>ledger import --dry-run</c> — and the page shows what the import would do, with the
/// button that imports it (<see cref="BevestigenModel"/>). A refused file lists every error with its
/// line and column and nothing is kept.
/// </summary>
[IgnoreAntiforgeryToken]
public sealed class InlezenModel(StatementUploads uploads, StatementProgress progress, BankFiles importer, StatementQueries queries, IAntiforgery antiforgery)
    : PageModel
{
    /// <summary>Room for the form's other fields and the multipart framing around the file.</summary>
    private const long Framing = 64 * 1024;

    public StatementUpload? Upload { get; private set; }

    public ImportSummary? Summary { get; private set; }

    /// <summary>An earlier import of a file with the same bytes.</summary>
    public BankImportRow? Before { get; private set; }

    public IReadOnlyList<InputError> Errors { get; private set; } = [];

    public Refusal? Refusal { get; private set; }

    public UploadFormView Form { get; private set; } = null!;

    public string Ticket { get; private set; } = StatementProgress.NewTicket();

    public IActionResult OnGet() => Redirect("/bankafschriften");

    // No parameter and no bound property: anything to bind would make the framework read (and
    // buffer) the whole form before this runs. The request's abort token is taken from the context.
    public async Task<IActionResult> OnPost()
    {
        var ct = HttpContext.RequestAborted;
        var staff = Staff.Of(User);
        var limit = uploads.Limit;
        Form = new UploadFormView(Ticket, limit / (1024 * 1024));
        if (Request.ContentLength > limit + Framing)
        {
            // Refused before a byte of the body is read: nothing is written.
            return TooLarge();
        }

        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = limit + Framing;
        }

        if (!MediaTypeHeaderValue.TryParse(Request.ContentType, out var type) || !type.MediaType.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase)
            || HeaderUtilities.RemoveQuotes(type.Boundary).Value is not { Length: > 0 and <= 200 } boundary)
        {
            return Unreadable("file", "Upload.NoFile");
        }

        var fields = new Dictionary<string, StringValues>(StringComparer.Ordinal);
        var reader = new MultipartReader(boundary, Request.Body) { HeadersLengthLimit = 16 * 1024 };
        var checkedToken = false;
        try
        {
            while (await reader.ReadNextSectionAsync(ct) is { } section)
            {
                if (!ContentDispositionHeaderValue.TryParse(section.ContentDisposition, out var disposition))
                {
                    continue;
                }

                if (disposition.IsFileDisposition())
                {
                    if (!checkedToken && !await TokenValid(fields))
                    {
                        return BadRequest();
                    }

                    checkedToken = true;
                    var name = HeaderUtilities.RemoveQuotes(disposition.FileNameStar.HasValue ? disposition.FileNameStar : disposition.FileName).Value ?? "";
                    if (Upload is not null || name.Length == 0)
                    {
                        await section.Body.DrainAsync(ct);
                        continue;
                    }

                    fields.TryGetValue("voortgang", out var ticket);
                    var total = Math.Max(1, Request.ContentLength ?? limit);
                    var saved = await uploads.Save(section.Body, staff.Actor.Subject, name, fields.TryGetValue("formaat", out var f) ? f.ToString() : null,
                        new Progress<long>(bytes => progress.Report(staff.Actor.Subject, ticket, "upload", (double)bytes / total)), ct);
                    if (saved is null)
                    {
                        return TooLarge();
                    }

                    Upload = saved;
                }
                else if (disposition.IsFormDisposition())
                {
                    using var text = new StreamReader(section.Body);
                    var value = await ReadAtMost(text, 4096);
                    fields[HeaderUtilities.RemoveQuotes(disposition.Name).Value ?? ""] = value;
                }
            }
        }
        catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            Discard();
            return TooLarge();
        }
        catch (InvalidDataException)
        {
            Discard();
            return Unreadable("file", "Upload.NoFile");
        }

        if (!checkedToken && !await TokenValid(fields))
        {
            return BadRequest();
        }

        Ticket = fields.TryGetValue("voortgang", out var sent) && sent.ToString() is { Length: > 0 and <= 64 } t ? t : Ticket;
        Form = Form with { Ticket = Ticket };
        if (Upload is null)
        {
            return Unreadable("file", "Upload.NoFile");
        }

        var formatName = fields.TryGetValue("formaat", out var chosen) ? chosen.ToString() : "";
        BankFormat? format = null;
        if (formatName.Length > 0 && (format = BankStatementImporter.Parse(formatName)) is null)
        {
            Discard();
            return Unreadable("format", "Upload.UnknownFormat");
        }

        // A dry run writes nothing, so the browser giving up may stop it.
        var outcome = await importer.Import(staff.Actor, Upload.Path, format, dryRun: true,
            new Progress<(string Stage, double Done)>(p => progress.Report(staff.Actor.Subject, Ticket, p.Stage, p.Done)), ct);
        progress.Done(staff.Actor.Subject, Ticket);
        if (outcome.Refusal is { } refusal)
        {
            Discard();
            Errors = InputRejectedException.ErrorsOf(refusal);
            Refusal = refusal;
            Response.StatusCode = Errors.Count > 0 ? StatusCodes.Status422UnprocessableEntity : StatusCodes.Status409Conflict;
            return Page();
        }

        Summary = outcome.Value;
        Before = await queries.FirstImportOf(Upload.Sha256, ct);
        Ticket = StatementProgress.NewTicket();
        return Page();
    }

    private async Task<bool> TokenValid(Dictionary<string, StringValues> fields)
    {
        // The framework's check, given the fields read so far instead of the whole form.
        HttpContext.Features.Set<IFormFeature>(new FormFeature(new FormCollection(new Dictionary<string, StringValues>(fields))));
        return await antiforgery.IsRequestValidAsync(HttpContext);
    }

    private static async Task<string> ReadAtMost(StreamReader reader, int characters)
    {
        var buffer = new char[characters];
        var read = await reader.ReadBlockAsync(buffer, 0, characters);
        return new string(buffer, 0, read);
    }

    private void Discard()
    {
        if (Upload is not null)
        {
            uploads.Delete(Upload.Id);
            Upload = null;
        }
    }

    private PageResult TooLarge()
    {
        Form = Form with { Field = "file", ErrorKey = "Upload.TooLarge" };
        Response.StatusCode = StatusCodes.Status413PayloadTooLarge;
        return Page();
    }

    private PageResult Unreadable(string field, string errorKey)
    {
        Form = Form with { Field = field, ErrorKey = errorKey };
        Response.StatusCode = StatusCodes.Status422UnprocessableEntity;
        return Page();
    }
}
