using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Forecasts;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging forecast</c>: a household's months ahead under a scenario (docs/rules.md §16).</summary>
public static class ForecastCommand
{
    public static Command Create(CliEnvironment env)
    {
        var household = new Option<string>("--household") { Description = "The household reference, e.g. HH-0017", Required = true };
        var asOf = new Option<LocalDate?>("--as-of")
        {
            Description = "Forecast from the state after the latest batch prepared on or before this date (yyyy-MM-dd); defaults to today",
            CustomParser = r =>
            {
                var parsed = Formats.Date(r.Tokens[0].Value);
                if (!parsed.Success)
                {
                    r.AddError($"--as-of: {parsed.Error}");
                    return null;
                }

                return parsed.Value;
            },
        };
        var scenario = new Option<string>("--scenario") { Description = "expected (default), late (a toeslag not yet awarded arrives months late) or never", DefaultValueFactory = _ => "expected" };
        scenario.AcceptOnlyFromAmong("expected", "late", "never");
        var format = new Option<string>("--format") { Description = "table (default), csv (the columns of monthly.csv) or json", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv", "json");
        var command = new Command("forecast",
            "Project a household's months ahead: bijstand, expected toeslagen, installments, leefgeld against the minimum, credit against the cap, arrears; names the first month at risk.\n"
            + "Example: ontzorging forecast --household HH-0017 --scenario late")
        {
            household, asOf, scenario, format,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var reference = parse.GetRequiredValue(household);
            var day = parse.GetValue(asOf) ?? env.Today;
            var view = await env.Services.GetRequiredService<HouseholdForecasts>().For(reference, day, ForecastScenarios.Parse(parse.GetValue(scenario)).Value, ct: token)
                ?? throw new BadInputException($"--household: unknown household '{reference}'");
            await env.Services.GetRequiredService<PersonalDataViews>().HouseholdViewed(env.Actor, view.Household.Reference, view.Household.Municipality, parse.GetValue(asOf), token);
            switch (parse.GetValue(format))
            {
                case "csv":
                    await CsvFiles.Write(env.OutWriter, HouseholdForecasts.MonthlyColumns, view.Forecast.InBatch.Select(m => HouseholdForecasts.MonthlyRow(view.Household.Reference, m)));
                    break;
                case "json":
                    JsonOutput.Write(env.OutWriter, Json(view));
                    break;
                default:
                    Render(env, view);
                    break;
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static object Json(ForecastView view)
    {
        var forecast = view.Forecast;
        return new
        {
            Household = view.Household.Reference,
            AsOf = Formats.Text(forecast.AsOf),
            Scenario = forecast.Scenario.Code(),
            FirstMonthAtRisk = forecast.FirstRisk is { } risk ? new { Month = Formats.Text(risk.Month), Risks = risk.Risk.Codes(), Missing = risk.Missing.ToString() } : null,
            Months = forecast.InBatch.Select(m => new
            {
                Month = Formats.Text(m.Month),
                PreparationDay = Formats.Text(m.PreparationDay),
                Bijstand = m.Result.Bijstand.ToString(),
                Receipts = m.Receipts.ToString(),
                CreditDrawn = m.Result.Waterfall.Drawn.ToString(),
                InstallmentsPaid = m.Result.Waterfall.InstallmentsPaid.ToString(),
                ArrearsOpen = m.Result.Waterfall.ArrearsOpen.ToString(),
                Leefgeld = m.Result.LeefgeldPaid.ToString(),
                MinimumLeefgeld = m.Result.MinimumLeefgeld.ToString(),
                CreditRepaid = m.Result.Waterfall.Repaid.ToString(),
                CreditOutstanding = m.Result.Waterfall.CreditOutstandingAfter.ToString(),
                CreditCap = m.CreditCap.ToString(),
                CreditWrittenOff = m.CreditWrittenOff.ToString(),
                Risks = m.Risk.Codes(),
                Missing = m.Missing.ToString(),
            }),
            ExpectedReceipts = forecast.Expected.Select(r => new
            {
                Kind = Domain.Income.IncomeKinds.Code(r.Kind),
                Amount = r.Amount.ToString(),
                ReceivedOn = Formats.Text(r.ReceivedOn),
                CoversFrom = Formats.Text(r.CoversFrom),
                CoversTo = Formats.Text(r.CoversTo),
                r.Routed,
            }),
        };
    }

    private static void Render(CliEnvironment env, ForecastView view)
    {
        var forecast = view.Forecast;
        env.Out.MarkupLineInterpolated($"Forecast for {view.Household.Reference} as of {Formats.Text(forecast.AsOf)}, scenario {forecast.Scenario.Code()} (docs/rules.md §16)");
        var table = new Table().AddColumns("month", "bijstand", "receipts", "drawn", "installments", "arrears", "leefgeld", "minimum", "repaid", "credit", "cap", "at risk");
        foreach (var m in forecast.InBatch)
        {
            var w = m.Result.Waterfall;
            table.AddRow(Formats.Text(m.Month), m.Result.Bijstand.ToString(), m.Receipts.ToString(), w.Drawn.ToString(), w.InstallmentsPaid.ToString(), w.ArrearsOpen.ToString(),
                m.Result.LeefgeldPaid.ToString(), m.Result.MinimumLeefgeld.ToString(), w.Repaid.ToString(), w.CreditOutstandingAfter.ToString(), m.CreditCap.ToString(),
                m.AtRisk ? $"{string.Join(", ", m.Risk.Codes())}; {m.Missing} missing" : "");
        }

        env.Out.Write(table);
        if (forecast.Expected.Count > 0)
        {
            env.Out.MarkupLine("Expected receipts:");
            foreach (var r in forecast.Expected)
            {
                env.Out.MarkupLineInterpolated($"  {Formats.Text(r.ReceivedOn)}  {Domain.Income.IncomeKinds.Code(r.Kind)} {r.Amount} for {Formats.Text(r.CoversFrom)}..{Formats.Text(r.CoversTo)}{(r.Routed ? "" : " (paid to the household)")}");
            }
        }

        if (forecast.FirstRisk is { } risk)
        {
            env.Out.MarkupLineInterpolated($"First month at risk: {Formats.Text(risk.Month)} ({string.Join(", ", risk.Risk.Codes())}), {risk.Missing} missing.");
        }
        else
        {
            env.Out.MarkupLine("No month at risk.");
        }
    }
}
