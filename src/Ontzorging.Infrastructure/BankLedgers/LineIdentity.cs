using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// The line identity rule (README, "Auditors"): a statement line is its account, booking date,
/// amount, counterparty and description, and its occurrence among identical lines of that day. Its
/// key is a hash of that, so the same transaction keeps one key whichever file or format brought it.
/// </summary>
public sealed partial class BankStatementImporter
{
    /// <summary>
    /// Each line with its occurrence, identity key and hints, in identity-key order. The k-th of
    /// identical lines on a day gets occurrence k, and its key is a hash of the line's identity and
    /// k: the same statement imported twice, or two overlapping statements, give the same keys.
    /// Hashing and classifying run on <paramref name="cores"/> cores. The lines are structs in one
    /// array: a million small objects, visited again in key order, cost more in cache misses than
    /// the work done on them.
    /// </summary>
    private static StagedLine[] Stage(List<BankLine> lines, StatementClassifier classifier, bool[] matchable, int cores)
    {
        var staged = new StagedLine[lines.Count];
        var order = new UInt128[lines.Count];
        Parallel.ForEach(Partitioner.Create(0, lines.Count, 16_384), new ParallelOptions { MaxDegreeOfParallelism = cores }, range =>
        {
            using var identity = new IdentityWriter();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var line = lines[i];
                identity.Start(line);
                var key = identity.Key(1, out order[i]);
                staged[i] = new StagedLine(line, 1, key, classifier.Classify(line), matchable[i]);
            }
        });

        // The key of a line's first occurrence stands for its identity (128 bits of SHA-256), so
        // identical lines of a day lie together once sorted; in file order they are occurrences
        // 1, 2, 3… and the later ones get keys of their own.
        Array.Sort(order, staged);
        var renumbered = false;
        using var again = new IdentityWriter();
        for (int start = 0, end; start < staged.Length; start = end)
        {
            for (end = start + 1; end < staged.Length && order[end] == order[start]; end++)
            {
            }

            if (end - start > 1)
            {
                var same = staged.AsSpan(start, end - start);
                same.Sort((x, y) => x.Line.Line.CompareTo(y.Line.Line));
                again.Start(same[0].Line);
                for (var k = 1; k < same.Length; k++)
                {
                    same[k].Occurrence = k + 1;
                    same[k].Key = again.Key(k + 1, out order[start + k]);
                }

                renumbered = true;
            }
        }

        if (renumbered)
        {
            Array.Sort(order, staged);
        }

        return staged;
    }

    /// <summary>
    /// The first 16 bytes of the SHA-256 of a line's identity and occurrence, as a uuid in the hash's
    /// byte order: the first 32 hex digits of the key lines had before migration 0011.
    /// </summary>
    public static Guid IdentityKey(string identityAndOccurrence)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(identityAndOccurrence), hash);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>The identity key of the <paramref name="occurrence"/>-th line like <paramref name="line"/> on its day.</summary>
    public static Guid IdentityKey(BankLine line, int occurrence)
    {
        using var identity = new IdentityWriter();
        identity.Start(line);
        return identity.Key(occurrence, out _);
    }

    /// <summary>
    /// Writes <see cref="BankLine.Identity"/> as UTF-8 without building the string, and hashes it
    /// with an occurrence into the key, as <see cref="IdentityKey(string)"/> computes it.
    /// </summary>
    private sealed class IdentityWriter : IDisposable
    {
        private const byte Separator = 0x1f;

        // One hash object for all the lines a writer keys: a one-shot hash sets up a new one per line.
        private readonly IncrementalHash sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

        private byte[] buffer = new byte[512];
        private int length;

        public void Dispose() => sha256.Dispose();

        /// <summary>Writes the identity of <paramref name="line"/>.</summary>
        public void Start(BankLine line)
        {
            length = 0;
            Text(line.Account);
            Separate();
            Date(line.BookingDate);
            Separate();
            Amount(line.Amount);
            Separate();
            Text(line.CounterpartyIban ?? "");
            Separate();
            Text(line.CounterpartyName);
            Separate();
            Text(line.Description);
        }

        /// <summary>The key of the identity written last with <paramref name="occurrence"/>; <paramref name="order"/> sorts keys as PostgreSQL sorts uuids.</summary>
        public Guid Key(int occurrence, out UInt128 order)
        {
            var identity = length;
            Separate();
            Reserve(11);
            occurrence.TryFormat(buffer.AsSpan(length), out var written, provider: CultureInfo.InvariantCulture);
            length += written;
            order = Hash(out var key);
            length = identity;
            return key;
        }

        private UInt128 Hash(out Guid key)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            sha256.AppendData(buffer.AsSpan(0, length));
            sha256.GetHashAndReset(hash);
            key = new Guid(hash[..16], bigEndian: true);
            return BinaryPrimitives.ReadUInt128BigEndian(hash);
        }

        /// <summary>yyyy-MM-dd, as <see cref="BankLine.Identity"/> writes the date.</summary>
        private void Date(LocalDate date)
        {
            Reserve(10);
            date.ToDateOnly().TryFormat(buffer.AsSpan(length), out var written, "O", CultureInfo.InvariantCulture); // ISO 8601: yyyy-MM-dd
            length += written;
        }

        private void Amount(Money amount)
        {
            Reserve(Money.MaxTextLength);
            amount.TryFormat(buffer.AsSpan(length), out var written);
            length += written;
        }

        private void Separate()
        {
            Reserve(1);
            buffer[length++] = Separator;
        }

        private void Text(string text)
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            length += Encoding.UTF8.GetBytes(text, buffer.AsSpan(length));
        }

        private void Reserve(int bytes)
        {
            if (length + bytes > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes));
            }
        }
    }
}
