using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>
/// Decides how the bytes of an input file are text. UTF-8 when they are valid UTF-8; a bank export
/// may also be a clean Windows-1252 file (older exports are). A file that is UTF-8 in one place and
/// Latin-1 in another is neither: decoding it whole as Windows-1252 would give its UTF-8 lines other
/// text, so other identities, than the same lines imported before, and a transaction would be kept
/// twice. Such a file is refused, naming its first bad line.
/// </summary>
public static class TextEncodings
{
    static TextEncodings() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    // Bytes Windows-1252 leaves undefined: a file holding one is not a Windows-1252 file.
    private static readonly SearchValues<byte> Undefined1252 = SearchValues.Create([0x81, 0x8D, 0x8F, 0x90, 0x9D]);

    /// <summary>The file as UTF-8 bytes (the same array when it already is), or null with an error naming the first bad line.</summary>
    public static byte[]? StatementToUtf8(string file, byte[] bytes, List<InputError> errors)
    {
        if (Utf8.IsValid(bytes))
        {
            return bytes;
        }

        if (bytes is [0xFF, 0xFE, ..] or [0xFE, 0xFF, ..])
        {
            errors.Add(new InputError(file, 1, "(file)", "is UTF-16 (\"Unicode text\"); export the statement as CSV in UTF-8 or Windows-1252"));
            return null;
        }

        var firstInvalid = FirstInvalidUtf8(bytes);
        if (HoldsUtf8Sequence(bytes))
        {
            errors.Add(new InputError(file, LineOf(bytes, firstInvalid), "(file)",
                "mixes encodings: it holds UTF-8 text and, here, a byte that is not UTF-8 (Latin-1?); export the statement again in one encoding"));
            return null;
        }

        var undefined = bytes.AsSpan().IndexOfAny(Undefined1252);
        if (undefined >= 0)
        {
            errors.Add(new InputError(file, LineOf(bytes, undefined), "(file)", $"is neither UTF-8 nor Windows-1252: byte 0x{bytes[undefined]:X2} means nothing in either"));
            return null;
        }

        return Encoding.UTF8.GetBytes(Encoding.GetEncoding(1252).GetString(bytes));
    }

    /// <summary>Null when <paramref name="bytes"/> are valid UTF-8 (intake files are UTF-8 only, rules §12); else an error naming the first bad line.</summary>
    public static InputError? RequireUtf8(string file, ReadOnlySpan<byte> bytes) =>
        Utf8.IsValid(bytes) ? null : new InputError(file, LineOf(bytes, FirstInvalidUtf8(bytes)), "(file)", "is not valid UTF-8 (intake files are UTF-8); save it again as UTF-8");

    /// <summary>The 1-based line on which byte <paramref name="index"/> lies.</summary>
    public static int LineOf(ReadOnlySpan<byte> bytes, int index) => bytes[..Math.Max(0, index)].Count((byte)'\n') + 1;

    private static int FirstInvalidUtf8(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            if (Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) != OperationStatus.Done)
            {
                return at;
            }

            at += consumed;
        }

        return -1;
    }

    /// <summary>Whether the bytes hold a well-formed multi-byte UTF-8 sequence, which a Windows-1252 text practically never does.</summary>
    private static bool HoldsUtf8Sequence(ReadOnlySpan<byte> bytes)
    {
        var at = 0;
        while (at < bytes.Length)
        {
            var next = bytes[at..].IndexOfAnyExceptInRange((byte)0, (byte)0x7F);
            if (next < 0)
            {
                return false;
            }

            at += next;
            if (Rune.DecodeFromUtf8(bytes[at..], out _, out var consumed) == OperationStatus.Done)
            {
                return true;
            }

            at += Math.Max(1, consumed);
        }

        return false;
    }
}
