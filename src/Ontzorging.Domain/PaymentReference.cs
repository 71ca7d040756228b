namespace Ontzorging.Domain;

public enum PaymentReferenceKind
{
    /// <summary>Dutch 16-digit structured creditor reference; pain.001 SCOR/CUR.</summary>
    Betalingskenmerk,

    /// <summary>ISO 11649 creditor reference "RF.."; pain.001 SCOR/ISO.</summary>
    Rf,

    /// <summary>Unstructured remittance text, at most 140 characters.</summary>
    FreeText,
}

/// <summary>What a creditor asks us to quote with a payment (docs/rules.md §10).</summary>
public sealed record PaymentReference(PaymentReferenceKind Kind, string Value)
{
    public const int MaxFreeTextLength = 140;

    /// <summary>
    /// 16 digits is a betalingskenmerk and must pass its check digit; "RF…" is an ISO 11649
    /// reference and must pass mod-97; anything else is free text up to 140 characters,
    /// kept in NFC, without control or hidden characters (docs/rules.md §10).
    /// </summary>
    public static ParseResult<PaymentReference> Parse(string? text)
    {
        var s = TextRules.Nfc(text?.Trim() ?? "");
        if (s.Length == 0)
        {
            return ParseResult<PaymentReference>.Fail("reference is empty");
        }

        if (s.Length == 16 && s.All(char.IsAsciiDigit))
        {
            return BetalingskenmerkCheckDigit(s) == s[0] - '0'
                ? ParseResult<PaymentReference>.Ok(new(PaymentReferenceKind.Betalingskenmerk, s))
                : ParseResult<PaymentReference>.Fail($"'{s}' fails the betalingskenmerk check digit");
        }

        if (s.StartsWith("RF", StringComparison.OrdinalIgnoreCase))
        {
            var rf = s.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
            var valid = rf.Length is >= 5 and <= 25 && char.IsAsciiDigit(rf[2]) && char.IsAsciiDigit(rf[3])
                && rf.All(char.IsAsciiLetterOrDigit) && Iban.Mod97(rf) == 1;
            return valid
                ? ParseResult<PaymentReference>.Ok(new(PaymentReferenceKind.Rf, rf))
                : ParseResult<PaymentReference>.Fail($"'{s}' fails the RF creditor reference check (ISO 11649)");
        }

        return TextRules.Problem(s, MaxFreeTextLength) is { } problem
            ? ParseResult<PaymentReference>.Fail($"free-text reference {problem}")
            : ParseResult<PaymentReference>.Ok(new(PaymentReferenceKind.FreeText, s));
    }

    /// <summary>
    /// Weights 2,4,8,5,10,9,7,3,6,1 repeating from the right over the last 15 digits;
    /// check = 11 − sum mod 11, where 10 becomes 1 and 11 becomes 0.
    /// </summary>
    internal static int BetalingskenmerkCheckDigit(string sixteenDigits)
    {
        int[] weights = [2, 4, 8, 5, 10, 9, 7, 3, 6, 1];
        var sum = 0;
        for (var i = 0; i < 15; i++)
        {
            sum += (sixteenDigits[15 - i] - '0') * weights[i % weights.Length];
        }

        var check = 11 - sum % 11;
        return check switch { 10 => 1, 11 => 0, _ => check };
    }
}
