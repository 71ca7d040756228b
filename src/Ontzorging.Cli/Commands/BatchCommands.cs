using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Sepa;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging batch …</c>: what finance officers run every month.</summary>
public static class BatchCommands
{
    public static Command Create(CliEnvironment env) =>
        new("batch", "Finance officers: prepare, approve (four eyes), export pain.001 and settle the monthly payment batch.  Example: ontzorging batch prepare --month 2026-05")
        {
            List(env), Show(env), Prepare(env), Acknowledge(env), Approve(env), Reject(env), Cancel(env), Export(env), Settle(env),
        };

    private static Argument<long> Id() => new("ID") { Description = "The batch id (see batch list)" };

    private static Command List(CliEnvironment env)
    {
        var json = CommonOptions.Json();
        var command = new Command("list", "List batches, newest month first.\nExample: ontzorging batch list") { json };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var batches = await env.Services.GetRequiredService<BatchQueries>().List(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, batches);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("id", "month", "status", "households", "payments", "total", "exceptions", "credit drawn", "prepared by", "approved by");
            foreach (var b in batches)
            {
                table.AddRow(b.Id.ToString(env.Culture), Formats.Text(b.Month.ToYearMonth()), b.Status, b.Households.ToString(env.Culture), b.Payments.ToString(env.Culture),
                    Euros(b.Total), b.Exceptions.ToString(env.Culture), Euros(b.CreditDrawn), Markup.Escape(b.PreparedBy), Markup.Escape(b.ApprovedBy ?? "-"));
            }

            env.Out.Write(table);
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Show(CliEnvironment env)
    {
        var id = Id();
        var json = CommonOptions.Json();
        var command = new Command("show", "Show a batch: totals per kind and per execution date, the credit funding its draws need, and every exception.\nExample: ontzorging batch show 12") { id, json };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var detail = await env.Services.GetRequiredService<BatchQueries>().Show(parse.GetValue(id), token)
                ?? throw new BadInputException($"there is no batch {parse.GetValue(id)}");
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, detail);
                return ExitCodes.Ok;
            }

            var b = detail.Batch;
            env.Out.Write(new Rule($"[bold]Batch {b.Id}[/] · {Formats.Text(b.Month.ToYearMonth())} · {b.Status}").LeftJustified());
            env.Out.MarkupLineInterpolated($"Prepared by {b.PreparedBy}; approved by {b.ApprovedBy ?? "(not yet)"}. {b.Households} household(s), {b.Payments} payment(s) totalling {Euros(b.Total)}.");
            env.Out.MarkupLineInterpolated($"Bijstand booked {Euros(detail.Bijstand)}; bridging credit drawn {Euros(b.CreditDrawn)} (municipal funding needed), repaid {Euros(detail.CreditRepaid)}.");
            Totals(env, "Per kind", detail.ByKind);
            Totals(env, "Per execution date", detail.ByExecutionDate);
            var reviews = env.Services.GetRequiredService<BatchReview>();
            var review = await reviews.Show(b.Id, 1, token);
            var items = new List<ExceptionItem>(review?.Exceptions ?? []);
            for (var page = 2; review is not null && page <= review.ExceptionPages; page++)
            {
                items.AddRange((await reviews.Show(b.Id, page, token))!.Exceptions);
            }

            var issues = new Table { Title = new TableTitle($"Exceptions ({items.Count}, {items.Count(e => e.AcknowledgedBy is null)} to acknowledge)") }.AddColumns("number", "household", "kind", "what", "acknowledged by");
            foreach (var i in items)
            {
                issues.AddRow(i.Id.ToString(env.Culture), Markup.Escape(i.Household), i.Kind, Markup.Escape(i.Message), Markup.Escape(i.AcknowledgedBy ?? "-"));
            }

            env.Out.Write(issues);
            foreach (var export in detail.Exports)
            {
                env.Out.WriteLine($"exported: {export}");
            }

