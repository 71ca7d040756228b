using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Statements;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging statement render</c>: the monthly statements as PDF (docs/rules.md §17).</summary>
public static class StatementCommands
{
    public static Command Create(CliEnvironment env) =>
        new("statement", "The household's monthly statement, in Dutch and its own language.  Example: ontzorging statement render --month 2026-07 --household HH-0001 --out out/st")
        {
            Render(env),
        };

    private static Command Render(CliEnvironment env)
    {
        var month = new Option<YearMonth?>("--month")
        {
            Description = "The month of an exported batch (yyyy-MM)",
            Required = true,
            CustomParser = r =>
            {
                var parsed = Formats.Month(r.Tokens[0].Value);
                if (!parsed.Success)
                {
                    r.AddError($"--month: {parsed.Error}");
                    return null;
                }

                return parsed.Value;
            },
        };
        var household = new Option<string?>("--household") { Description = "Only this household (its reference); default: every household of the month's batch" };
        var output = new Option<DirectoryInfo>("--out") { Description = "Folder for the PDF files (statement-REF-yyyy-MM.pdf)", Required = true };
        var command = new Command("render", "Print the month's statements to PDF with headless Chromium, one file per household: what was paid, leefgeld, what came in, the bridging credit, next month, and whom to contact.\nExample: ontzorging statement render --month 2026-07 --household HH-0001 --out out/st")
        {
            month, household, output,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var directory = parse.GetRequiredValue(output).FullName;
            StatementRun run;
            try
            {
                run = await env.Services.GetRequiredService<StatementRenderer>().Render(env.Actor, parse.GetValue(month)!.Value, parse.GetValue(household), directory, token);
            }
            catch (StatementRefusedException refused)
            {
                throw new BadInputException(refused.Message);
            }

            foreach (var file in run.Files)
            {
                env.Out.WriteLine(file);
            }

            env.Out.WriteLine($"{run.Statements} statement(s) for {run.Month:yyyy-MM} written to {run.Directory}");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
