namespace Ontzorging.Domain.Ledger;

public enum AccountType
{
    Asset,
    Liability,
    Equity,
    Expense,
}

/// <summary>The chart of accounts of docs/rules.md §9.</summary>
public static class Accounts
{
    public const string Bank = "bank";
    public const string InTransit = "in_transit";
    public const string BijstandReceivable = "bijstand_receivable";
    public const string CreditFund = "credit_fund";
    public const string CreditLosses = "credit_losses";

    /// <summary>Equity: what households held, and owed in credit, before the engine kept the ledger (an opening position, §20).</summary>
    public const string Cutover = "cutover";

    public static string Household(string reference) => $"household:{reference}";

    public static string Credit(string reference) => $"credit:{reference}";

    public static AccountType TypeOf(string account) => account switch
    {
        Bank or InTransit or BijstandReceivable => AccountType.Asset,
        CreditFund or Cutover => AccountType.Equity,
        CreditLosses => AccountType.Expense,
        _ when account.StartsWith("household:", StringComparison.Ordinal) => AccountType.Liability,
        _ when account.StartsWith("credit:", StringComparison.Ordinal) => AccountType.Asset,
        _ => throw new ArgumentException($"unknown account '{account}'", nameof(account)),
    };
}
