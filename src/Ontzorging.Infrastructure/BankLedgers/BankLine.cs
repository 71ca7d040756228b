using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// One transaction on a bank statement, whatever the bank: money in is positive, money out is
/// negative. <see cref="Line"/> is where it stood in the file, for error messages. A bank that
/// returns one of our payments says why in <see cref="ReturnReason"/> when its format has a place for it.
/// Where the bank's file carries the account's balance after each transaction (ING semicolon's
/// "Saldo na mutatie", Rabobank's "Saldo na trn", ABN AMRO's end balance) it is <see cref="Balance"/>;
/// it is not part of the line's identity. A camt.053 entry that books a whole pain.001 batch as one
/// amount carries what the bank says of that batch in <see cref="Batch"/>; it is not part of the
/// line's identity either, nor is the bank's own reference of an entry (<see cref="BankReference"/>,
/// camt.053's AcctSvcrRef).
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
    Money? Balance = null,
    BatchBooking? Batch = null,
    string? BankReference = null)
{
    /// <summary>What makes two lines the same transaction, except for the occurrence index among identical lines of a day.</summary>
    public string Identity => string.Join('\u001f', Account, BookingDate.ToString("yyyy-MM-dd", null), Amount.ToString(), CounterpartyIban ?? "", CounterpartyName, Description);
}

/// <summary>
/// What a camt.053 entry says of the batch it books as one amount (docs/rules.md §9, batch
/// bookings): the pain.001 MsgId and PmtInfId it names, the number of transactions, and one
/// <see cref="BatchBookingPayment"/> per transaction when the bank gives the details.
/// </summary>
public sealed record BatchBooking(string? MessageId, string? PaymentInformationId, int? Transactions, IReadOnlyList<BatchBookingPayment> Payments);

/// <summary>One transaction of a batch booking: its EndToEndId and, when the bank gives it, its amount.</summary>
public sealed record BatchBookingPayment(string EndToEndId, Money? Amount);
