using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Cli;

/// <summary>--json output: snake_case, dates as yyyy-MM-dd, amounts as the strings the files use, enums by name.</summary>
public static class JsonOutput
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new LocalDateConverter(), new MoneyConverter(), new JsonStringEnumConverter() },
    };

    public static void Write(TextWriter writer, object value) => writer.WriteLine(JsonSerializer.Serialize(value, Options));

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Formats.Date(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) => writer.WriteStringValue(Formats.Text(value));
    }

    private sealed class MoneyConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            throw new NotSupportedException("--json is written, never read");

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
