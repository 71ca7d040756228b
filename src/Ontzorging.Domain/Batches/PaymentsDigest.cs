using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;

namespace Ontzorging.Domain.Batches;

/// <summary>What one payment pays, to whom and when: the facts a batch's digest covers, as stored.</summary>
public readonly record struct PaidFacts(string PayeeName, string PayeeIban, Money Amount, LocalDate ExecutionDate, string? Reference, string EndToEndId, string Kind);

/// <summary>
/// The digest of a batch's payments (docs/rules.md §14): how many there are, their control sum, and
/// a SHA-256 over what each one pays. The preparation computes it from the rows it writes, the
/// approval keeps it, and an export computes it again from the rows it writes to the file; a batch
/// whose rows no longer give the approved digest is not exported.
/// <para>
/// The hash, so that anyone can compute it again: each payment is encoded as its payee name, IBAN,
/// amount, execution date, reference, EndToEndId and kind, in that order, each field as the UTF-8
/// bytes of its text preceded by their number as a 4-byte big-endian integer (a missing reference
/// as the number FF FF FF FF and no bytes). The amount's text is euros with a point and two
/// decimals (<c>1234.50</c>), the date's <c>2026-06-01</c>, the others as stored. Each payment's
/// encoding is hashed with SHA-256; the batch's hash is the SHA-256 of those 32-byte hashes sorted in
/// ascending byte order and written one after the other (of nothing, for a batch without payments).
/// Sorting makes the hash independent of the order in which rows are read or written.
/// </para>
/// </summary>
public sealed record PaymentsDigest(int Count, Money ControlSum, string Sha256)
{
    /// <summary>The digest of no payments at all.</summary>
    public static PaymentsDigest None { get; } = Of([]);

    public static PaymentsDigest Of(IEnumerable<PaidFacts> payments)
    {
        var builder = new Builder();
        foreach (var payment in payments)
        {
            builder.Add(payment);
        }

        return builder.Digest();
    }

    /// <summary>
    /// Why batch <paramref name="batch"/> is not exported: the payments it would write
    /// (<paramref name="written"/>) are not the ones approved, or its approval keeps no digest
    /// (it was approved before approvals kept one). Null when they are the approved ones.
    /// </summary>
    public static Refusal? ExportRefusal(long batch, PaymentsDigest? approved, PaymentsDigest written) => approved switch
    {
        null => Refusal.Of(RefusalCode.ApprovedWithoutDigest, null, ("batch", batch)),
        _ when approved == written => null,
        _ => Refusal.Of(RefusalCode.PaymentsNotAsApproved, null, ("batch", batch), ("approvedCount", approved.Count), ("approvedSum", approved.ControlSum),
            ("count", written.Count), ("sum", written.ControlSum)),
    };

    /// <summary>
    /// Adds payments one at a time (not thread-safe), for rows streamed to or from the database; 32
    /// bytes a payment are kept until <see cref="Digest"/>, room for <c>expected</c> of them at once.
    /// </summary>
    public sealed class Builder(int expected = 0)
    {
        private const int HashLength = 32;
        private readonly List<RowHash> rows = new(expected);
        private byte[] encoding = new byte[256];
        private Money sum = Money.Zero;

        public void Add(in PaidFacts payment)
        {
            var at = 0;
            Field(ref at, payment.PayeeName);
            Field(ref at, payment.PayeeIban);
            Amount(ref at, payment.Amount);
            Date(ref at, payment.ExecutionDate);
            Field(ref at, payment.Reference);
            Field(ref at, payment.EndToEndId);
            Field(ref at, payment.Kind);
            Span<byte> hash = stackalloc byte[HashLength];
            SHA256.HashData(encoding.AsSpan(0, at), hash);
            rows.Add(RowHash.Of(hash));
            sum += payment.Amount;
        }

        public PaymentsDigest Digest()
        {
            rows.Sort();
            using var batch = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            Span<byte> hash = stackalloc byte[HashLength];
            foreach (var row in rows)
            {
                row.CopyTo(hash);
                batch.AppendData(hash);
            }

            return new PaymentsDigest(rows.Count, sum, Convert.ToHexStringLower(batch.GetHashAndReset()));
        }

        // Written straight into the encoding (620,000 payments are hashed at preparation and again at
        // export): the same bytes as Money.ToString() and the ISO date pattern, without their strings.
        private void Amount(ref int at, Money amount)
        {
            Room(at, 4 + Money.MaxTextLength);
            amount.TryFormat(encoding.AsSpan(at + 4), out var written);
            BinaryPrimitives.WriteUInt32BigEndian(encoding.AsSpan(at), (uint)written);
            at += 4 + written;
        }

        private void Date(ref int at, LocalDate date)
        {
            Room(at, 4 + 10);
            BinaryPrimitives.WriteUInt32BigEndian(encoding.AsSpan(at), 10);
            var text = encoding.AsSpan(at + 4, 10);
            date.Year.TryFormat(text, out _, "0000", CultureInfo.InvariantCulture);
            text[4] = (byte)'-';
            date.Month.TryFormat(text[5..], out _, "00", CultureInfo.InvariantCulture);
            text[7] = (byte)'-';
            date.Day.TryFormat(text[8..], out _, "00", CultureInfo.InvariantCulture);
            at += 4 + 10;
        }

        private void Room(int at, int length)
        {
            if (encoding.Length < at + length)
            {
                Array.Resize(ref encoding, Math.Max(encoding.Length * 2, at + length));
            }
        }

        private void Field(ref int at, string? text)
        {
            var length = text is null ? 0 : Encoding.UTF8.GetByteCount(text);
            Room(at, 4 + length);

            BinaryPrimitives.WriteUInt32BigEndian(encoding.AsSpan(at), text is null ? uint.MaxValue : (uint)length);
            at += 4;
            if (text is not null)
            {
                at += Encoding.UTF8.GetBytes(text, encoding.AsSpan(at));
            }
        }
    }

    /// <summary>A payment's 32-byte hash as four big-endian words, so that comparing them compares the bytes.</summary>
    private readonly record struct RowHash(ulong A, ulong B, ulong C, ulong D) : IComparable<RowHash>
    {
        public static RowHash Of(ReadOnlySpan<byte> hash) => new(
            BinaryPrimitives.ReadUInt64BigEndian(hash), BinaryPrimitives.ReadUInt64BigEndian(hash[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(hash[16..]), BinaryPrimitives.ReadUInt64BigEndian(hash[24..]));

        public void CopyTo(Span<byte> hash)
        {
            BinaryPrimitives.WriteUInt64BigEndian(hash, A);
            BinaryPrimitives.WriteUInt64BigEndian(hash[8..], B);
            BinaryPrimitives.WriteUInt64BigEndian(hash[16..], C);
            BinaryPrimitives.WriteUInt64BigEndian(hash[24..], D);
        }

        public int CompareTo(RowHash other) =>
            A != other.A ? A.CompareTo(other.A) : B != other.B ? B.CompareTo(other.B) : C != other.C ? C.CompareTo(other.C) : D.CompareTo(other.D);
    }
}
