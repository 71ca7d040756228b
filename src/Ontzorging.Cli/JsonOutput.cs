using System.Text.Json;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Cli;

/// <summary>--json output in the engine's JSON conventions (<see cref="JsonFormats"/>).</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = JsonFormats.Create(indented: true);

    public static void Write(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));
}
