using System.Text.RegularExpressions;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Intake;

/// <summary>
/// Reads the intake files of docs/rules.md §12 from a directory and checks every field on its own.
/// Files that are absent are simply not part of this import.
/// </summary>
public static partial class IntakeFiles
{
    public const string Households = "households.csv";
    public const string Persons = "persons.csv";
    public const string Contracts = "contracts.csv";
    public const string Incomes = "incomes.csv";
    public const string Receipts = "receipts.csv";
    public const string Events = "events.csv";
    public const string Openings = "openings.csv";

    public static IReadOnlyList<string> All { get; } = [Households, Persons, Contracts, Incomes, Receipts, Events, Openings];

    /// <summary>openings.csv's columns (docs/rules.md §12, §20): those every line kind has, then the ones only arrear and received lines fill.</summary>
    public static IReadOnlyList<string> OpeningColumns { get; } =
        ["household_ref", "line", "cutover_on", "unburdened_through", "balance", "credit_outstanding", "kind", "creditor_iban", "amount", "due_date", "attempt",
         "received_on", "covers_from", "covers_to", "reference"];

    private static readonly string[] PositionColumns = ["cutover_on", "unburdened_through", "balance", "credit_outstanding"];
    private static readonly string[] ArrearColumns = ["kind", "creditor_iban", "amount", "due_date", "attempt"];
    private static readonly string[] ReceivedColumns = ["kind", "amount", "received_on", "covers_from", "covers_to", "reference"];

    public static IntakeSet Read(string directory, string importingUser, List<InputError> errors)
    {
        var set = new IntakeSet();
        if (!Directory.Exists(directory))
        {
            errors.Add(new InputError(directory, 0, "(directory)", "does not exist"));
            return set;
        }

        if (!All.Any(f => File.Exists(Path.Combine(directory, f))))
        {
            errors.Add(new InputError(directory, 0, "(directory)", $"holds none of {string.Join(", ", All)}"));
            return set;
        }

        ReadFile(directory, Households, ["household_ref", "municipality", "bijstand_start", "adults", "children", "iban", "leefgeld_frequency"], ["language"], errors, row =>
        {
            var result = new HouseholdRow(row.Line, HouseholdReference(row), Municipality(row), row.Required("bijstand_start", Formats.Date),
                row.Required("adults", Formats.WholeNumber(1, 2)), row.Required("children", Formats.WholeNumber(0, 30)), row.Required("iban", Iban.Parse),
                row.Required("leefgeld_frequency", Frequency), row.OptionalText("language"));
            if (row.Valid)
            {
                set.Households.Add(result);
            }
            else
            {
                set.RefusedHouseholds.Add(result.Reference);
            }
        });

        ReadFile(directory, Persons, ["household_ref", "bsn", "name", "date_of_birth", "role"], [], errors, row =>
        {
            var result = new PersonRow(row.Line, HouseholdReference(row), row.Required("bsn", Bsn.Parse), row.Name("name"),
                row.Required("date_of_birth", Formats.Date), row.Required("role", Formats.OneOf("adult", "child")));
            if (row.Valid)
            {
                set.Persons.Add(result);
            }
            else
            {
                set.HouseholdsWithInvalidPersons.Add(result.Household);
            }
        });

        ReadFile(directory, Contracts, ["household_ref", "kind", "creditor_name", "creditor_iban", "amount", "due_day", "valid_from"], ["reference", "valid_to", "consent_on"], errors, row =>
        {
            var kind = row.Required("kind", FixedCostKinds.Parse);
            var result = new ContractRow(row.Line, HouseholdReference(row), kind, row.Name("creditor_name"), row.Required("creditor_iban", Iban.Parse),
                row.Required("amount", Formats.Amount), row.Required("due_day", Formats.WholeNumber(1, 31)), row.OptionalReference("reference", PaymentReference.Parse),
                row.Required("valid_from", Formats.Date), row.Optional("valid_to", Formats.Date), row.Optional("consent_on", Formats.Date));
            if (result.ValidTo < result.ValidFrom)
            {
                row.Error("valid_to", "lies before valid_from");
            }

            if (row.Valid && kind.NeedsConsent() && result.ConsentOn is null)
            {
                row.Error("consent_on", $"{kind.Code()} is an optional kind and is only taken over with the household's consent date");
            }

            if (row.Valid)
            {
                set.Contracts.Add(result);
            }
        });

        ReadFile(directory, Incomes, ["household_ref", "kind", "amount", "from_month", "routed"], ["to_month", "applied_on"], errors, row =>
        {
            var result = new IncomeRow(row.Line, HouseholdReference(row), row.Required("kind", IncomeKinds.Parse), row.Required("amount", Formats.Amount),
                row.Required("from_month", Formats.Month), row.Optional("to_month", Formats.Month), row.Required("routed", Formats.Boolean),
                row.Optional("applied_on", Formats.Date));
            if (result.To < result.From)
            {
                row.Error("to_month", "lies before from_month");
            }

            if (row.Valid && result.Kind == IncomeKind.Bijstand && !result.Routed)
            {
                row.Error("routed", "bijstand is the municipality's own payment and is always routed (true)");
            }

            if (row.Valid)
            {
                set.Incomes.Add(result);
            }
            else
            {
                set.HouseholdsWithInvalidIncomes.Add(result.Household);
            }
        });

        ReadFile(directory, Receipts, ["household_ref", "kind", "amount", "received_on", "covers_from", "covers_to"], ["reference"], errors, row =>
        {
            var result = Receipt(row, HouseholdReference(row));
            if (row.Valid)
            {
                set.Receipts.Add(result);
            }
        });

        ReadFile(directory, Events, ["household_ref", "date", "event", "value"], ["reason", "recorded_by"], errors, row =>
        {
            var household = HouseholdReference(row);
            var decision = EventDecision(row, importingUser);
            if (row.Valid && decision is not null)
            {
                set.Events.Add(new EventRow(row.Line, household, decision));
            }
        });

        ReadFile(directory, Openings, OpeningColumns.Take(6).ToArray(), OpeningColumns.Skip(6).ToArray(), errors, row => ReadOpening(row, set));
        return set;
    }

