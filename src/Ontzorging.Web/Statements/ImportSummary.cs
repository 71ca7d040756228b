using Ontzorging.Infrastructure.BankLedgers;

namespace Ontzorging.Web.Statements;

/// <summary>
/// What an import (or its dry run) did, as the page tells it: lines read and added (the rest were
/// already there), payments settled, receipts booked, returns, the municipality's transfers, and
/// what is left over (outgoing lines that pay nothing of ours, incoming lines waiting for a person).
/// </summary>
public sealed record ImportSummary(string File, BankFormat Format, int Read, int Added, int Settled, int Receipts, int Returns, int Transfers, int LeftOutgoing, int Suggested)
{
    public int AlreadyPresent => Read - Added;

    public static ImportSummary Of(BankImportReport report)
    {
        var outgoing = report.Outgoing;
        var incoming = report.Incoming;
        return new ImportSummary(report.File, report.Format, report.Read, report.Added,
            (outgoing?.ByEndToEndId ?? 0) + (outgoing?.ByAccountAmountDate ?? 0) + (outgoing?.Batches.Settled ?? 0),
            (incoming?.Booked ?? 0) + (incoming?.Linked ?? 0),
            outgoing?.Returned ?? 0,
            (outgoing?.BijstandTransfers ?? 0) + (outgoing?.CreditFunding ?? 0),
            outgoing?.Unmatched ?? 0,
            incoming?.Suggested ?? 0);
    }

    /// <summary>A pain.002 status report as the page tells it: the payments it names, those it re-opened (returns), those a statement already showed leaving (left for a person).</summary>
    public static ImportSummary Of(StatusReportImport report)
    {
        var named = report.Reopened.Count + report.AlreadyReopened + report.AlreadySettled + report.Accepted;
        return new ImportSummary(report.File, BankFormat.Pain002, named, report.ImportedBefore is null ? named : 0, 0, 0, report.Reopened.Count, 0, report.AlreadySettled, 0);
    }
}
