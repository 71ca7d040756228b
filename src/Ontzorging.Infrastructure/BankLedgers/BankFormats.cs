using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>The bank export formats the auditors bring (README: "Bank ledger formats").</summary>
public enum BankFormat
{
    Ing,
    IngSemicolon,
    Rabobank,
    AbnAmro,
    Generic,

    /// <summary>ISO 20022 camt.053 (.001.02 or .001.08), read by <see cref="Camt053Reader"/>.</summary>
    Camt053,

    /// <summary>ISO 20022 pain.002 (.001.03 or .001.10): not a statement but the bank's status report on a payment file, imported by <see cref="PaymentStatusImporter"/>.</summary>
    Pain002,
}

/// <summary>Which bank format a file is, from its header or its first line, and whether its header has the format's columns.</summary>
public static partial class BankStatementReader
{
    public static readonly string[] GenericColumns = ["account", "booking_date", "amount", "counterparty_iban", "counterparty_name", "description", "reference"];

    /// <summary>An optional last column of the generic format: why the bank returned a payment.</summary>
    public const string GenericReturnReason = "return_reason";

    private static readonly string[] IngColumns = ["Datum", "Naam / Omschrijving", "Rekening", "Tegenrekening", "Code", "Af Bij", "Bedrag (EUR)", "Mutatiesoort", "Mededelingen"];
    private static readonly string[] RabobankDescriptions = ["Omschrijving-1", "Omschrijving-2", "Omschrijving-3"];

    private const int DetectionBytes = 64 * 1024;

    /// <summary>An ABN AMRO TXT*.TAB line: account, currency, date, start balance, end balance, value date, amount, description.</summary>
    private const int AbnAmroFields = 8;

    /// <summary>The format, from the start of the file (<see cref="DetectionBytes"/>): its header, or the shape of its first line.</summary>
    private static BankFormat? Detect(string head)
    {
        var first = head.Split('\n', 2)[0].Trim();
        var firstData = head.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Length > 0 && !l.StartsWith('#')) ?? "";
        if (first.StartsWith("\"Datum\",\"Naam / Omschrijving\"", StringComparison.Ordinal) || first.StartsWith("Datum,Naam / Omschrijving", StringComparison.Ordinal))
        {
            return BankFormat.Ing;
        }

        if (first.StartsWith("Datum;Naam / Omschrijving", StringComparison.Ordinal) || first.StartsWith("\"Datum\";\"Naam / Omschrijving\"", StringComparison.Ordinal))
        {
            return BankFormat.IngSemicolon;
        }

        if (first.Contains("IBAN/BBAN", StringComparison.Ordinal) && first.Contains("Volgnr", StringComparison.Ordinal))
        {
            return BankFormat.Rabobank;
        }

        if (first.Replace("\"", "", StringComparison.Ordinal).StartsWith(string.Join(',', GenericColumns[..3]), StringComparison.Ordinal))
        {
            return BankFormat.Generic;
        }

        return firstData.Split('\t').Length == AbnAmroFields ? BankFormat.AbnAmro : null;
    }

    private static bool HeaderOk(BankFormat format, List<string> header, string file, List<InputError> errors)
    {
        string[] required = format switch
        {
            BankFormat.Ing or BankFormat.IngSemicolon => IngColumns,
            BankFormat.Rabobank => ["IBAN/BBAN", "Datum", "Bedrag", "Tegenrekening IBAN/BBAN", "Naam tegenpartij", "Omschrijving-1"],
            BankFormat.Generic => GenericColumns[..6],
            _ => [],
        };
        var missing = required.Where(r => !header.Contains(r, StringComparer.OrdinalIgnoreCase)).ToList();
        foreach (var column in missing)
        {
            errors.Add(new InputError(file, 1, column, "required column is missing from the header"));
        }

        // Ours is a closed format: a column we do not know is a file of another shape, not one to guess at.
        var unknown = format == BankFormat.Generic
            ? header.Where(h => !GenericColumns.Append(GenericReturnReason).Contains(h, StringComparer.OrdinalIgnoreCase)).ToList()
            : [];
        foreach (var column in unknown)
        {
            errors.Add(new InputError(file, 1, column, $"unknown column; the generic format has {string.Join(", ", GenericColumns)} and optionally {GenericReturnReason}"));
        }

        return missing.Count == 0 && unknown.Count == 0;
    }
}
