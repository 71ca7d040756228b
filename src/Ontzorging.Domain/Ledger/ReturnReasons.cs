namespace Ontzorging.Domain.Ledger;

/// <summary>
/// The reasons a bank gives for returning or rejecting a payment (ISO 20022 external status and
/// return reason codes), in words a caseworker reads, and what a reason means for the creditor's
/// account (docs/rules.md §9, "pain.002").
/// </summary>
public static class ReturnReasons
{
    private static readonly Dictionary<string, string> Words = new(StringComparer.Ordinal)
    {
        ["AC01"] = "incorrect account number",
        ["AC04"] = "account closed",
        ["AC06"] = "account blocked",
        ["AC13"] = "invalid debtor account type",
        ["AG01"] = "transaction forbidden on this account",
        ["AG02"] = "invalid bank operation code",
        ["AM04"] = "insufficient funds",
        ["AM05"] = "duplicate payment",
        ["BE04"] = "creditor address missing",
        ["BE05"] = "creditor not recognised",
        ["CNOR"] = "creditor bank not registered",
        ["CUST"] = "cancelled at the customer's request",
        ["DUPL"] = "duplicate payment",
        ["FF01"] = "invalid file format",
        ["MD07"] = "account holder deceased",
        ["MS02"] = "refused by the payee",
        ["MS03"] = "reason not specified",
        ["RC01"] = "bank identifier incorrect",
        ["RR01"] = "debtor account or identification missing",
        ["RR02"] = "debtor name or address missing",
        ["RR03"] = "creditor name or address missing",
        ["RR04"] = "regulatory reason",
        ["TM01"] = "received after the bank's cut-off time",
    };

    /// <summary>The code with its words and, when the bank adds some, the bank's own text: "AC04 account closed: rekening opgeheven".</summary>
    public static string Describe(string? code, string? bankText)
    {
        var words = code is null ? "reason not given" : Words.TryGetValue(code, out var known) ? $"{code} {known}" : code;
        var text = string.IsNullOrWhiteSpace(bankText) ? words : $"{words}: {bankText.Trim()}";
        return text.Length <= 140 ? text : text[..140];
    }

    /// <summary>Whether the reason says the creditor's account cannot be paid again as it is (closed, or not a valid account number).</summary>
    public static bool RefusesAccount(string? code) => code is "AC04" or "AC01";
}
