using System.Globalization;
using NodaTime;

namespace Ontzorging.Domain.Batches;

/// <summary>
/// The deterministic identity of a payment (DOMAIN.md §9): household, obligation (a contract, or
/// leefgeld), due date (leefgeld: execution date) and attempt. It is the pain.001 EndToEndId, so a
/// bank refuses a payment sent twice; a payment re-sent after a return gets the next attempt.
/// </summary>
public sealed record PaymentKey(string Household, string Obligation, LocalDate Date, int Attempt)
{
    public const int MaxLength = 35;

    public const string LeefgeldObligation = "LG";

    public static string ContractObligation(long contractId) => string.Create(CultureInfo.InvariantCulture, $"C{contractId}");

    /// <summary>HH-0001/C12/20260401/1 — at most 35 characters of the SEPA character set.</summary>
    public string EndToEndId
    {
        get
        {
            var id = string.Create(CultureInfo.InvariantCulture, $"{Household}/{Obligation}/{Date:yyyyMMdd}/{Attempt}");
            return id.Length <= MaxLength ? id : throw new InvalidOperationException($"EndToEndId '{id}' is longer than {MaxLength} characters");
        }
    }
}
