using System.Text.Json;
using System.Text.Json.Serialization;
using NodaTime;
using Ontzorging.Domain;

namespace Ontzorging.Infrastructure.Csv;

/// <summary>
/// How the engine writes JSON (the CLI's --json, the audit log's values): snake_case, dates as
/// yyyy-MM-dd, amounts as the strings the files use, enums by name.
/// </summary>
public static class JsonFormats
{
    public static JsonSerializerOptions Create(bool indented) => new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = indented,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new LocalDateConverter(), new MoneyConverter(), new JsonStringEnumConverter() },
    };

    private sealed class LocalDateConverter : JsonConverter<LocalDate>
    {
        public override LocalDate Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Formats.Date(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, LocalDate value, JsonSerializerOptions options) => writer.WriteStringValue(Formats.Text(value));
    }

    /// <summary>A month as yyyy-MM, for a record whose JSON has always written its months that way.</summary>
    public sealed class YearMonthConverter : JsonConverter<YearMonth>
    {
        public override YearMonth Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Formats.Month(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, YearMonth value, JsonSerializerOptions options) => writer.WriteStringValue(Formats.Text(value));
    }

    /// <summary>A month that may be absent, as yyyy-MM or null.</summary>
    public sealed class NullableYearMonthConverter : JsonConverter<YearMonth?>
    {
        public override bool HandleNull => true;

        public override YearMonth? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.Null ? null : Formats.Month(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, YearMonth? value, JsonSerializerOptions options)
        {
            if (value is { } month)
            {
                writer.WriteStringValue(Formats.Text(month));
            }
            else
            {
                writer.WriteNullValue();
            }
        }
    }

    private sealed class MoneyConverter : JsonConverter<Money>
    {
        public override Money Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            Money.Parse(reader.GetString() ?? "").Value;

        public override void Write(Utf8JsonWriter writer, Money value, JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
    }
}