    /// <summary>
    /// One openings.csv line, by its <c>line</c> kind: a household's <c>position</c>, one of its open
    /// arrears, or a receipt it already <c>received</c>. The cells of the other kinds stay empty.
    /// </summary>
    private static void ReadOpening(CsvTableRow row, IntakeSet set)
    {
        var household = HouseholdReference(row);
        var kind = row.Required("line", Formats.OneOf("position", "arrear", "received"));
        if (!row.Valid)
        {
            set.HouseholdsWithInvalidOpenings.Add(household);
            return;
        }

        var own = kind switch { "position" => PositionColumns, "arrear" => ArrearColumns, _ => ReceivedColumns };
        foreach (var column in OpeningColumns.Skip(2).Where(c => !own.Contains(c) && row.OptionalText(c) is not null))
        {
            row.Error(column, $"must be empty on {kind} lines");
        }

        switch (kind)
        {
            case "position":
                var position = new OpeningPosition(row.Required("cutover_on", Formats.Date), row.Required("unburdened_through", Formats.Month),
                    row.Required("balance", Formats.Amount), row.Required("credit_outstanding", Formats.Amount));
                if (row.Valid)
                {
                    set.OpeningPositions.Add(new OpeningPositionRow(row.Line, household, position));
                }

                break;
            case "arrear":
                var arrear = new OpeningArrearRow(row.Line, household, row.Required("kind", FixedCostKinds.Parse), row.Required("creditor_iban", Iban.Parse),
                    row.Required("amount", Formats.Amount), row.Required("due_date", Formats.Date), row.Optional("attempt", Formats.WholeNumber(1, 99)) ?? 1);
                if (row.Valid && !arrear.Amount.IsPositive)
                {
                    row.Error("amount", "an arrear is an unpaid installment of more than 0.00");
                }

                if (row.Valid)
                {
                    set.OpeningArrears.Add(arrear);
                }

                break;
            default:
                var receipt = Receipt(row, household);
                if (row.Valid)
                {
                    set.OpeningReceived.Add(new OpeningReceivedRow(row.Line, receipt));
                }

                break;
        }

        if (!row.Valid)
        {
            set.HouseholdsWithInvalidOpenings.Add(household);
        }
    }

