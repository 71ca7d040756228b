using Microsoft.AspNetCore.Mvc.RazorPages;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Logboek;

/// <summary>The newest audit records of the municipalities the auditor or administrator holds.</summary>
public sealed class IndexModel(AuditLog audit) : PageModel
{
    public IReadOnlyList<AuditRecord> Records { get; private set; } = [];

    public async Task OnGet(CancellationToken ct)
    {
        var staff = Staff.Of(User);
        var codes = staff.Grants.Where(g => g.Role is Roles.Auditor or Roles.Administrator).Select(g => g.Municipality);
        Records = await audit.Recent(null, 200, MunicipalityScope.Of(codes), ct);
    }
}
