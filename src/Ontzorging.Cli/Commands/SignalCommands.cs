using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain.Signals;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Signals;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging signals</c>: the money signals (docs/rules.md §18): list them, run the watch, suppress one.</summary>
public static class SignalCommands
{
    public static Command Create(CliEnvironment env)
    {
        var household = new Option<string?>("--household") { Description = "Only this household's signals (its reference)" };
        var status = new Option<string>("--status") { Description = "open (default), suppressed, resolved or all", DefaultValueFactory = _ => "open" };
        status.AcceptOnlyFromAmong("open", "suppressed", "resolved", "all");
        var json = CommonOptions.Json();
        var command = new Command("signals", "The money signals: receipts missing, amounts off, payments doubled, shortages, payments returned.\nExample: ontzorging signals --household HH-0017 --status all")
        {
            household, status, json, Watch(env), Suppress(env),
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var wanted = parse.GetRequiredValue(status);
            var signals = (await env.Services.GetRequiredService<MoneySignals>().List(parse.GetValue(household), MunicipalityScope.All, token))
                .Where(s => wanted == "all" || s.Status.Code() == wanted).ToList();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, signals.Select(s => new
                {
                    s.Id, s.Household, Kind = s.Kind.Code(), s.Subject, Month = Formats.Text(s.Month), Expected = s.Expected?.ToString(), s.ExpectedOn,
                    Actual = s.Actual?.ToString(), s.ActualOn, s.Detail, Status = s.Status.Code(), s.FirstSeenOn, s.ResolvedOn, s.SuppressedReason, s.SuppressedBy,
                }));
                return ExitCodes.Ok;
            }

            var table = new Table { Title = new TableTitle("Money signals") }
                .AddColumns("id", "household", "kind", "about", "month", "expected", "expected on", "actual", "actual on", "detail", "status", "first seen");
            foreach (var s in signals)
            {
                table.AddRow(s.Id.ToString(env.Culture), Markup.Escape(s.Household), s.Kind.Code(), Markup.Escape(s.Subject), Formats.Text(s.Month),
                    s.Expected?.ToString() ?? "", Text(s.ExpectedOn), s.Actual?.ToString() ?? "", Text(s.ActualOn), Markup.Escape(s.Detail ?? ""),
                    s.Status.Code() + (s.ResolvedOn is { } r ? " " + Formats.Text(r) : "") + (s.SuppressedReason is { } why ? ": " + Markup.Escape(why) : ""), Formats.Text(s.FirstSeenOn));
            }

            env.Out.Write(table);
            env.Out.WriteLine($"{signals.Count} signal(s).");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static string Text(LocalDate? date) => date is { } d ? Formats.Text(d) : "";

    private static Command Watch(CliEnvironment env)
    {
        var day = new Option<string?>("--day") { Description = "The day to watch as (yyyy-MM-dd; default today)" };
        var json = CommonOptions.Json();
        var command = new Command("watch", "Run the daily signal watch now (as the scheduled job does at 07:15); running it again adds nothing.\nExample: ontzorging signals watch")
        {
            day, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var given = parse.GetValue(day);
            var today = env.Today;
            if (given is not null)
            {
                var parsed = Formats.Date(given);
                today = parsed.Success ? parsed.Value : throw new BadInputException($"--day: {parsed.Error}");
            }

            var run = await env.Services.GetRequiredService<MoneySignals>().Run(env.Actor, today, token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, run);
            }
            else
            {
                env.Out.WriteLine($"Signal watch on {Formats.Text(run.Day)}: {run.Households} household(s), {run.Found} signal(s) found, {run.Added} new, {run.Updated} updated, {run.Resolved} resolved.");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Suppress(CliEnvironment env)
    {
        var household = new Option<string>("--household") { Description = "The household's reference", Required = true };
        var signal = new Option<long>("--signal") { Description = "The signal's id (as `signals` lists it)", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why (required, at most 500 characters)" };
        var command = new Command("suppress", "Suppress an open signal with a reason (recorded in the audit trail).\nExample: ontzorging signals suppress --household HH-0017 --signal 12 --reason \"Toeslag stopped; the household was told\"")
        {
            household, signal, reason,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var done = CliEnvironment.Done(await env.Services.GetRequiredService<MoneySignals>().Suppress(env.Actor, parse.GetRequiredValue(household), parse.GetValue(signal),
                parse.GetValue(reason), MunicipalityScope.All, token));
            env.Out.WriteLine($"Signal {done.Id} of {done.Household} is suppressed.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