            foreach (var report in detail.StatusReports ?? [])
            {
                env.Out.WriteLine($"bank status report: {report}");
            }

            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Prepare(CliEnvironment env)
    {
        var month = new Option<string>("--month") { Description = "The month to pay (yyyy-MM)", Required = true };
        var reason = new Option<string?>("--reason") { Description = "Why this month is prepared although a month before it never was, or more than the policy's days after its preparation day (kept with the batch)" };
        var json = CommonOptions.Json();
        var command = new Command("prepare", "Prepare the batch for a month (again: returns the existing one). Decisions dated on or before today count. One month at a time: refused while an earlier month is a draft, and without --reason when a month before it was never prepared or its preparation day lies more than Ontzorging:Policy:LatePreparationDays (7) days back.\nExample: ontzorging batch prepare --month 2026-05") { month, reason, json };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var parsed = Formats.Month(parse.GetRequiredValue(month));
            var target = parsed.Success ? parsed.Value : throw new BadInputException($"--month: {parsed.Error}");
            var batch = CliEnvironment.Done(await env.Services.GetRequiredService<BatchPreparer>().Prepare(env.Actor, target, env.Today, parse.GetValue(reason), token));
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new { BatchId = batch.Id, Month = Formats.Text(target), batch.Created, batch.Households, batch.Payments, Exceptions = batch.Issues, batch.CreditDrawn });
                return ExitCodes.Ok;
            }

            env.Out.WriteLine(batch.Created
                ? $"Prepared batch {batch.Id} for {Formats.Text(target)}: {batch.Households} household(s), {batch.Payments} payment(s), {batch.Issues} exception(s), credit drawn {batch.CreditDrawn}."
                : $"Batch {batch.Id} for {Formats.Text(target)} was already prepared; nothing changed.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Acknowledge(CliEnvironment env)
    {
        var id = Id();
        var exceptions = new Argument<long[]>("EXCEPTION") { Description = "The number of each exception acknowledged (see batch show)", Arity = ArgumentArity.ZeroOrMore };
        var kind = new Option<string?>("--kind") { Description = "Acknowledge every exception of this kind at once (arrear, late_execution, …; see batch show), after reading what it asks" };
        var json = CommonOptions.Json();
        var command = new Command("acknowledge", "Acknowledge exceptions of a draft batch, each by its number from batch show (or all of one --kind), as the second person who approves it: a batch is approved only when every exception is acknowledged. Acknowledging one again changes nothing.\nExample: ontzorging batch acknowledge 12 301 302\nExample: ontzorging batch acknowledge 12 --kind late_execution") { id, exceptions, kind, json };
        command.SetAction((parse, ct) => Step(env, parse.GetValue(json), async (lifecycle, token) =>
        {
            var batch = parse.GetValue(id);
            if (parse.GetValue(kind) is { } code)
            {
                var count = CliEnvironment.Done(await lifecycle.AcknowledgeAll(env.Actor, batch, code, token));
                return ($"Batch {batch}: {count} exception(s) of kind {code} acknowledged by {env.Actor}.", new { BatchId = batch, Kind = code, Acknowledged = count });
            }

            if (parse.GetValue(exceptions) is not { Length: > 0 })
            {
                throw new BadInputException("name the exceptions to acknowledge by their numbers (batch show), or give --kind");
            }

            var done = new List<ExceptionAcknowledged>();
            foreach (var exception in parse.GetRequiredValue(exceptions))
            {
                done.Add(CliEnvironment.Done(await lifecycle.Acknowledge(env.Actor, batch, exception, token)));
            }

            var left = done.Count == 0 ? 0 : done[^1].StillOpen;
            return ($"Batch {batch}: {done.Count(d => d.Recorded)} exception(s) acknowledged by {env.Actor}, {done.Count(d => !d.Recorded)} already were; {left} still to acknowledge.",
                new { BatchId = batch, Acknowledged = done.Where(d => d.Recorded).Select(d => d.ExceptionId), Already = done.Where(d => !d.Recorded).Select(d => d.ExceptionId), StillOpen = left });
        }, ct));
        return command;
    }

    private static Command Approve(CliEnvironment env)
    {
        var id = Id();
        var json = CommonOptions.Json();
        var command = new Command("approve", "Approve a draft batch as a second person (four eyes): the operating-system login that runs this command must not be the one that prepared it, and every exception must be acknowledged first (batch acknowledge).\nExample: ontzorging batch approve 12") { id, json };
        command.SetAction((parse, ct) => Step(env, parse.GetValue(json), async (lifecycle, token) =>
        {
            var step = CliEnvironment.Done(await lifecycle.Approve(env.Actor, parse.GetValue(id), token));
            return ($"Batch {step.BatchId} approved by {env.Actor}.", new { step.BatchId, Status = step.After.Code(), ApprovedBy = env.Actor.Subject });
        }, ct));
        return command;
    }

    private static Command Reject(CliEnvironment env) => Undo(env, "reject", "Reject a draft batch: it is undone with correcting entries and its month can be prepared again.\nExample: ontzorging batch reject 12 --reason \"rent of HH-0003 is wrong\"",
        (lifecycle, id, reason, token) => lifecycle.Reject(env.Actor, id, reason, token));

    private static Command Cancel(CliEnvironment env) => Undo(env, "cancel", "Cancel a draft or approved batch (never an exported one).\nExample: ontzorging batch cancel 12 --reason \"prepared too early\"",
        (lifecycle, id, reason, token) => lifecycle.Cancel(env.Actor, id, reason, token));

    private static Command Undo(CliEnvironment env, string name, string description, Func<BatchLifecycle, long, string, CancellationToken, Task<Result<BatchStep>>> act)
    {
        var id = Id();
        var reason = new Option<string>("--reason") { Description = "Why", Required = true };
        var json = CommonOptions.Json();
        var command = new Command(name, description) { id, reason, json };
        command.SetAction((parse, ct) => Step(env, parse.GetValue(json), async (lifecycle, token) =>
        {
            var step = CliEnvironment.Done(await act(lifecycle, parse.GetValue(id), parse.GetRequiredValue(reason), token));
            return ($"Batch {step.BatchId}: {name} done; its month can be prepared again.",
                new { step.BatchId, Status = step.After.Code(), By = env.Actor.Subject, Reason = parse.GetRequiredValue(reason) });
        }, ct));
        return command;
    }

    private static Command Export(CliEnvironment env)
    {
        var id = Id();
        var output = new Option<FileInfo>("--out") { Description = "The pain.001 file to write", Required = true };
        var version = new Option<string>("--version") { Description = "09 (pain.001.001.09, default) or 03", DefaultValueFactory = _ => "09" };
        version.AcceptOnlyFromAmong("09", "03");
        var json = CommonOptions.Json();
        var command = new Command("export", "Write an approved batch as a SEPA pain.001 file. Exporting again writes the same payments under a new MsgId.\nExample: ontzorging batch export 12 --out out/pain001-2026-05.xml") { id, output, version, json };
        command.SetAction((parse, ct) => Step(env, parse.GetValue(json), async (lifecycle, token) =>
        {
            var export = CliEnvironment.Done(await lifecycle.Export(env.Actor, parse.GetValue(id), Pain001Versions.Parse(parse.GetRequiredValue(version))!.Value,
                parse.GetRequiredValue(output).FullName, token));
            return (export.File is null
                ? $"Batch {export.BatchId} has nothing to pay; no file written, the batch is settled."
                : $"Wrote {export.File}: {export.Version.Code()}, MsgId {export.MessageId}, {export.Payments} payment(s), control sum {export.ControlSum}{(export.FirstExport ? "" : " (a repeat: same EndToEndIds)")}.",
                new { export.BatchId, export.File, Version = export.Version.Code(), export.MessageId, export.Payments, export.ControlSum, export.FirstExport });
        }, ct));
        return command;
    }

    private static Command Settle(CliEnvironment env)
    {
        var id = Id();
        var through = new Option<string?>("--through") { Description = "Settle payments executed up to this date (yyyy-MM-dd); defaults to today" };
        var json = CommonOptions.Json();
        var command = new Command("settle", "Confirm that exported payments were executed (in transit → bank).\nExample: ontzorging batch settle 12 --through 2026-05-04") { id, through, json };
        command.SetAction((parse, ct) => Step(env, parse.GetValue(json), async (lifecycle, token) =>
        {
            var text = parse.GetValue(through);
            var day = text is null ? env.Today
                : Formats.Date(text) is { Success: true } parsed ? parsed.Value : throw new BadInputException($"--through: '{text}' is not a date like 2026-05-04");
            var result = CliEnvironment.Done(await lifecycle.Settle(env.Actor, parse.GetValue(id), day, token));
            return ($"Batch {result.BatchId}: {result.Settled} payment(s) settled through {Formats.Text(day)}; the batch is {result.Status.Code()}.",
                new { result.BatchId, result.Settled, Through = day, Status = result.Status.Code() });
        }, ct));
        return command;
    }

    /// <summary>Runs a lifecycle step (the use case keeps its record) and reports it: its sentence for people, or (--json) the result object.</summary>
    private static Task<int> Step(CliEnvironment env, bool json, Func<BatchLifecycle, CancellationToken, Task<(string Text, object Result)>> step, CancellationToken ct) =>
        env.Run(async token =>
        {
            var (text, result) = await step(env.Services.GetRequiredService<BatchLifecycle>(), token);
            if (json)
            {
                JsonOutput.Write(env.OutWriter, result);
            }
            else
            {
                env.Out.WriteLine(text);
            }

            return ExitCodes.Ok;
        }, ct);

    private static void Totals(CliEnvironment env, string title, IReadOnlyList<BatchTotal> totals)
    {
        var table = new Table { Title = new TableTitle(title) }.AddColumns("", "payments", "amount");
        foreach (var t in totals)
        {
            table.AddRow(t.Key, t.Payments.ToString(env.Culture), Euros(t.Amount));
        }

        env.Out.Write(table);
    }

    private static string Euros(decimal amount) => Money.FromEuros(amount).ToString();
}
