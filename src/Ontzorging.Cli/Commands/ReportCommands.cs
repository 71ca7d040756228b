using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Simulation;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging report readiness</c>: the month-end readiness of every household.</summary>
public static class ReportCommands
{
    public static Command Create(CliEnvironment env)
    {
        var month = new Option<string>("--month") { Description = "The month whose last day was evaluated (yyyy-MM)", Required = true };
        var format = new Option<string>("--format") { Description = "table (default) or csv", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "csv");
        var json = CommonOptions.Json();
        var readiness = new Command("readiness", "Every household's readiness verdict and unmet criteria at a month's end, and who became ready that month.\nExample: ontzorging report readiness --month 2026-09 --format csv")
        {
            month, format, json,
        };
        readiness.SetAction((parse, ct) => env.Run(async token =>
        {
            var parsed = Formats.Month(parse.GetRequiredValue(month));
            var target = parsed.Success ? parsed.Value : throw new BadInputException($"--month: {parsed.Error}");
            var lines = await env.Services.GetRequiredService<ReadinessReport>().For(target, token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, lines);
                return ExitCodes.Ok;
            }

            if (parse.GetRequiredValue(format) == "csv")
            {
                env.OutWriter.WriteLine("household_ref,evaluated_on,verdict,unmet,became_ready");
                foreach (var l in lines)
                {
                    env.OutWriter.WriteLine($"{l.Household},{Formats.Text(l.EvaluatedOn)},{l.Verdict},{l.Unmet},{(l.BecameReady ? "true" : "false")}");
                }

                return ExitCodes.Ok;
            }

            var table = new Table { Title = new TableTitle($"Readiness at the end of {Formats.Text(target)}") }.AddColumns("household", "verdict", "unmet", "became ready");
            foreach (var l in lines)
            {
                table.AddRow(Markup.Escape(l.Household), l.Verdict, Markup.Escape(l.Unmet), l.BecameReady ? "yes" : "");
            }

            env.Out.Write(table);
            var ready = lines.Where(l => l.BecameReady).Select(l => l.Household).ToList();
            env.Out.WriteLine(lines.Count == 0
                ? $"No evaluations on the last day of {Formats.Text(target)} (the worker's month-end job makes them)."
                : $"{lines.Count} household(s); became ready this month: {(ready.Count == 0 ? "none" : string.Join(", ", ready))}.");
            return ExitCodes.Ok;
        }, ct));
        return new Command("report", "Reports. Example: ontzorging report readiness --month 2026-09") { readiness };
    }
}
