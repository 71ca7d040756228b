using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;
using Ontzorging.Domain;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.Web.Identity;

namespace Ontzorging.Web.Pages.Beheer;

/// <summary>
/// Operations for administrators: the scheduled jobs (next firing, last runs, failures) with "run
/// now" for the idempotent ones, the cluster's worker nodes, and the database's health and pending
/// migrations. Only "run now" writes, through its use case.
/// </summary>
public sealed class IndexModel(Operations operations, JobRequests requests, IOptions<OntzorgingOptions> options) : PageModel
{
    public IReadOnlyList<ScheduledJobView> Jobs { get; private set; } = [];

    public IReadOnlyList<ClusterNode> Nodes { get; private set; } = [];

    public IReadOnlyList<JobRequestView> Requests { get; private set; } = [];

    public DatabaseState Database { get; private set; } = null!;

    public Refusal? Refusal { get; private set; }

    public string? Notice { get; private set; }

    public async Task OnGet(CancellationToken ct)
    {
        Notice = TempData["notice"] as string;
        await Load(ct);
    }

    public async Task<IActionResult> OnPostRunNow([FromForm(Name = "job")] string? job, CancellationToken ct)
    {
        // Once sent, the request is recorded whatever the browser does next.
        var outcome = await requests.RunNow(Staff.Of(User).Actor, job ?? "", CancellationToken.None);
        if (outcome.Refusal is { } refusal)
        {
            Refusal = refusal;
            Response.StatusCode = StatusCodes.Status409Conflict;
            await Load(ct);
            return Page();
        }

        TempData["notice"] = outcome.Value.AlreadyWaiting ? "Operations.RunAlreadyWaiting" : "Operations.RunRequested";
        return Redirect("/beheer");
    }

    private async Task Load(CancellationToken ct)
    {
        Jobs = await operations.Jobs(5, ct);
        Nodes = await operations.Nodes(ct);
        Requests = await operations.Requests(10, ct);
        Database = await operations.Database(options.Value.Database.ConnectionString, ct);
    }
}
