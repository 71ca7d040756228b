using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Households;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging household list|show|decide</c>: what caseworkers use.</summary>
public static class HouseholdCommands
{
    public static Command Create(CliEnvironment env) =>
        new("household", "Caseworkers: list households, show one's money status, record decisions.  Example: ontzorging household show HH-0001")
        {
            List(env),
            Show(env),
            Decide(env),
            ExportOpening(env),
            ConfirmAccount(env),
        };

    private static Command ConfirmAccount(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The household reference, e.g. HH-0027" };
        var kind = new Option<string>("--kind") { Description = "The contract's kind: rent, energy, water, health_insurance, municipal_tax, insurance or other", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("confirm-account", "Confirm a creditor's account the bank refused (pain.002 AC04, AC01) after checking it with the creditor: batches pay it again without an exception.\nExample: ontzorging household confirm-account HH-0027 --kind rent")
        {
            reference, kind, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var confirmed = CliEnvironment.Done(await env.Services.GetRequiredService<RefusedAccounts>().Confirm(env.Actor, parse.GetRequiredValue(reference), parse.GetRequiredValue(kind), token));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, confirmed);
                return ExitCodes.Ok;
            }

            env.Out.WriteLine($"{confirmed.Household}: the {confirmed.Kind} account {confirmed.Iban} is confirmed by {confirmed.ConfirmedBy}; the next batch pays it without an exception.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command ExportOpening(CliEnvironment env)
    {
        var asOf = new Option<LocalDate?>("--as-of")
        {
            Description = "The cut-over day (yyyy-MM-dd): the state after the latest batch prepared by then, with the receipts received by then",
            Required = true,
            CustomParser = r => r.Tokens.Count == 0 ? null : ParseDate(r.Tokens[0].Value, r),
        };
        var household = new Option<string?>("--household") { Description = "Only this household (e.g. HH-0001); every household by default" };
        var output = new Option<FileInfo?>("--out") { Description = "The openings.csv to write; standard output by default" };
        var command = new Command("export-opening",
            "Write opening positions (docs/rules.md §20) in openings.csv's columns, so another database can take the households over from the next month.\nExample: ontzorging household export-opening --as-of 2026-07-24 --out openings.csv")
        {
            asOf, household, output,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var path = parse.GetValue(output)?.FullName;
            var result = CliEnvironment.Done(await env.Services.GetRequiredService<OpeningExport>().Export(env.Actor, parse.GetValue(asOf)!.Value, parse.GetValue(household),
                path, env.OutWriter, token));
            if (path is not null)
            {
                env.Out.WriteLine($"Wrote {result.Lines} line(s) for {result.Households} household(s) to {path}.");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Option<LocalDate?> Today() => new("--on")
    {
        Description = "Show the state as of this date (yyyy-MM-dd); defaults to today",
        CustomParser = r => r.Tokens.Count == 0 ? null : ParseDate(r.Tokens[0].Value, r),
    };

    private static LocalDate? ParseDate(string text, System.CommandLine.Parsing.ArgumentResult result)
    {
        var parsed = Formats.Date(text);
        if (!parsed.Success)
        {
            result.AddError(parsed.Error!);
            return null;
        }

        return parsed.Value;
    }

    private static LocalDate TodayOf(CliEnvironment env, LocalDate? given) => given ?? env.Today;

    private static Command List(CliEnvironment env)
    {
        var state = new Option<string?>("--status") { Description = "Only households whose period is upcoming, active or ended" };
        state.AcceptOnlyFromAmong("upcoming", "active", "ended");
        var ending = new Option<int?>("--ending-within") { Description = "Only active households whose period ends within N days" };
        var readiness = new Option<string?>("--readiness") { Description = "Only households whose latest readiness verdict is this" };
        readiness.AcceptOnlyFromAmong("in_progress", "ready", "not_ready");
        var on = Today();
        var json = CommonOptions.Json();
        var command = new Command("list", "List households with their period, credit, arrears and latest readiness.\nExample: ontzorging household list --ending-within 30")
        {
            state, ending, readiness, on, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var today = TodayOf(env, parse.GetValue(on));
            var rows = await env.Services.GetRequiredService<HouseholdQueries>().List(today,
                new HouseholdFilter(parse.GetValue(state), parse.GetValue(ending), parse.GetValue(readiness)), token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, rows);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("household", "period", "state", "size", "leefgeld", "credit", "arrears", "readiness", "unmet");
            foreach (var r in rows)
            {
                table.AddRow(Markup.Escape(r.Reference), $"{Formats.Text(r.Start)} – {Formats.Text(r.End)}", r.State, r.Size.ToString(env.Culture), r.LeefgeldFrequency,
                    r.CreditOutstanding.ToString(), r.ArrearsOpen.ToString(), r.Verdict ?? "-", Markup.Escape(r.Unmet ?? ""));
            }

            env.Out.Write(table);
            env.Out.MarkupLineInterpolated($"{rows.Count} household(s) as of {Formats.Text(today)}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Show(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The household reference, e.g. HH-0001" };
        var on = Today();
        var json = CommonOptions.Json();
        var command = new Command("show", "Show one household's money status: members, period and the decisions behind it, contracts, income with toeslag status, receipts, credit, arrears, readiness, next payments.\nExample: ontzorging household show HH-0001")
        {
            reference, on, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var today = TodayOf(env, parse.GetValue(on));
            var status = await env.Services.GetRequiredService<HouseholdQueries>().Show(parse.GetRequiredValue(reference), today, token)
                ?? throw new BadInputException($"unknown household '{parse.GetRequiredValue(reference)}'");
            await env.Services.GetRequiredService<PersonalDataViews>().HouseholdViewed(env.Actor, status.Reference, status.Municipality, parse.GetValue(on), token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, status);
            }
            else
            {
                HouseholdStatusView.Render(env.Out, status);
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Decide(CliEnvironment env)
    {
        var reference = new Argument<string>("REF") { Description = "The household reference, e.g. HH-0001" };
        var command = new Command("decide", "Record a decision (who, when, why); the period and readiness follow from it.\nExample: ontzorging household decide HH-0001 extension --months 2 --reason \"art. 57 Pw\"")
        {
            reference,
        };
        command.Add(DecisionCommand(env, reference, "extension", "Extend the period by whole months (1–12), counted from the start.", DecisionKind.Extension, months: true));
        command.Add(DecisionCommand(env, reference, "bijstand-end", "Bijstand ends (e.g. work found): the period ends the day after --last-day.", DecisionKind.BijstandEnd, lastDay: true));
        command.Add(DecisionCommand(env, reference, "opt-out", "Opt-out (maatwerk): the period ends on the decision date. A reason is required.", DecisionKind.OptOut));
        command.Add(DecisionCommand(env, reference, "zrm", "Record a ZRM Financiën score (1–5).", DecisionKind.ZrmScore, score: true));
        command.Add(DecisionCommand(env, reference, "training", "Record a completed budget training; the reason is the course name.", DecisionKind.TrainingCompleted));
        command.Add(DecisionCommand(env, reference, "write-off", "Write off bridging credit: --amount N or 'all'. A reason is required.", DecisionKind.WriteOff, amount: true));
        return command;
    }

    private static Command DecisionCommand(CliEnvironment env, Argument<string> reference, string name, string description, DecisionKind kind, bool months = false, bool lastDay = false, bool score = false, bool amount = false)
    {
        var on = new Option<LocalDate?>("--on")
        {
            Description = "The date the decision counts from (yyyy-MM-dd); defaults to today",
            CustomParser = r => r.Tokens.Count == 0 ? null : ParseDate(r.Tokens[0].Value, r),
        };
        var reason = new Option<string?>(kind == DecisionKind.TrainingCompleted ? "--course" : "--reason") { Description = "Why (or the course name)" };
        var monthsOption = new Option<int>("--months") { Description = "Whole months, 1–12", Required = true };
        var lastDayOption = new Option<LocalDate?>("--last-day")
        {
            Description = "Last day of bijstand (yyyy-MM-dd)",
            Required = true,
            CustomParser = r => r.Tokens.Count == 0 ? null : ParseDate(r.Tokens[0].Value, r),
        };
        var scoreOption = new Option<int>("--score") { Description = "ZRM Financiën score, 1–5", Required = true };
        var amountOption = new Option<string>("--amount") { Description = "Amount like 150,00 or 150.00 (1.500,00 for thousands), or all", Required = true };

        var json = CommonOptions.Json();
        var command = new Command(name, description) { on, reason, json };
        var extra = new (bool Wanted, Option Option)[] { (months, monthsOption), (lastDay, lastDayOption), (score, scoreOption), (amount, amountOption) };
        foreach (var (_, option) in extra.Where(e => e.Wanted))
        {
            command.Add(option);
        }

        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var today = TodayOf(env, null);
            Money? writeOff = null;
            if (amount)
            {
                var parsed = DecisionInput.WriteOff(parse.GetRequiredValue(amountOption), "--amount");
                writeOff = parsed.Refusal is { } refusal ? throw new BadInputException($"--amount: {refusal.Message}", refusal) : parsed.Value.Amount;
            }

            var household = parse.GetRequiredValue(reference);
            var decision = new Decision(kind, parse.GetValue(on) ?? today, env.Actor.Subject, parse.GetValue(reason),
                Months: months ? parse.GetValue(monthsOption) : null,
                LastDay: lastDay ? parse.GetValue(lastDayOption) : null,
                Score: score ? parse.GetValue(scoreOption) : null,
                Amount: writeOff);
            var recorded = CliEnvironment.Done(await env.Services.GetRequiredService<DecisionRecorder>().Record(env.Actor, household, decision, today, token));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new { Household = household, Decision = name, decision.Date, decision.RecordedBy, decision.Reason, recorded.Added });
            }
            else
            {
                env.Out.WriteLine(recorded.Added
                    ? $"Recorded {name} for {household} from {Formats.Text(decision.Date)} by {decision.RecordedBy}."
                    : $"The same {name} was already recorded; nothing changed.");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
