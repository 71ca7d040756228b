using System.Xml;
using System.Xml.Linq;
using System.Xml.Schema;
using Ontzorging.Infrastructure.Sepa;

namespace Ontzorging.IntegrationTests.Support;

/// <summary>Validates pain.001 files against the official XSDs in docs/iso20022.</summary>
public static class Pain001Schemas
{
    public static IReadOnlyList<string> Validate(string file, Pain001Version version)
    {
        var xsd = RepositoryPaths.Docs(Path.Combine("iso20022", $"{version.Code()}.xsd"));
        var schemas = new XmlSchemaSet();
        schemas.Add(version.Namespace(), xsd);
        var errors = new List<string>();
        var settings = new XmlReaderSettings { ValidationType = ValidationType.Schema, Schemas = schemas };
        settings.ValidationEventHandler += (_, e) => errors.Add($"{e.Severity} line {e.Exception?.LineNumber}: {e.Message}");
        using var reader = XmlReader.Create(file, settings);
        while (reader.Read())
        {
        }

        return errors;
    }

    public static XDocument Load(string file) => XDocument.Load(file);

    public static IEnumerable<XElement> All(this XDocument document, string name) => document.Descendants().Where(e => e.Name.LocalName == name);
}
