using System.Text;
using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using CsCheck;
using NodaTime;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.BankLedgers;

/// <summary>
/// The engine's schema check (<see cref="SchemaCheck"/>, the validator driven node by node from a
/// plain reader) finds exactly what .NET's own validating reader finds, error for error, on bank
/// files broken at random: values, elements left out, doubled or renamed, attributes added (xsi ones
/// too), values in CDATA, split by a comment or written as character references, files cut short.
/// </summary>
public sealed class SchemaCheckTests
{
    private static readonly XNamespace Xsi = XmlSchema.InstanceNamespace;

    private static readonly string[] Values =
    [
        "", " ", "x", "EUR", "eur", "12.34", "12,34", "-1.00", "0", "1.123456", "99999999999999999999", "2026-11-30", "2026-13-01", "2026-11-30T10:00:00",
        "NL82BNGH0285010001", "nl82bngh0285010001", "BOOK", "DBIT", "CRDT", "PDNG", "AC04", "RJCT", "ACSC", "true", "😀😀", new string('é', 140), new string('x', 141),
        "a\u00a0b", "<&>",
    ];

    private static readonly (XName Name, string Value)[] Attributes =
    [
        ("Ccy", "eur"), ("foo", "1"), (Xsi + "type", "xs:string"), (Xsi + "type", "xs:decimal"), (Xsi + "type", "d:ActiveOrHistoricCurrencyAndAmount"), (Xsi + "type", "d:Max35Text"),
        (Xsi + "type", "nope:X"), (Xsi + "nil", "true"), (Xsi + "nil", "false"), (Xsi + "schemaLocation", "urn:x x.xsd"), (Xsi + "noNamespaceSchemaLocation", "x.xsd"),
    ];

