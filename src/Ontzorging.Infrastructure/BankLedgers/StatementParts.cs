namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// A large camt.053 file cut between its statements into parts of about equal size, each readable
/// as a document of its own: the file's head (up to its first statement: the XML declaration, the
/// document and group header), a run of whole statements, and the file's end tags. Found by one
/// pass over the bytes, which are streamed from the file for each part and never held whole.
/// </summary>
/// <remarks>
/// A statement starts at <c>&lt;Stmt&gt;</c> (or with the prefix the document gives it). Such bytes
/// inside a comment or CDATA would cut a part wrongly; the part is then not well-formed, and
/// <see cref="Camt053Reader"/> reads the file whole instead, as it does for every file that is not well-formed.
/// </remarks>
public sealed class StatementParts
{
    private readonly long[] starts;
    private readonly int[] lines;
    private readonly byte[] head;
    private readonly byte[] tail;
    private readonly long end;

    private StatementParts(long[] starts, int[] lines, byte[] head, byte[] tail, long end)
    {
        (this.starts, this.lines, this.head, this.tail, this.end) = (starts, lines, head, tail, end);
    }

    public int Count => starts.Length;

    /// <summary>The file cut into at most <paramref name="wanted"/> parts; null when it holds fewer than two statements or its shape is not the usual one.</summary>
    public static StatementParts? Of(string path, int wanted)
    {
        var (offsets, newlines, ownLine, closing, length) = Scan(path);
        if (offsets.Count < 2 || closing < offsets[^1])
        {
            return null;
        }

        // Whole statements per part, cut where the running size passes each share.
        var chosen = new List<int> { 0 };
        for (var k = 1; k < offsets.Count; k++)
        {
            if (offsets[k] - offsets[chosen[^1]] >= (closing - offsets[0]) / wanted)
            {
                chosen.Add(k);
            }
        }

        // A part after the first must start on a line of its own, so that its lines and columns are the file's.
        if (chosen.Count < 2 || chosen.Skip(1).Any(k => !ownLine[k]))
        {
            return null;
        }

        using var stream = File.OpenRead(path);
        var head = new byte[offsets[0]];
        stream.ReadExactly(head);
        var tail = new byte[length - closing];
        stream.Position = closing;
        stream.ReadExactly(tail);
        return new StatementParts([.. chosen.Select(k => offsets[k])], [.. chosen.Select(k => newlines[k])], head, tail, closing);
    }

    /// <summary>How many lines of the file lie between the head and the start of part <paramref name="part"/>: what to add to a line of the part's document.</summary>
    public int LineOffset(int part) => lines[part] - lines[0];

    /// <summary>
    /// Whether a line of the file belongs to part <paramref name="part"/>: every part's document
    /// repeats the file's head and end tags, whose errors are the first and the last part's to report.
    /// </summary>
    public bool Holds(int part, int line) =>
        (part == 0 || line > lines[part]) && (part == lines.Length - 1 || line <= lines[part + 1]);

    /// <summary>Part <paramref name="part"/> as a document: the head, its statements straight from the file, and the end tags.</summary>
    public Stream Open(string path, int part)
    {
        var from = starts[part];
        var to = part + 1 < starts.Length ? starts[part + 1] : end;
        return new Joined(head, path, from, to, tail);
    }

    /// <summary>
    /// One pass over the bytes: where each statement starts (with the number of line breaks before
    /// it) and where the last one ends. The element's prefix, if any, is the one of the first
    /// <c>Stmt</c> found.
    /// </summary>
    private static (List<long> Offsets, List<int> Newlines, List<bool> OwnLine, long Closing, long Length) Scan(string path)
    {
        var offsets = new List<long>();
        var newlines = new List<int>();
        var ownLine = new List<bool>();
        long closing = -1;
        var open = "<Stmt"u8.ToArray();
        byte[]? close = null;
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 20, FileOptions.SequentialScan);
        var buffer = new byte[1 << 20];
        var carry = 0;
        long position = 0;
        var lineCount = 0;
        int read;
        while ((read = stream.Read(buffer, carry, buffer.Length - carry)) > 0 || carry > 0)
        {
            var span = buffer.AsSpan(0, carry + read);
            var keep = read == 0 ? 0 : 64; // bytes held back for a tag cut by the buffer's end
            var usable = Math.Max(0, span.Length - keep);
            for (var at = span[..usable].IndexOf((byte)'<'); at >= 0 && at < usable; at = NextTag(span, at + 1, usable))
            {
                var rest = span[at..];
                if (close is null && TryStatement(rest, out var prefixLength))
                {
                    open = rest[..(prefixLength + 5)].ToArray();
                    close = [(byte)'<', (byte)'/', .. rest[1..(prefixLength + 5)], (byte)'>'];
                }

                if (rest.StartsWith(open) && rest.Length > open.Length && rest[open.Length] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
                {
                    offsets.Add(position + at);
                    newlines.Add(lineCount + span[..at].Count((byte)'\n'));
                    var lineStart = span[..at].LastIndexOf((byte)'\n');
                    ownLine.Add(lineStart >= 0 && span[(lineStart + 1)..at].Trim(" \t\r"u8).IsEmpty);
                }
                else if (close is not null && rest.StartsWith(close))
                {
                    closing = position + at + close.Length;
                }
            }

            lineCount += span[..usable].Count((byte)'\n');
            span[usable..].CopyTo(buffer);
            carry = span.Length - usable;
            position += usable;
            if (read == 0)
            {
                break;
            }
        }

        return (offsets, newlines, ownLine, closing, stream.Length);
    }

    private static int NextTag(ReadOnlySpan<byte> span, int from, int usable)
    {
        if (from >= usable)
        {
            return -1;
        }

        var next = span[from..usable].IndexOf((byte)'<');
        return next < 0 ? -1 : from + next;
    }

    /// <summary>Whether the tag at the start of <paramref name="tag"/> opens a Stmt element (<c>&lt;Stmt&gt;</c> or <c>&lt;p:Stmt&gt;</c>), and the prefix's length with its colon.</summary>
    private static bool TryStatement(ReadOnlySpan<byte> tag, out int prefixLength)
    {
        prefixLength = 0;
        var colon = tag[1..Math.Min(tag.Length, 34)].IndexOfAny((byte)':', (byte)'>', (byte)' ');
        if (colon >= 0 && tag[1 + colon] == (byte)':')
        {
            prefixLength = colon + 1;
        }

        var name = tag[(1 + prefixLength)..];
        return name.StartsWith("Stmt"u8) && name.Length > 4 && name[4] is (byte)'>' or (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n';
    }

    /// <summary>The head, a range of the file and the tail, read as one stream.</summary>
    private sealed class Joined(byte[] head, string path, long from, long to, byte[] tail) : Stream
    {
        private readonly FileStream file = new(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan) { Position = from };
        private int headAt;
        private long fileLeft = to - from;
        private int tailAt;

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (headAt < head.Length)
            {
                var n = Math.Min(buffer.Length, head.Length - headAt);
                head.AsSpan(headAt, n).CopyTo(buffer);
                headAt += n;
                return n;
            }

            if (fileLeft > 0)
            {
                var n = file.Read(buffer[..(int)Math.Min(buffer.Length, fileLeft)]);
                fileLeft -= n;
                if (n > 0)
                {
                    return n;
                }

                fileLeft = 0;
            }

            var rest = Math.Min(buffer.Length, tail.Length - tailAt);
            tail.AsSpan(tailAt, rest).CopyTo(buffer);
            tailAt += rest;
            return rest;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                file.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