    /// <summary>A receipt's columns (receipts.csv, or a <c>received</c> line of openings.csv), with its own checks: never bijstand, months not backwards.</summary>
    private static ReceiptRow Receipt(CsvTableRow row, string household)
    {
        var receipt = new ReceiptRow(row.Line, household, row.Required("kind", IncomeKinds.Parse), row.Required("amount", Formats.Amount),
            row.Required("received_on", Formats.Date), row.Required("covers_from", Formats.Month), row.Required("covers_to", Formats.Month),
            row.OptionalText("reference"));
        if (row.Valid && receipt.Kind == IncomeKind.Bijstand)
        {
            row.Error("kind", "bijstand is never a receipt: the batch books it");
        }

        if (row.Valid && receipt.CoversTo < receipt.CoversFrom)
        {
            row.Error("covers_to", "lies before covers_from");
        }

        return receipt;
    }

    private static void ReadFile(string directory, string file, string[] required, string[] optional, List<InputError> errors, Action<CsvTableRow> read)
    {
        var path = Path.Combine(directory, file);
        if (!File.Exists(path))
        {
            return;
        }

        foreach (var row in CsvTable.Read(path, required, optional, errors))
        {
            read(row);
        }
    }

    private static string HouseholdReference(CsvTableRow row)
    {
        var text = row.Text("household_ref");
        if (text.Length > 0 && !ReferencePattern().IsMatch(text))
        {
            row.Error("household_ref", $"'{text}' is not a household reference (letters, digits and '-', at most 16, like HH-0001)");
        }

        return text;
    }

    private static string Municipality(CsvTableRow row)
    {
        var text = row.Text("municipality");
        if (text.Length > 0 && !MunicipalityPattern().IsMatch(text))
        {
            row.Error("municipality", $"'{text}' is not a municipality code like GM0344");
        }

        return text;
    }

    private static ParseResult<LeefgeldFrequency> Frequency(string text) => text.Trim() switch
    {
        "monthly" => ParseResult<LeefgeldFrequency>.Ok(LeefgeldFrequency.Monthly),
        "weekly" => ParseResult<LeefgeldFrequency>.Ok(LeefgeldFrequency.Weekly),
        _ => ParseResult<LeefgeldFrequency>.Fail($"'{text}' is not monthly or weekly"),
    };

    /// <summary>
    /// Per event: what its value means (docs/rules.md §12), read by the same <see cref="DecisionInput"/>
    /// as the site and the CLI, and checked by the same <see cref="DecisionRules"/>.
    /// </summary>
    private static Decision? EventDecision(CsvTableRow row, string importingUser)
    {
        var date = row.Required("date", Formats.Date);
        var kind = Read(row, DecisionInput.Kind(row.Text("event"), "event"));
        var value = row.OptionalText("value");
        var reason = row.OptionalText("reason");
        var by = row.OptionalText("recorded_by") ?? importingUser;
        if (!row.Valid || kind is not { } known)
        {
            return null;
        }

        var decision = known switch
        {
            DecisionKind.Extension => Read(row, DecisionInput.WholeNumber(value, "value")) is { } months ? new Decision(known, date, by, reason, Months: months) : null,
            DecisionKind.BijstandEnd => Read(row, DecisionInput.Date(value, "value")) is { } lastDay ? new Decision(known, date, by, reason, LastDay: lastDay) : null,
            DecisionKind.ZrmScore => Read(row, DecisionInput.WholeNumber(value, "value")) is { } score ? new Decision(known, date, by, reason, Score: score) : null,
            DecisionKind.WriteOff => Read(row, DecisionInput.WriteOff(value, "value")) is { } amount ? new Decision(known, date, by, reason, Amount: amount.Amount) : null,
            _ => NoValue(row, value) ? new Decision(known, date, by, reason) : null,
        };
        if (decision is not null && DecisionRules.Refusal(decision) is { } refusal)
        {
            // The file has one column for every kind's value.
            row.Error(refusal.Field is "months" or "last_day" or "score" or "amount" ? "value" : refusal.Field ?? "event", refusal.Message);
            return null;
        }

        return decision;
    }

    private static T? Read<T>(CsvTableRow row, Result<T> result)
        where T : struct
    {
        if (result.Refusal is { } refusal)
        {
            row.Error(refusal.Field ?? "value", refusal.Message);
            return null;
        }

        return result.Value;
    }

    private static bool NoValue(CsvTableRow row, string? value)
    {
        if (value is not null)
        {
            row.Error("value", "must be empty for this event");
        }

        return value is null;
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9-]{0,15}$", RegexOptions.CultureInvariant)]
    private static partial Regex ReferencePattern();

    [GeneratedRegex("^GM[0-9]{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex MunicipalityPattern();
}