    [Test]
    public void A_broken_statement_or_status_report_gets_the_same_errors_as_from_the_validating_reader()
    {
        var folder = Directory.CreateTempSubdirectory("ontzorging-schema-check-").FullName;
        try
        {
            var documents = new List<(string Name, XDocument Document)>
            {
                ("camt.053.001.02", XDocument.Load(Path.Combine(RepositoryPaths.Root, "samples", "bank", "camt053-2026-11.xml"))),
                ("camt.053.001.08", XDocument.Load(CamtFiles.Write(Path.Combine(folder, "v08.xml"),
                    [new CamtEntry(new LocalDate(2026, 11, 2), -12.5m, "Woonstad", "NL91ABNA0417164300", "huur", "E2E-1"), new CamtEntry(new LocalDate(2026, 11, 2), 40m, "Toeslagen", "NL86INGB0002445588", "zorgtoeslag")],
                    version: "08"))),
                ("pain.002.001.10", XDocument.Load(Path.Combine(RepositoryPaths.Root, "samples", "bank", "pain002-2026-10-26.xml"))),
            };

            foreach (var (name, original) in documents)
            {
                var schemas = Schemas(name);
                var broken = 0;
                var intact = Prepared(original).ToString();
                var mutation = Gen.Select(Gen.Int[0, 9], Gen.Int[0, int.MaxValue], Gen.Int[0, Values.Length - 1], Gen.Int[1, 3]);
                mutation.Sample((kind, pick, value, times) =>
                {
                    var document = Prepared(original);
                    for (var i = 0; i < times; i++)
                    {
                        Mutate(document, kind, pick / (i + 1), Values[value]);
                    }

                    var xml = Raw(document.ToString(), kind, pick);
                    if (xml == intact)
                    {
                        return;
                    }

                    var ours = WithSchemaCheck(xml, schemas);
                    var theirs = WithValidatingReader(xml, schemas);

                    ours.Should().Equal(theirs, "{0} mutated ({1}) must fail the same way:\n{2}", name, kind, xml.Length < 4000 ? xml : xml[..4000]);
                    if (ours.Count > 0)
                    {
                        Interlocked.Increment(ref broken);
                    }
                }, iter: 300, threads: 1);

                // The mutations do break documents: many of them are refused, for many reasons.
                broken.Should().BeGreaterThan(100, "{0}: many of 300 random mutations break the document", name);
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void An_intact_sample_passes_the_check()
    {
        foreach (var (file, name) in new[] { ("camt053-2026-11.xml", "camt.053.001.02"), ("pain002-2026-10-26.xml", "pain.002.001.10") })
        {
            var xml = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "bank", file));
            WithSchemaCheck(xml, Schemas(name)).Should().BeEmpty();
        }
    }

    /// <summary>A copy of the document whose root declares xs and d (its own namespace), so that an xsi:type can name a type.</summary>
    private static XDocument Prepared(XDocument original)
    {
        var document = new XDocument(original);
        document.Root!.SetAttributeValue(XNamespace.Xmlns + "xs", XmlSchema.Namespace);
        document.Root.SetAttributeValue(XNamespace.Xmlns + "d", document.Root.Name.NamespaceName);
        return document;
    }

    /// <summary>What the text of a file can hold that an XDocument does not write: a character reference, or the file cut short.</summary>
    private static string Raw(string xml, int kind, int pick)
    {
        switch (kind)
        {
            case 8:
                var at = xml.IndexOf('>', pick % xml.Length);
                return at >= 0 && at + 1 < xml.Length && char.IsLetterOrDigit(xml[at + 1])
                    ? $"{xml[..(at + 1)]}&#x{(int)xml[at + 1]:X};{xml[(at + 2)..]}"
                    : xml;
            case 9:
                return xml[..(pick % xml.Length)];
            default:
                return xml;
        }
    }

    private static void Mutate(XDocument document, int kind, int pick, string value)
    {
        var elements = document.Root!.Descendants().ToList();
        if (elements.Count == 0)
        {
            return;
        }

        var element = elements[pick % elements.Count];
        switch (kind)
        {
            case 0 when !element.HasElements:
                element.Value = value;
                break;
            case 0:
                element.Add(value);
                break;
            case 1:
                element.Remove();
                break;
            case 2:
                element.AddAfterSelf(new XElement(element));
                break;
            case 3:
                // A sibling's name (an element out of its place), or one the schema does not know.
                var siblings = element.Parent!.Elements().Select(e => e.Name.LocalName).Where(n => n != element.Name.LocalName).Distinct().ToList();
                element.Name = element.Name.Namespace + (siblings.Count > 0 && pick % 3 != 0 ? siblings[pick % siblings.Count] : "Foo");
                break;
            case 4:
                var (attribute, text) = Attributes[pick % Attributes.Length];
                element.SetAttributeValue(attribute, text);
                break;
            case 6 when !element.HasElements:
                element.ReplaceNodes(new XCData(element.Value.Length > 0 ? element.Value : value));
                break;
            case 7 when !element.HasElements && element.Value.Length >= 2:
                var cut = 1 + (pick % (element.Value.Length - 1));
                element.ReplaceNodes(new XText(element.Value[..cut]), new XComment(""), new XText(element.Value[cut..]));
                break;
            case 6 or 7 or 8 or 9:
                break;
            default:
                if (element.Attributes().FirstOrDefault(a => !a.IsNamespaceDeclaration) is { } existing)
                {
                    existing.Value = value;
                }
                else
                {
                    element.Value = value;
                }

                break;
        }
    }

    private static XmlSchemaSet Schemas(string name)
    {
        var set = new XmlSchemaSet { XmlResolver = null };
        using var reader = XmlReader.Create(RepositoryPaths.Docs(Path.Combine("iso20022", $"{name}.xsd")), new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null });
        set.Add(XmlSchema.Read(reader, null)!);
        set.Compile();
        return set;
    }

    private static List<string> WithSchemaCheck(string xml, XmlSchemaSet schemas)
    {
        var errors = new List<string>();
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        using var reader = Iso20022Files.Reader(stream);
        var check = new SchemaCheck(reader, schemas, (_, e) => errors.Add(Describe(e)));
        try
        {
            while (reader.Read())
            {
                check.Node();
            }

            check.End();
        }
        catch (XmlException ex)
        {
            errors.Add(Describe(ex));
        }

        return errors;
    }

    private static List<string> WithValidatingReader(string xml, XmlSchemaSet schemas)
    {
        var errors = new List<string>();
        var settings = new XmlReaderSettings
        {
            DtdProcessing = DtdProcessing.Prohibit,
            XmlResolver = null,
            IgnoreComments = true,
            IgnoreProcessingInstructions = true,
            IgnoreWhitespace = true,
            ValidationType = ValidationType.Schema,
            Schemas = schemas,
            ValidationFlags = XmlSchemaValidationFlags.ReportValidationWarnings,
        };
        settings.ValidationEventHandler += (_, e) => errors.Add(Describe(e));
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(xml));
        using var reader = XmlReader.Create(stream, settings);
        try
        {
            while (reader.Read())
            {
            }
        }
        catch (XmlException ex)
        {
            errors.Add(Describe(ex));
        }

        return errors;
    }

    private static string Describe(XmlException e) => $"not well-formed {e.LineNumber}:{e.LinePosition} {e.Message}";

    private static string Describe(ValidationEventArgs e) => $"{e.Severity} {e.Exception?.LineNumber}:{e.Exception?.LinePosition} {e.Message}";
}
