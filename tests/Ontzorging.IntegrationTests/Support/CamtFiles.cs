using System.Globalization;
using System.Security;
using System.Text;
using NodaTime;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>One entry of a test statement: money in is positive. A batch booking names its PmtInfId and, when given, its payments.</summary>
public sealed record CamtEntry(
    LocalDate Date,
    decimal Amount,
    string Name = "",
    string? Iban = null,
    string Text = "",
    string? EndToEndId = null,
    string Currency = "EUR",
    string? ReturnReason = null,
    string? BatchPaymentInformationId = null,
    string? BatchMessageId = null,
    int? BatchTransactions = null,
    IReadOnlyList<(string EndToEndId, decimal Amount)>? BatchPayments = null,
    string Status = "BOOK",
    bool Batch = false);

/// <summary>Writes camt.053 statements (.001.02 or .001.08) for tests, as a bank would: one statement per call, opening and closing balances computed unless given.</summary>
public static class CamtFiles
{
    public const string Account = "NL82BNGH0285010001";

    public static string Write(string path, IReadOnlyList<CamtEntry> entries, string version = "02", decimal opening = 250_000m, decimal? closing = null,
        string account = Account, string? namespaceUri = null)
    {
        var v08 = version == "08";
        var booked = entries.Where(e => e.Status == "BOOK").Sum(e => e.Amount);
        var close = closing ?? opening + booked;
        var date = entries.Count == 0 ? new LocalDate(2026, 11, 2) : entries.Min(e => e.Date);
        var xml = new StringBuilder();
        var ns = namespaceUri ?? $"urn:iso:std:iso:20022:tech:xsd:camt.053.001.{version}";
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.Append(CultureInfo.InvariantCulture, $"<Document xmlns=\"{ns}\">\n<BkToCstmrStmt><GrpHdr><MsgId>TEST-{Guid.NewGuid().ToString("N")[..20]}</MsgId><CreDtTm>2026-12-01T06:00:00</CreDtTm></GrpHdr>\n");
        xml.Append(CultureInfo.InvariantCulture, $"<Stmt><Id>TEST-STMT-1</Id><CreDtTm>2026-12-01T06:00:00</CreDtTm><Acct><Id><IBAN>{account}</IBAN></Id><Ccy>EUR</Ccy></Acct>\n");
        foreach (var (code, amount) in new[] { ("OPBD", opening), ("CLBD", close) })
        {
            xml.Append(CultureInfo.InvariantCulture, $"<Bal><Tp><CdOrPrtry><Cd>{code}</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">{Math.Abs(amount):0.00}</Amt><CdtDbtInd>{(amount >= 0 ? "CRDT" : "DBIT")}</CdtDbtInd><Dt><Dt>{date:yyyy-MM-dd}</Dt></Dt></Bal>\n");
        }

        foreach (var e in entries)
        {
            var debit = e.Amount < 0;
            xml.Append(CultureInfo.InvariantCulture, $"<Ntry><Amt Ccy=\"{e.Currency}\">{Math.Abs(e.Amount):0.00}</Amt><CdtDbtInd>{(debit ? "DBIT" : "CRDT")}</CdtDbtInd>");
            xml.Append(v08 ? $"<Sts><Cd>{e.Status}</Cd></Sts>" : $"<Sts>{e.Status}</Sts>");
            xml.Append(CultureInfo.InvariantCulture, $"<BookgDt><Dt>{e.Date:yyyy-MM-dd}</Dt></BookgDt><AcctSvcrRef>REF-{Guid.NewGuid().ToString("N")[..20]}</AcctSvcrRef>");
            xml.Append("<BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>ICDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd><NtryDtls>");
            if (e.Batch)
            {
                xml.Append("<Btch>");
                xml.Append(e.BatchMessageId is { } msg ? $"<MsgId>{msg}</MsgId>" : "");
                xml.Append(e.BatchPaymentInformationId is { } pmt ? $"<PmtInfId>{pmt}</PmtInfId>" : "");
                xml.Append(e.BatchTransactions is { } n ? $"<NbOfTxs>{n}</NbOfTxs>" : "");
                xml.Append("</Btch>");
                foreach (var (endToEnd, amount) in e.BatchPayments ?? [])
                {
                    xml.Append(CultureInfo.InvariantCulture, $"<TxDtls><Refs><EndToEndId>{endToEnd}</EndToEndId></Refs>");
                    xml.Append(v08 ? $"<Amt Ccy=\"EUR\">{amount.ToString("0.00", CultureInfo.InvariantCulture)}</Amt>" : $"<AmtDtls><TxAmt><Amt Ccy=\"EUR\">{amount.ToString("0.00", CultureInfo.InvariantCulture)}</Amt></TxAmt></AmtDtls>");
                    xml.Append("</TxDtls>");
                }
            }
            else
            {
                xml.Append(CultureInfo.InvariantCulture, $"<TxDtls><Refs><EndToEndId>{e.EndToEndId ?? "NOTPROVIDED"}</EndToEndId></Refs>");
                var party = debit ? "Cdtr" : "Dbtr";
                var name = SecurityElement.Escape(e.Name);
                xml.Append("<RltdPties>");
                xml.Append(name.Length == 0 ? "" : v08 ? $"<{party}><Pty><Nm>{name}</Nm></Pty></{party}>" : $"<{party}><Nm>{name}</Nm></{party}>");
                xml.Append(e.Iban is { } iban ? $"<{party}Acct><Id><IBAN>{iban}</IBAN></Id></{party}Acct>" : "");
                xml.Append("</RltdPties>");
                xml.Append(e.Text.Length > 0 ? $"<RmtInf><Ustrd>{SecurityElement.Escape(e.Text)}</Ustrd></RmtInf>" : "");
                xml.Append(e.ReturnReason is { } reason ? $"<RtrInf><Rsn><Cd>{reason}</Cd></Rsn></RtrInf>" : "");
                xml.Append("</TxDtls>");
            }

            xml.Append("</NtryDtls></Ntry>\n");
        }

        xml.Append("</Stmt></BkToCstmrStmt></Document>\n");
        File.WriteAllText(path, xml.ToString(), new UTF8Encoding(false));
        return path;
    }

    /// <summary>A pain.002 (.001.03 or .001.10) answering the pain.001 <paramref name="originalMessageId"/>: a group status, and a status per EndToEndId.</summary>
    public static string StatusReport(string path, string originalMessageId, string? groupStatus, IReadOnlyList<(string EndToEndId, string Status, string? Reason)> payments,
        string version = "10", string messageId = "TEST-PSR-1", string? groupReason = null)
    {
        var xml = new StringBuilder();
        xml.Append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.Append(CultureInfo.InvariantCulture, $"<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:pain.002.001.{version}\"><CstmrPmtStsRpt>\n");
        xml.Append(CultureInfo.InvariantCulture, $"<GrpHdr><MsgId>{messageId}</MsgId><CreDtTm>2026-10-26T08:15:00</CreDtTm></GrpHdr>\n");
        xml.Append(CultureInfo.InvariantCulture, $"<OrgnlGrpInfAndSts><OrgnlMsgId>{originalMessageId}</OrgnlMsgId><OrgnlMsgNmId>pain.001.001.09</OrgnlMsgNmId>");
        xml.Append(groupStatus is { } g ? $"<GrpSts>{g}</GrpSts>" : "");
        xml.Append(groupReason is { } r ? $"<StsRsnInf><Rsn><Cd>{r}</Cd></Rsn></StsRsnInf>" : "");
        xml.Append("</OrgnlGrpInfAndSts>");
        if (payments.Count > 0)
        {
            xml.Append(CultureInfo.InvariantCulture, $"<OrgnlPmtInfAndSts><OrgnlPmtInfId>{originalMessageId}-X</OrgnlPmtInfId>");
            foreach (var (endToEnd, status, reason) in payments)
            {
                xml.Append(CultureInfo.InvariantCulture, $"<TxInfAndSts><OrgnlEndToEndId>{endToEnd}</OrgnlEndToEndId><TxSts>{status}</TxSts>");
                xml.Append(reason is { } why ? $"<StsRsnInf><Rsn><Cd>{why}</Cd></Rsn></StsRsnInf>" : "");
                xml.Append("</TxInfAndSts>");
            }

            xml.Append("</OrgnlPmtInfAndSts>");
        }

        xml.Append("</CstmrPmtStsRpt></Document>\n");
        File.WriteAllText(path, xml.ToString(), new UTF8Encoding(false));
        return path;
    }
}
