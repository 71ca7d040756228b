using System.Xml;
using System.Xml.Schema;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// Checks the nodes of a plain <see cref="XmlReader"/> against an official schema as the reader
/// reaches them: the element with its attributes, its text, its end, and at the end the document
/// (through <see cref="XmlSchemaValidator"/>, the checker that .NET's validating reader is built
/// on). The checker is called the way the validating reader calls it, less what a reader of the
/// statement does not ask for: the typed values and the schema information of each node, which cost
/// half the check's time and most of what it allocates (docs/benchmarks.md).
/// </summary>
/// <remarks>
/// Call <see cref="Node"/> once for every node the reader is on after <c>Read()</c>, before the node
/// is used, and <see cref="End"/> when the reader is done. A problem goes to the handler with the
/// reader's line and column. An element's value is checked whole at its end, however many text
/// nodes bring it, so a reader uses it whole there too. Default and fixed attribute values are not
/// supplied to the reader (as the validating reader would): none of the schemas read here has any.
/// </remarks>
public sealed class SchemaCheck
{
    private const string XmlnsNamespace = "http://www.w3.org/2000/xmlns/";

    private readonly XmlReader reader;
    private readonly XmlSchemaValidator validator;
    private readonly string xsi;
    private readonly string xmlns;

    public SchemaCheck(XmlReader reader, XmlSchemaSet schemas, ValidationEventHandler handler)
    {
        this.reader = reader;
        var names = reader.NameTable ?? throw new ArgumentException("the reader has no name table", nameof(reader));
        xsi = names.Add(XmlSchema.InstanceNamespace);
        xmlns = names.Add(XmlnsNamespace);
        validator = new XmlSchemaValidator(names, schemas, reader as IXmlNamespaceResolver ?? throw new ArgumentException("the reader resolves no namespaces", nameof(reader)),
            XmlSchemaValidationFlags.ReportValidationWarnings)
        {
            LineInfoProvider = reader as IXmlLineInfo,
            XmlResolver = null,
        };
        validator.ValidationEventHandler += handler;
        validator.Initialize();
    }

    /// <summary>Checks the node the reader is on.</summary>
    public void Node()
    {
        switch (reader.NodeType)
        {
            case XmlNodeType.Element:
                Element();
                break;
            case XmlNodeType.Text or XmlNodeType.CDATA:
                validator.ValidateText(reader.Value);
                break;
            case XmlNodeType.Whitespace or XmlNodeType.SignificantWhitespace:
                validator.ValidateWhitespace(reader.Value);
                break;
            case XmlNodeType.EndElement:
                validator.ValidateEndElement(null);
                break;
        }
    }

    /// <summary>Ends the check, once the reader has read the whole document (<c>Read()</c> returned false).</summary>
    public void End() => validator.EndValidation();

    private void Element()
    {
        var empty = reader.IsEmptyElement;
        string? type = null, nil = null, location = null, noNamespaceLocation = null;
        var attributes = reader.HasAttributes;
        if (attributes && reader.MoveToFirstAttribute())
        {
            // The xsi attributes speak of the element itself, so the checker hears them with it.
            do
            {
                if (ReferenceEquals(reader.NamespaceURI, xsi))
                {
                    switch (reader.LocalName)
                    {
                        case "type": type = reader.Value; break;
                        case "nil": nil = reader.Value; break;
                        case "schemaLocation": location = reader.Value; break;
                        case "noNamespaceSchemaLocation": noNamespaceLocation = reader.Value; break;
                    }
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        validator.ValidateElement(reader.LocalName, reader.NamespaceURI, null, type, nil, location, noNamespaceLocation);
        if (attributes && reader.MoveToFirstAttribute())
        {
            do
            {
                if (!ReferenceEquals(reader.NamespaceURI, xmlns))
                {
                    validator.ValidateAttribute(reader.LocalName, reader.NamespaceURI, reader.Value, null);
                }
            }
            while (reader.MoveToNextAttribute());
            reader.MoveToElement();
        }

        validator.ValidateEndOfAttributes(null);
        if (empty)
        {
            validator.ValidateEndElement(null);
        }
    }
}
