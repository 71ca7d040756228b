using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Sepa;

public enum Pain001Version
{
    V09,
    V03,
}

/// <summary>The municipality's managed account (beheerrekening): the debtor of every payment. Bound from <c>Ontzorging:ManagedAccount</c>.</summary>
public sealed class ManagedAccountOptions
{
    public const string SectionName = "Ontzorging:ManagedAccount";

    public string Name { get; set; } = "Gemeente Voorbeeld beheerrekening ontzorging";

    public string Iban { get; set; } = "NL82BNGH0285010001";

    /// <summary>Optional: most Dutch banks accept SEPA files without the debtor's BIC.</summary>
    public string? Bic { get; set; }

    /// <summary>
    /// The municipality's own account that transfers the bijstand the batches booked and funds the
    /// bridging credit: incoming statement lines from it are booked as those transfers.
    /// </summary>
    public string MunicipalityIban { get; set; } = "NL38BNGH0285000123";

    /// <summary>How statements name the managed account: its IBAN, or (ABN AMRO) its account number without leading zeros.</summary>
    public string[] StatementNames() => [Iban, AccountNumber(Iban).ToString()];

    /// <summary>
    /// Whether a statement line of <paramref name="account"/> is a line of the managed account: its
    /// IBAN or account number, leading zeros and spaces aside. Asked of every line of a statement,
    /// so it allocates nothing.
    /// </summary>
    public bool Holds(string account)
    {
        var name = account.AsSpan().Trim().TrimStart('0');
        if (name.Contains(' '))
        {
            return Holds(account.Replace(" ", "", StringComparison.Ordinal));
        }

        return name.Equals(Iban, StringComparison.OrdinalIgnoreCase) || name.Equals(AccountNumber(Iban), StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The account number in a Dutch IBAN (its last ten digits) without leading zeros, as ABN AMRO exports name an account.</summary>
    private static ReadOnlySpan<char> AccountNumber(string iban) => iban.Length >= 10 ? iban.AsSpan()[^10..].TrimStart('0') : iban;
}

/// <summary>One credit transfer as pain.001 carries it.</summary>
public sealed record Pain001Payment(string EndToEndId, LocalDate ExecutionDate, Money Amount, string CreditorName, Iban CreditorIban, PaymentReference? Reference, string Description);

/// <summary>The totals of one execution date: a pain.001 PmtInf block needs them before its transactions.</summary>
public sealed record Pain001Group(LocalDate ExecutionDate, int Count, Money Sum);

public sealed record Pain001Header(string MessageId, Instant CreatedAt, string InitiatingParty, IReadOnlyList<Pain001Group> Groups)
{
    public int Count => Groups.Sum(g => g.Count);

    public Money Sum => Money.Sum(Groups.Select(g => g.Sum));
}

public static class Pain001Versions
{
    public static string Code(this Pain001Version version) => version == Pain001Version.V09 ? "pain.001.001.09" : "pain.001.001.03";

    public static string Namespace(this Pain001Version version) => $"urn:iso:std:iso:20022:tech:xsd:{version.Code()}";

    public static Pain001Version? Parse(string text) => text switch
    {
        "09" or "pain.001.001.09" => Pain001Version.V09,
        "03" or "pain.001.001.03" => Pain001Version.V03,
        _ => null,
    };
}
