using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Cli;

/// <summary>--json output: camelCase, dates as yyyy-MM-dd, amounts as the strings the files use.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new LocalDateConverter() },
    };

    public static void Write(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Formats.Date(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) => writer.WriteStringValue(Formats.Text(value));
    }
}
