using System.Xml;
using System.Xml.Linq;
using NodaTime;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>A status with the reason the bank gives for it (code and text, each when given).</summary>
public sealed record StatusReason(string? Code, string? Text);

/// <summary>What a pain.002 says of one payment information block (<c>OrgnlPmtInfAndSts</c>), when it gives the block a status.</summary>
public sealed record BlockStatus(int Line, string PaymentInformationId, string Status, StatusReason Reason);

/// <summary>What a pain.002 says of one payment (<c>TxInfAndSts</c>), by the EndToEndId we gave it.</summary>
public sealed record TransactionStatus(int Line, string EndToEndId, string Status, StatusReason Reason);

/// <summary>
/// A pain.002 status report: its own MsgId and date, the pain.001 MsgId it answers, the group
/// status (RJCT: the whole file refused), and the statuses of blocks and payments it gives.
/// </summary>
public sealed record StatusReport(
    Iso20022Message Version,
    string MessageId,
    LocalDate CreatedOn,
    string OriginalMessageId,
    string? GroupStatus,
    StatusReason GroupReason,
    IReadOnlyList<BlockStatus> Blocks,
    IReadOnlyList<TransactionStatus> Transactions);

/// <summary>
/// Reads a pain.002 (.001.03 or .001.10) after checking it against the official schema. A status
/// report answers one payment file, so it is small; it is read as a document with its line numbers.
/// </summary>
public static class Pain002Reader
{
    public static StatusReport? Read(string path, Iso20022Message version, List<InputError> errors)
    {
        var file = Path.GetFileName(path);
        var before = errors.Count;
        XDocument document;
        try
        {
            // A status report is small: read once into memory, checked whole, then read as a
            // document from the same bytes (the file could change between two reads of it).
            using var stream = new MemoryStream(File.ReadAllBytes(path), writable: false);
            Iso20022Files.CheckWhole(stream, file, version, errors);
            if (errors.Count > before)
            {
                return null;
            }

            stream.Position = 0;
            using var reader = Iso20022Files.Reader(stream);
            document = XDocument.Load(reader, LoadOptions.SetLineInfo);
        }
        catch (XmlException ex)
        {
            errors.Add(Iso20022Files.NotXml(file, ex));
            return null;
        }
        catch (Iso20022Files.TooManyErrorsException)
        {
            return null;
        }

        if (errors.Count > before)
        {
            return null;
        }

        XNamespace ns = version.Namespace();
        var report = document.Root!.Element(ns + "CstmrPmtStsRpt")!;
        var header = report.Element(ns + "GrpHdr")!;
        var group = report.Element(ns + "OrgnlGrpInfAndSts")!;
        var created = header.Element(ns + "CreDtTm")!.Value;
        var createdOn = LocalDate.FromDateOnly(DateOnly.ParseExact(created[..10], "yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));

        StatusReason Reason(XElement owner)
        {
            var info = owner.Element(ns + "StsRsnInf");
            var reason = info?.Element(ns + "Rsn");
            var texts = info?.Elements(ns + "AddtlInf").Select(e => e.Value).ToList() ?? [];
            return new StatusReason(reason?.Element(ns + "Cd")?.Value ?? reason?.Element(ns + "Prtry")?.Value, texts.Count == 0 ? null : string.Join(' ', texts));
        }

        static int Line(XElement element) => ((IXmlLineInfo)element).LineNumber;

        var blocks = new List<BlockStatus>();
        var transactions = new List<TransactionStatus>();
        foreach (var block in report.Elements(ns + "OrgnlPmtInfAndSts"))
        {
            var id = block.Element(ns + "OrgnlPmtInfId")!.Value;
            if (block.Element(ns + "PmtInfSts")?.Value is { } blockStatus)
            {
                blocks.Add(new BlockStatus(Line(block), id, blockStatus, Reason(block)));
            }

            foreach (var transaction in block.Elements(ns + "TxInfAndSts"))
            {
                var endToEnd = transaction.Element(ns + "OrgnlEndToEndId")?.Value;
                var status = transaction.Element(ns + "TxSts")?.Value;
                if (endToEnd is null || status is null)
                {
                    errors.Add(new InputError(file, Line(transaction), "TxInfAndSts", "names no OrgnlEndToEndId or no TxSts: the payment or its status is unknown"));
                    continue;
                }

                transactions.Add(new TransactionStatus(Line(transaction), endToEnd, status, Reason(transaction)));
            }
        }

        return errors.Count > before ? null : new StatusReport(version, header.Element(ns + "MsgId")!.Value, createdOn, group.Element(ns + "OrgnlMsgId")!.Value,
            group.Element(ns + "GrpSts")?.Value, Reason(group), blocks, transactions);
    }
}
