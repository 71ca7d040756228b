using Ontzorging.Domain.Batches;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>How each format's record becomes a <see cref="BankLine"/>: which columns, which amount shape, which direction.</summary>
public static partial class BankStatementReader
{
    private static BankLine Ing(Row row)
    {
        var amount = row.Amount("Bedrag (EUR)", BankAmountShape.Ing);
        var direction = row.Text("Af Bij");
        if (direction is not ("Af" or "Bij"))
        {
            row.Error("Af Bij", $"'{direction}' is neither Af nor Bij");
        }

        var description = row.Optional("Mededelingen") ?? "";
        return new BankLine(row.Line, row.Text("Rekening"), row.Date("Datum", DateFormat.Compact), direction == "Af" ? -amount : amount,
            row.Optional("Tegenrekening"), row.Text("Naam / Omschrijving"), description, PaymentKey.FindIn(description),
            Balance: row.OptionalAmount("Saldo na mutatie", BankAmountShape.SignedDecimalComma));
    }

    private static BankLine Rabobank(Row row)
    {
        var description = string.Join(' ', RabobankDescriptions.Select(row.Optional).Where(d => d is not null));
        var reference = row.Optional("Betalingskenmerk") ?? row.Optional("Transactiereferentie") ?? PaymentKey.FindIn(description);
        return new BankLine(row.Line, row.Text("IBAN/BBAN"), row.Date("Datum", DateFormat.Iso), row.Amount("Bedrag", BankAmountShape.SignedDecimalComma),
            row.Optional("Tegenrekening IBAN/BBAN"), row.Optional("Naam tegenpartij") ?? "", description, reference, row.Optional("Reden retour"),
            row.OptionalAmount("Saldo na trn", BankAmountShape.SignedDecimalComma));
    }

    private static BankLine AbnAmro(Row row)
    {
        // account, currency, date, start balance, end balance, value date, signed amount, description
        var description = row.Field(7, "description");
        return new BankLine(row.Line, row.Field(0, "account"), row.Date(2, "date", DateFormat.Compact), row.Amount(6, "amount", BankAmountShape.SignedDecimalComma),
            Between(description, "IBAN: ", " "), Between(description, "Naam: ", "  ") ?? "", description.Trim(), PaymentKey.FindIn(description),
            Balance: row.Amount(4, "end balance", BankAmountShape.SignedDecimalComma));
    }

    private static BankLine Generic(Row row) =>
        new(row.Line, row.Text("account"), row.Date("booking_date", DateFormat.Iso), row.Amount("amount", BankAmountShape.Generic),
            row.Optional("counterparty_iban"), row.Optional("counterparty_name") ?? "", row.Optional("description") ?? "", row.Optional("reference"),
            row.Optional(GenericReturnReason));

    private static string? Between(string text, string start, string end)
    {
        var from = text.IndexOf(start, StringComparison.Ordinal);
        if (from < 0)
        {
            return null;
        }

        from += start.Length;
        var to = text.IndexOf(end, from, StringComparison.Ordinal);
        var value = (to < 0 ? text[from..] : text[from..to]).Trim();
        return value.Length == 0 ? null : value;
    }
}
