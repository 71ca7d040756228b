using System.Collections.Concurrent;
using System.Xml;
using System.Xml.Schema;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>The ISO 20022 messages the bank sends back that the engine reads (docs/iso20022).</summary>
public enum Iso20022Message
{
    /// <summary>camt.053.001.02, the statement Dutch banks deliver today.</summary>
    Camt053V02,

    /// <summary>camt.053.001.08, the 2019 statement.</summary>
    Camt053V08,

    /// <summary>pain.002.001.03, the status report on a pain.001.001.03 file.</summary>
    Pain002V03,

    /// <summary>pain.002.001.10, the status report of the 2019 release.</summary>
    Pain002V10,
}

/// <summary>
/// Which ISO 20022 message a file is, taken from its document's namespace, and a reader that checks
/// it against the official schema while it streams (the XSDs of docs/iso20022, built into the engine).
/// The reader never resolves a DTD or an external entity: a bank file has neither.
/// </summary>
public static class Iso20022Files
{
    public const string NamespacePrefix = "urn:iso:std:iso:20022:tech:xsd:";

    /// <summary>How many schema errors are reported of one file before reading stops: the first ones say what is wrong.</summary>
    public const int MaxErrors = 50;

    private static readonly ConcurrentDictionary<Iso20022Message, XmlSchemaSet> Schemas = new();

    public static string Name(this Iso20022Message message) => message switch
    {
        Iso20022Message.Camt053V02 => "camt.053.001.02",
        Iso20022Message.Camt053V08 => "camt.053.001.08",
        Iso20022Message.Pain002V03 => "pain.002.001.03",
        _ => "pain.002.001.10",
    };

    public static bool IsStatement(this Iso20022Message message) => message is Iso20022Message.Camt053V02 or Iso20022Message.Camt053V08;

    public static string Namespace(this Iso20022Message message) => NamespacePrefix + message.Name();

    /// <summary>Whether the file starts like XML (after a byte order mark and white space): then it is read as ISO 20022, not as CSV.</summary>
    public static bool LooksLikeXml(string path)
    {
        Span<byte> head = stackalloc byte[64];
        int read;
        using (var stream = File.OpenRead(path))
        {
            read = stream.ReadAtLeast(head, head.Length, throwOnEndOfStream: false);
        }

        var bytes = head[..read];
        if (bytes.StartsWith((ReadOnlySpan<byte>)[0xEF, 0xBB, 0xBF]))
        {
            bytes = bytes[3..];
        }

        bytes = bytes.TrimStart((ReadOnlySpan<byte>)" \t\r\n"u8);
        return bytes.Length > 0 && bytes[0] == (byte)'<';
    }

    /// <summary>Whether the file is a pain.002 status report (XML in a pain.002 namespace), which <c>ledger import</c> and the upload page hand to <see cref="PaymentStatusImporter"/>.</summary>
    public static bool IsStatusReport(string path) => File.Exists(path) && LooksLikeXml(path) && Detect(path, []) is { } message && !message.IsStatement();

    /// <summary>
    /// The message a file holds, from the namespace of its root element <c>Document</c>; null with
    /// an error (file, line, column) when it is not XML or not one of the four messages read here.
    /// </summary>
    public static Iso20022Message? Detect(string path, List<InputError> errors)
    {
        var file = Path.GetFileName(path);
        try
        {
            using var reader = XmlReader.Create(path, Settings());
            reader.MoveToContent();
            var found = Enum.GetValues<Iso20022Message>().Cast<Iso20022Message?>().FirstOrDefault(m => m!.Value.Namespace() == reader.NamespaceURI);
            if (reader.LocalName != "Document" || found is null)
            {
                var (line, column) = Position(reader);
                errors.Add(new InputError(file, line, $"{column} (<{reader.LocalName}>)",
                    $"is not a document this engine reads: its namespace is '{reader.NamespaceURI}', where a statement is {Iso20022Message.Camt053V02.Namespace()} or .08 and a status report {Iso20022Message.Pain002V03.Namespace()} or .10"));
            }

            return found;
        }
        catch (XmlException ex)
        {
            errors.Add(NotXml(file, ex));
            return null;
        }
    }

    /// <summary>
    /// A reader of <paramref name="stream"/> that is not checked yet: each node it reads is handed to
    /// the <see cref="SchemaCheck"/> made for it (<see cref="Check"/>). Comments, processing
    /// instructions and white space between elements are left out, as the schema ignores them.
    /// </summary>
    public static XmlReader Reader(Stream stream)
    {
        var settings = Settings();
        settings.CloseInput = false;
        return XmlReader.Create(stream, settings);
    }

    /// <summary>
    /// The check of <paramref name="reader"/>'s nodes (the file <paramref name="file"/>) against the schema of <paramref name="message"/>
    /// as they are read; each problem is an error with its line and column in <paramref name="errors"/>,
    /// and reading stops after <see cref="MaxErrors"/>. Nothing read may be used unless the reading ends without an error.
    /// </summary>
    public static SchemaCheck Check(XmlReader reader, string file, Iso20022Message message, List<InputError> errors, int lineOffset = 0) =>
        new(reader, Schemas.GetOrAdd(message, Load), (_, e) =>
        {
            errors.Add(new InputError(file, e.Exception is { LineNumber: > 0 } at ? at.LineNumber + lineOffset : 0, $"{e.Exception?.LinePosition ?? 0}", $"fails the {message.Name()} schema: {e.Message}"));
            if (errors.Count >= MaxErrors)
            {
                throw new TooManyErrorsException();
            }
        });

    /// <summary>Checks the whole of <paramref name="stream"/> against the schema of <paramref name="message"/>: the errors go to <paramref name="errors"/> as with <see cref="Check"/>.</summary>
    public static void CheckWhole(Stream stream, string file, Iso20022Message message, List<InputError> errors)
    {
        using var reader = Reader(stream);
        var check = Check(reader, file, message, errors);
        while (reader.Read())
        {
            check.Node();
        }

        check.End();
    }

    /// <summary>Where the reader stands: its line and column, or 0 when it cannot say.</summary>
    public static (int Line, int Column) Position(XmlReader reader) =>
        reader is IXmlLineInfo info && info.HasLineInfo() ? (info.LineNumber, info.LinePosition) : (0, 0);

    public static InputError NotXml(string file, XmlException ex) =>
        new(file, ex.LineNumber, $"{ex.LinePosition}", $"is not well-formed XML: {ex.Message}");

    /// <summary>Thrown by the schema check once <see cref="MaxErrors"/> errors are collected.</summary>
    public sealed class TooManyErrorsException() : Exception($"more than {MaxErrors} errors; reading stopped");

    private static XmlReaderSettings Settings() => new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        IgnoreWhitespace = true,
        CloseInput = true,
    };

    private static XmlSchemaSet Load(Iso20022Message message)
    {
        var resource = $"Ontzorging.Iso20022.{message.Name()}.xsd";
        using var stream = typeof(Iso20022Files).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the schema {resource} is not built into the engine");
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = XmlReader.Create(stream, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }
}
