using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Text;
using NodaTime;
using Npgsql;
using NpgsqlTypes;

namespace Ontzorging.Infrastructure.Database;

/// <summary>
/// Bulk writes with PostgreSQL's binary COPY: the rows stream to the server in the current
/// transaction without being gathered into statement parameters first. Rows are written with the
/// synchronous column writers: they only copy into Npgsql's buffer (which flushes when full), and
/// an awaited call per column cost more client time than the server took to store the row.
/// </summary>
public static class BinaryCopy
{
    public static async Task<ulong> Write<T>(NpgsqlConnection connection, string copyCommand, IEnumerable<T> rows, Action<NpgsqlBinaryImporter, T> writeRow, CancellationToken ct)
    {
        await using var importer = await connection.BeginBinaryImportAsync(copyCommand, ct);
        foreach (var row in rows)
        {
            ct.ThrowIfCancellationRequested();
            importer.StartRow();
            writeRow(importer, row);
        }

        return await importer.CompleteAsync(ct);
    }

    /// <summary>
    /// Writes <paramref name="rows"/> with rows encoded by <paramref name="encodeRow"/> on every core,
    /// a block of rows at a time, and sent in order while later blocks are encoded. The few block
    /// buffers are used again and again: fresh memory for every block cost more than encoding into it.
    /// </summary>
    public static async Task WriteEncoded<T>(NpgsqlConnection connection, string copyCommand, IReadOnlyList<T> rows, Action<CopyRowEncoder, T> encodeRow,
        IProgress<int>? progress, CancellationToken ct)
    {
        const int Block = 8192;
        var window = Environment.ProcessorCount + 1;
        var spare = new ConcurrentBag<CopyRowEncoder>();
        var stream = await connection.BeginRawBinaryCopyAsync(copyCommand, ct);
        try
        {
            await stream.WriteAsync(CopyRowEncoder.Header.ToArray(), ct);
            var pending = new Queue<Task<CopyRowEncoder>>();
            for (var start = 0; start < rows.Count || pending.Count > 0;)
            {
                while (start < rows.Count && pending.Count < window)
                {
                    var (from, to) = (start, Math.Min(rows.Count, start + Block));
                    pending.Enqueue(Task.Run(() =>
                    {
                        var encoder = spare.TryTake(out var used) ? used : new CopyRowEncoder(256 * Block);
                        for (var i = from; i < to; i++)
                        {
                            encodeRow(encoder, rows[i]);
                        }

                        return encoder;
                    }, ct));
                    start = to;
                }

                var block = await pending.Dequeue();
                await stream.WriteAsync(block.Written, ct);
                block.Clear();
                spare.Add(block);
                progress?.Report(start - (pending.Count * Block));
            }

            await stream.WriteAsync(CopyRowEncoder.Trailer.ToArray(), ct);
        }
        catch
        {
            await stream.CancelAsync();
            throw;
        }
        finally
        {
            await stream.DisposeAsync();
        }
    }

    public static void WriteNullable<T>(this NpgsqlBinaryImporter importer, T? value, NpgsqlDbType type)
        where T : struct
    {
        if (value is { } v)
        {
            importer.Write(v, type);
        }
        else
        {
            importer.WriteNull();
        }
    }

    public static void WriteNullable(this NpgsqlBinaryImporter importer, string? value, NpgsqlDbType type)
    {
        if (value is not null)
        {
            importer.Write(value, type);
        }
        else
        {
            importer.WriteNull();
        }
    }
}

/// <summary>
/// Rows encoded in PostgreSQL's binary COPY format by our own code, so that many threads can
/// encode while one sends: for a million rows Npgsql's column writers, one call per value on one
/// thread, took longer than the server needed to store them. Only the types the statement import
/// writes are here; each writes what the server's binary receive function for it reads.
/// </summary>
public sealed class CopyRowEncoder
{
    private static readonly int PostgresEpochDay = new DateOnly(2000, 1, 1).DayNumber;

    private byte[] buffer;
    private int length;

    public CopyRowEncoder(int capacity) => buffer = new byte[Math.Max(capacity, 1024)];

