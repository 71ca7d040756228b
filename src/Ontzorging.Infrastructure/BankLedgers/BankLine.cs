using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// One transaction on a bank statement, whatever the bank: money in is positive, money out is
/// negative. <see cref="Line"/> is where it stood in the file, for error messages. A bank that
/// returns one of our payments says why in <see cref="ReturnReason"/> when its format has a place for it.
/// Where the bank's file carries the account's balance after each transaction (ING semicolon's
/// "Saldo na mutatie", Rabobank's "Saldo na trn", ABN AMRO's end balance) it is <see cref="Balance"/>;
/// it is not part of the line's identity.
/// </summary>
public sealed record BankLine(
    int Line,
    string Account,
    LocalDate BookingDate,
    Money Amount,
    string? CounterpartyIban,
    string CounterpartyName,
    string Description,
    string? Reference,
    string? ReturnReason = null,
    Money? Balance = null)
{
    /// <summary>What makes two lines the same transaction, except for the occurrence index among identical lines of a day.</summary>
    public string Identity => string.Join('\u001f', Account, BookingDate.ToString("yyyy-MM-dd", null), Amount.ToString(), CounterpartyIban ?? "", CounterpartyName, Description);
}
