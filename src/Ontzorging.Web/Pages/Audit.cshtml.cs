using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Web.Pages;

/// <summary>The newest audit records, for auditors and administrators.</summary>
public sealed class AuditModel(AuditLog audit) : PageModel
{
    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    public async Task OnGet(CancellationToken ct) => Records = await audit.Recent(null, 200, ct);
}
