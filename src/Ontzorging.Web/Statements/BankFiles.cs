using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;

namespace Ontzorging.Web.Statements;

/// <summary>
/// The upload page's one way in for a bank file: a pain.002 status report goes to
/// <see cref="PaymentStatusImporter"/>, every statement (camt.053 or a CSV export) to
/// <see cref="BankStatementImporter"/>, as <c>ledger import</c> does; the page shows either as an <see cref="ImportSummary"/>.
/// </summary>
public sealed class BankFiles(BankStatementImporter statements, PaymentStatusImporter reports)
{
    public async Task<Result<ImportSummary>> Import(Actor actor, string path, BankFormat? format, bool dryRun, IProgress<(string Stage, double Done)> progress, CancellationToken ct)
    {
        if (format is null && Iso20022Files.IsStatusReport(path))
        {
            var report = await reports.Import(actor, path, dryRun, ct);
            progress.Report(("write", 1));
            return report.Refusal is { } refused ? refused : ImportSummary.Of(report.Value);
        }

        var statement = await statements.Import(actor, path, format, dryRun, progress, ct);
        return statement.Refusal is { } refusal ? refusal : ImportSummary.Of(statement.Value);
    }
}