    /// <summary>The COPY header: signature, no flags, no header extension.</summary>
    public static ReadOnlySpan<byte> Header => [(byte)'P', (byte)'G', (byte)'C', (byte)'O', (byte)'P', (byte)'Y', (byte)'\n', 0xff, (byte)'\r', (byte)'\n', 0, 0, 0, 0, 0, 0, 0, 0, 0];

    /// <summary>The COPY trailer: a field count of -1.</summary>
    public static ReadOnlySpan<byte> Trailer => [0xff, 0xff];

    public ReadOnlyMemory<byte> Written => buffer.AsMemory(0, length);

    public void Clear() => length = 0;

    public void StartRow(short fields) => BinaryPrimitives.WriteInt16BigEndian(Reserve(2), fields);

    public void Null() => BinaryPrimitives.WriteInt32BigEndian(Reserve(4), -1);

    public void Int4(int value)
    {
        var span = Field(4);
        BinaryPrimitives.WriteInt32BigEndian(span, value);
    }

    public void Bigint(long? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }

        BinaryPrimitives.WriteInt64BigEndian(Field(8), v);
    }

    public void Bool(bool value) => Field(1)[0] = value ? (byte)1 : (byte)0;

    public void Uuid(Guid value) => value.TryWriteBytes(Field(16), bigEndian: true, out _);

    /// <summary>A date: days since 2000-01-01.</summary>
    public void Date(LocalDate? value)
    {
        if (value is not { } v)
        {
            Null();
            return;
        }

        BinaryPrimitives.WriteInt32BigEndian(Field(4), v.ToDateOnly().DayNumber - PostgresEpochDay);
    }

    public void Text(string? value)
    {
        if (value is null)
        {
            Null();
            return;
        }

        var lengthAt = length;
        Reserve(4 + Encoding.UTF8.GetMaxByteCount(value.Length));
        var written = Encoding.UTF8.GetBytes(value, buffer.AsSpan(lengthAt + 4));
        BinaryPrimitives.WriteInt32BigEndian(buffer.AsSpan(lengthAt), written);
        length = lengthAt + 4 + written;
    }

    /// <summary>
    /// An amount in cents as a numeric of scale 2: base-10000 digit groups, most significant first,
    /// without leading or trailing zero groups; weight is the power of 10000 of the first group.
    /// </summary>
    public void Cents(long cents)
    {
        var magnitude = (ulong)Math.Abs(cents);
        Span<short> groups = stackalloc short[8];
        var count = 0;
        for (var whole = magnitude / 100; whole > 0; whole /= 10000)
        {
            groups[count++] = (short)(whole % 10000);
        }

        var weight = count - 1;
        groups[..count].Reverse();
        var fraction = (short)(magnitude % 100 * 100);
        if (fraction != 0)
        {
            groups[count++] = fraction;
        }

        while (count > 0 && groups[count - 1] == 0)
        {
            count--;
        }

        if (count == 0)
        {
            weight = 0;
        }

        var span = Field(8 + (2 * count));
        BinaryPrimitives.WriteInt16BigEndian(span, (short)count);
        BinaryPrimitives.WriteInt16BigEndian(span[2..], (short)weight);
        BinaryPrimitives.WriteInt16BigEndian(span[4..], cents < 0 ? (short)0x4000 : (short)0);
        BinaryPrimitives.WriteInt16BigEndian(span[6..], 2);
        for (var i = 0; i < count; i++)
        {
            BinaryPrimitives.WriteInt16BigEndian(span[(8 + (2 * i))..], groups[i]);
        }
    }

    /// <summary>A field's length and room for its bytes.</summary>
    private Span<byte> Field(int bytes)
    {
        var span = Reserve(4 + bytes);
        BinaryPrimitives.WriteInt32BigEndian(span, bytes);
        return span[4..];
    }

    private Span<byte> Reserve(int bytes)
    {
        if (length + bytes > buffer.Length)
        {
            Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes));
        }

        var span = buffer.AsSpan(length, bytes);
        length += bytes;
        return span;
    }
}
