using System.Globalization;
using System.Text;
using System.Xml;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Sepa;

/// <summary>
/// Writes a SEPA credit transfer initiation (pain.001.001.09 by default, .03 on request) with an
/// <see cref="XmlWriter"/>, streaming: the payments come ordered by execution date and are never
/// held in memory together. One payment information block per execution date; NbOfTxs and CtrlSum
/// at both levels come from the header's groups, and a payment stream that disagrees with them is
/// refused rather than written.
/// </summary>
public static class Pain001Writer
{
    // Max70Text in pain.001.001.03 (Max140Text in .09): one limit, so both versions carry the same name.
    private const int MaxName = 70;

    private const int MaxRemittance = 140;

    public static void Write(Stream output, Pain001Version version, Pain001Header header, ManagedAccountOptions debtor, IEnumerable<Pain001Payment> payments)
    {
        var settings = new XmlWriterSettings { Encoding = new UTF8Encoding(false), Indent = false, Async = false };
        using var xml = XmlWriter.Create(output, settings);
        var ns = version.Namespace();
        xml.WriteStartDocument();
        xml.WriteStartElement("Document", ns);
        xml.WriteStartElement("CstmrCdtTrfInitn", ns);

        xml.WriteStartElement("GrpHdr", ns);
        Element(xml, ns, "MsgId", header.MessageId);
        Element(xml, ns, "CreDtTm", header.CreatedAt.ToDateTimeOffset().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
        Element(xml, ns, "NbOfTxs", header.Count.ToString(CultureInfo.InvariantCulture));
        Element(xml, ns, "CtrlSum", header.Sum.ToString());
        xml.WriteStartElement("InitgPty", ns);
        Element(xml, ns, "Nm", Name(header.InitiatingParty));
        xml.WriteEndElement();
        xml.WriteEndElement();

        using var stream = payments.GetEnumerator();
        var pending = stream.MoveNext() ? stream.Current : null;
        foreach (var group in header.Groups.OrderBy(g => g.ExecutionDate))
        {
            xml.WriteStartElement("PmtInf", ns);
            Element(xml, ns, "PmtInfId", $"{header.MessageId[..Math.Min(header.MessageId.Length, 26)]}-{group.ExecutionDate:yyyyMMdd}");
            Element(xml, ns, "PmtMtd", "TRF");
            Element(xml, ns, "BtchBookg", "true");
            Element(xml, ns, "NbOfTxs", group.Count.ToString(CultureInfo.InvariantCulture));
            Element(xml, ns, "CtrlSum", group.Sum.ToString());
            xml.WriteStartElement("PmtTpInf", ns);
            xml.WriteStartElement("SvcLvl", ns);
            Element(xml, ns, "Cd", "SEPA");
            xml.WriteEndElement();
            xml.WriteEndElement();
            if (version == Pain001Version.V09)
            {
                xml.WriteStartElement("ReqdExctnDt", ns);
                Element(xml, ns, "Dt", Formats.Text(group.ExecutionDate));
                xml.WriteEndElement();
            }
            else
            {
                Element(xml, ns, "ReqdExctnDt", Formats.Text(group.ExecutionDate));
            }

            xml.WriteStartElement("Dbtr", ns);
            Element(xml, ns, "Nm", Name(debtor.Name));
            xml.WriteEndElement();
            Account(xml, ns, "DbtrAcct", debtor.Iban);
            xml.WriteStartElement("DbtrAgt", ns);
            xml.WriteStartElement("FinInstnId", ns);
            if (!string.IsNullOrWhiteSpace(debtor.Bic))
            {
                Element(xml, ns, version == Pain001Version.V09 ? "BICFI" : "BIC", debtor.Bic);
            }
            else
            {
                xml.WriteStartElement("Othr", ns);
                Element(xml, ns, "Id", "NOTPROVIDED");
                xml.WriteEndElement();
            }

            xml.WriteEndElement();
            xml.WriteEndElement();
            Element(xml, ns, "ChrgBr", "SLEV");

            var count = 0;
            var sum = Money.Zero;
            while (pending is not null && pending.ExecutionDate == group.ExecutionDate)
            {
                Transaction(xml, ns, pending);
                count++;
                sum += pending.Amount;
                pending = stream.MoveNext() ? stream.Current : null;
            }

            if (count != group.Count || sum != group.Sum)
            {
                throw new InvalidOperationException($"Payments for {group.ExecutionDate:yyyy-MM-dd} were {count} totalling {sum}, but the header says {group.Count} totalling {group.Sum}");
            }

            xml.WriteEndElement();
        }

        if (pending is not null)
        {
            throw new InvalidOperationException($"Payment {pending.EndToEndId} on {pending.ExecutionDate:yyyy-MM-dd} belongs to no group of the header (payments must come ordered by execution date)");
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteEndDocument();
    }

    private static void Transaction(XmlWriter xml, string ns, Pain001Payment payment)
    {
        xml.WriteStartElement("CdtTrfTxInf", ns);
        xml.WriteStartElement("PmtId", ns);
        Element(xml, ns, "EndToEndId", payment.EndToEndId);
        xml.WriteEndElement();
        xml.WriteStartElement("Amt", ns);
        xml.WriteStartElement("InstdAmt", ns);
        xml.WriteAttributeString("Ccy", "EUR");
        xml.WriteString(payment.Amount.ToString());
        xml.WriteEndElement();
        xml.WriteEndElement();
        xml.WriteStartElement("Cdtr", ns);
        Element(xml, ns, "Nm", Name(payment.CreditorName));
        xml.WriteEndElement();
        Account(xml, ns, "CdtrAcct", payment.CreditorIban.Value);
        xml.WriteStartElement("RmtInf", ns);
        switch (payment.Reference)
        {
            case { Kind: PaymentReferenceKind.Betalingskenmerk or PaymentReferenceKind.Rf } reference:
                xml.WriteStartElement("Strd", ns);
                xml.WriteStartElement("CdtrRefInf", ns);
                xml.WriteStartElement("Tp", ns);
                xml.WriteStartElement("CdOrPrtry", ns);
                Element(xml, ns, "Cd", "SCOR");
                xml.WriteEndElement();
                Element(xml, ns, "Issr", reference.Kind == PaymentReferenceKind.Betalingskenmerk ? "CUR" : "ISO");
                xml.WriteEndElement();
                Element(xml, ns, "Ref", reference.Value);
                xml.WriteEndElement();
                xml.WriteEndElement();
                break;
            case { } freeText:
                Element(xml, ns, "Ustrd", SepaText.Transliterate(freeText.Value, MaxRemittance));
                break;
            default:
                Element(xml, ns, "Ustrd", SepaText.Transliterate(payment.Description, MaxRemittance));
                break;
        }

        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Account(XmlWriter xml, string ns, string element, string iban)
    {
        xml.WriteStartElement(element, ns);
        xml.WriteStartElement("Id", ns);
        Element(xml, ns, "IBAN", iban);
        xml.WriteEndElement();
        xml.WriteEndElement();
    }

    private static void Element(XmlWriter xml, string ns, string name, string value) => xml.WriteElementString(name, ns, value);

    private static string Name(string text) => SepaText.Transliterate(text, MaxName);
}
