namespace Ontzorging.Web.Pages.Bankafschriften;

/// <summary>The upload form's state: its progress ticket, the size limit, and the key of a refusal (worded with the limit) next to a field ("file" or "format").</summary>
public sealed record UploadFormView(string Ticket, long LimitMegabytes, string? Field = null, string? ErrorKey = null);
