using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Ledger;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging ledger …</c>: what auditors use.</summary>
public static class LedgerCommands
{
    private const long LargeStatementBytes = 5 * 1024 * 1024;

    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A bank file: a camt.053 statement (.001.02 or .08), a pain.002 status report (.001.03 or .10), or an export: ING (comma or semicolon), Rabobank CSV, ABN AMRO TXT*.TAB, or the generic format" };
        var format = new Option<string>("--format") { Description = "auto (default), camt053, ing, ing-semicolon, rabobank, abnamro or generic", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "camt053", "ing", "ing-semicolon", "rabobank", "abnamro", "generic");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read, check and match the file and say what would be added, booked and left over; write nothing" };
        var json = CommonOptions.Json();
        var import = new Command("import", "Import a bank statement: each real transaction once (re-importing or overlapping statements add nothing); any error writes nothing (exit 2).\nExample: ontzorging ledger import samples/bank/ing-2026-06.csv --dry-run")
        {
            file, format, dryRun, json,
        };
        import.SetAction((parse, ct) => env.Run(async token =>
        {
            var name = parse.GetRequiredValue(format);
            var path = parse.GetRequiredValue(file);
            if (name == "auto" && Iso20022Files.IsStatusReport(path.FullName))
            {
                return await StatusReport(env, path, parse.GetValue(dryRun), parse.GetValue(json), token);
            }

            var importer = env.Services.GetRequiredService<BankStatementImporter>();
            // Waiting for another import is said once, on the error stream, and is not a failure.
            Task<Result<BankImportReport>> Import(Action<string, double>? bar) =>
                importer.Import(env.Actor, path.FullName, name == "auto" ? null : BankStatementImporter.Parse(name), parse.GetValue(dryRun),
                    new Progress<(string Stage, double Done)>(p =>
                    {
                        if (p.Stage == "wait")
                        {
                            env.ErrorWriter.WriteLine(p.Done == 0
                                ? "Another statement import is running; this one waits for it to finish (Ctrl+C to stop waiting)..."
                                : "The other import has finished; importing.");
                        }
                        else
                        {
                            bar?.Invoke(p.Stage, p.Done);
                        }
                    }), token);

            // A progress bar for large files, where someone is watching a terminal.
            var report = CliEnvironment.Done(path.Exists && path.Length > LargeStatementBytes && env.Out.Profile.Capabilities.Interactive
                ? await env.Out.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn())
                    .StartAsync(async context =>
                    {
                        var read = context.AddTask("read and check");
                        var write = context.AddTask("write");
                        return await Import((stage, done) => (stage == "read" ? read : write).Value = done * 100);
                    })
                : await Import(null));

            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new
                {
                    report.File, Format = BankStatementImporter.Name(report.Format), LinesRead = report.Read, report.Added, report.AlreadyPresent, report.DryRun,
                    report.Outgoing, report.Incoming,
                });
                return ExitCodes.Ok;
            }

            env.Out.WriteLine(report.DryRun
                ? $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} would be added, {report.AlreadyPresent} already present. Nothing was written (dry run); it would do this:"
                : $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} added, {report.AlreadyPresent} already present.");
            if (report is { Outgoing: { } match, Incoming: { } incoming })
            {
                env.Out.WriteLine($"Outgoing lines matched to exported payments: {match.ByEndToEndId} by EndToEndId, {match.ByAccountAmountDate} by IBAN + amount + date (settled), {match.AlreadySettled} to payments already settled; {match.Unmatched} outgoing line(s) unmatched.");
                env.Out.WriteLine($"Returned payments (storno): {match.Returned}; municipal transfers booked: {match.BijstandTransfers} bijstand, {match.CreditFunding} credit funding.");
                if (match.Batches is { Lines: > 0 } or { Differences.Count: > 0 })
                {
                    env.Out.WriteLine($"Batch bookings (a whole batch as one line): {match.Batches.Lines} line(s) matched their batch, settling {match.Batches.Settled} payment(s) and linking {match.Batches.Linked} already settled; {match.Batches.Differences.Count} left as a difference in the reconciliation.");
                    foreach (var difference in match.Batches.Differences)
                    {
                        env.Out.WriteLine($"  entry {difference.Line} ({difference.Reference}, {difference.Amount}): {difference.Reason}");
                    }
                }

                env.Out.WriteLine($"Incoming lines: {incoming.Linked} linked to recorded receipts, {incoming.Booked} booked as new receipts, {incoming.Suggested} waiting for confirmation (ledger suggestions).");
            }

            return ExitCodes.Ok;
        }, ct));
        return new Command("ledger", "Auditors: import bank statements, confirm suggestions, verify and export the ledger.  Example: ontzorging ledger verify")
        {
            import, Suggestions(env), Confirm(env), Reconcile(env), Verify(env), Export(env),
        };
    }

    /// <summary>A pain.002 status report given to <c>ledger import</c>: the bank's answer to one of our payment files.</summary>
    private static async Task<int> StatusReport(CliEnvironment env, FileInfo path, bool dryRun, bool json, CancellationToken ct)
    {
        var report = CliEnvironment.Done(await env.Services.GetRequiredService<PaymentStatusImporter>().Import(env.Actor, path.FullName, dryRun, ct));
        if (json)
        {
            JsonOutput.Write(env.OutWriter, report);
            return ExitCodes.Ok;
        }

        if (report.ImportedBefore is { } before)
        {
            env.Out.WriteLine($"{report.File} ({report.Version}, MsgId {report.MessageId}) was imported before ({before}); nothing changed.");
            return ExitCodes.Ok;
        }

        env.Out.WriteLine($"{report.File} ({report.Version}): the bank's status report on batch {report.Batch} (MsgId {report.OriginalMessageId}), group status {report.GroupStatus ?? "not given"}"
            + (report.DryRun ? ". Nothing was written (dry run); it would do this:" : "."));
        env.Out.WriteLine($"Payments re-opened: {report.Reopened.Count}; already returned: {report.AlreadyReopened}; on a statement line already (left for a person): {report.AlreadySettled}; accepted: {report.Accepted}; EndToEndIds not in the batch: {report.UnknownPayments}."
            + (report.LeftForAPerson > 0 ? $" Rejections not applied, left for a person: {report.LeftForAPerson} (a duplicate refused, or a report on an earlier export of the batch)." : ""));
        foreach (var payment in report.Reopened)
        {
            env.Out.WriteLine($"  {payment.Household} {payment.Kind} {payment.Amount} ({payment.EndToEndId}): {payment.Reason}"
                + (payment.AccountRefused ? "; the creditor's account is marked: the next batch that pays it waits for a person to confirm it" : ""));
        }

        return ExitCodes.Ok;
    }

    private static Command Suggestions(CliEnvironment env)
    {
        var json = CommonOptions.Json();
        var command = new Command("suggestions", "List incoming bank lines that could not be booked with certainty, with the household and kind recognised, if any.\nExample: ontzorging ledger suggestions") { json };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var suggestions = await env.Services.GetRequiredService<IncomingMatcher>().Suggestions(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, suggestions);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("line", "booked", "amount", "from", "description", "household?", "kind?");
            foreach (var s in suggestions)
            {
                table.AddRow(s.Line.ToString(env.Culture), Formats.Text(s.BookingDate), s.Amount.ToString(), Markup.Escape(s.Counterparty), Markup.Escape(s.Description), s.Household ?? "", s.Kind ?? "");
            }

            env.Out.Write(table);
            env.Out.WriteLine($"{suggestions.Count} line(s) to confirm: ontzorging ledger confirm LINE --household REF --kind KIND [--covers-from yyyy-MM --covers-to yyyy-MM]");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Confirm(CliEnvironment env)
    {
        var line = new Argument<long>("LINE") { Description = "The bank line id (see ledger suggestions)" };
        var household = new Option<string>("--household") { Description = "The household the money is for", Required = true };
        var kind = new Option<string>("--kind") { Description = "huurtoeslag, zorgtoeslag, kindgebonden_budget, kinderbijslag or other", Required = true };
        var from = new Option<string?>("--covers-from") { Description = "First month it covers (yyyy-MM); a back-payment covers several" };
        var to = new Option<string?>("--covers-to") { Description = "Last month it covers (yyyy-MM)" };
        var json = CommonOptions.Json();
        var command = new Command("confirm", "Book a suggested incoming line as a household's receipt.\nExample: ontzorging ledger confirm 812 --household HH-0001 --kind huurtoeslag --covers-from 2026-03 --covers-to 2026-06")
        {
            line, household, kind, from, to, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            NodaTime.YearMonth? Month(string? text, string name) =>
                text is null ? null : Formats.Month(text) is { Success: true } m ? m.Value : throw new BadInputException($"{name}: '{text}' is not a month like 2026-06");
            var parsedKind = Domain.Income.IncomeKinds.Parse(parse.GetRequiredValue(kind));
            if (!parsedKind.Success)
            {
                throw new BadInputException($"--kind: {parsedKind.Error}");
            }

            CliEnvironment.Done(await env.Services.GetRequiredService<IncomingMatcher>().Confirm(env.Actor, parse.GetValue(line), parse.GetRequiredValue(household), parsedKind.Value,
                Month(parse.GetValue(from), "--covers-from"), Month(parse.GetValue(to), "--covers-to"), env.Today, token));

            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new { BankLine = parse.GetValue(line), Household = parse.GetRequiredValue(household), Kind = parse.GetRequiredValue(kind), Booked = true });
                return ExitCodes.Ok;
            }

            env.Out.WriteLine($"Bank line {parse.GetValue(line)} booked as {parse.GetRequiredValue(kind)} for {parse.GetRequiredValue(household)}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Verify(CliEnvironment env)
    {
        var json = CommonOptions.Json();
        var command = new Command("verify", "Check that every journal entry balances, every account balance equals the sum of its lines, no household or credit balance is negative or above its cap, and every receipt received by today is booked. Exit 1 when a check fails.\nExample: ontzorging ledger verify") { json };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var result = await env.Services.GetRequiredService<LedgerAudit>().Verify(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, result);
                return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
            }

            foreach (var problem in result.Problems)
            {
                env.Error.MarkupLineInterpolated($"[red]problem:[/] {problem}");
            }

            env.Out.WriteLine(result.Passed
                ? $"Ledger verified: {result.Entries} entries balance; {result.Accounts} account balances equal the sum of their lines and are within bounds."
                : $"Ledger verification failed: {result.Problems.Count} problem(s) (at most 100 of each kind listed).");
            return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    private static Command Export(CliEnvironment env)
    {
        var household = new Option<string?>("--household") { Description = "Only the entries of this household (e.g. HH-0001)" };
        var all = new Option<bool>("--all") { Description = "All entries (with --from/--to)" };
        var from = new Option<string?>("--from") { Description = "First entry date (yyyy-MM-dd)" };
        var to = new Option<string?>("--to") { Description = "Last entry date (yyyy-MM-dd)" };
        var output = new Option<FileInfo>("--out") { Description = "The CSV file to write", Required = true };
        var json = CommonOptions.Json();
        var command = new Command("export", "Write the ledger as CSV, one row per journal line: entry id, date, account, debit, credit, description, who. Cells a spreadsheet would run as a formula are neutralised.\nExample: ontzorging ledger export --household HH-0001 --out out/HH-0001-ledger.csv")
        {
            household, all, from, to, output, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var reference = parse.GetValue(household);
            if ((reference is null) == !parse.GetValue(all))
            {
                throw new BadInputException("give either --household REF or --all");
            }

            var path = parse.GetRequiredValue(output).FullName;
            var count = CliEnvironment.Done(await env.Services.GetRequiredService<LedgerAudit>().Export(env.Actor, path, reference,
                Date(parse.GetValue(from), NodaTime.LocalDate.MinIsoValue, "--from"), Date(parse.GetValue(to), NodaTime.LocalDate.MaxIsoValue, "--to"), token)).JournalLines;
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, new { File = path, JournalLines = count });
                return ExitCodes.Ok;
            }

            env.Out.WriteLine($"Wrote {count} journal line(s) to {path}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Reconcile(CliEnvironment env)
    {
        var from = new Option<string>("--from") { Description = "First booking day (yyyy-MM-dd)", Required = true };
        var to = new Option<string>("--to") { Description = "Last booking day (yyyy-MM-dd)", Required = true };
        var details = new Option<bool>("--details") { Description = "List every explaining item, not only their totals" };
        var json = CommonOptions.Json();
        var command = new Command("reconcile", "Per day and in total, the managed account's statement lines against the ledger's bank account; every difference explained (a line not booked, a movement not yet on a statement, a timing difference) or reported. Exit 1 while an unexplained difference remains.\nExample: ontzorging ledger reconcile --from 2026-06-01 --to 2026-10-31")
        {
            from, to, details, json,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var first = Date(parse.GetRequiredValue(from), NodaTime.LocalDate.MinIsoValue, "--from");
            var last = Date(parse.GetRequiredValue(to), NodaTime.LocalDate.MaxIsoValue, "--to");
            if (last < first)
            {
                throw new BadInputException("--to is before --from");
            }

            var result = await env.Services.GetRequiredService<BankReconciliation>().Reconcile(first, last, token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, result);
                return result.Reconciled ? ExitCodes.Ok : ExitCodes.Failed;
            }

            env.Out.WriteLine($"Reconciliation of {result.Account}, {Formats.Text(first)} to {Formats.Text(last)} (amounts are statement − ledger)");
            var table = new Table().AddColumns("day", "statement", "ledger", "difference", "explained", "unexplained");
            foreach (var day in result.Days)
            {
                table.AddRow(Formats.Text(day.Date), day.Statement.ToString(), day.Ledger.ToString(), day.Difference.ToString(), day.Explained.ToString(),
                    day.Unexplained.IsZero ? "0.00" : $"[red]{day.Unexplained}[/]");
            }

            table.AddRow("total", result.Statement.ToString(), result.Ledger.ToString(), (result.Statement - result.Ledger).ToString(), result.Explained.ToString(),
                result.Unexplained.IsZero ? "0.00" : $"[red]{result.Unexplained}[/]");
            env.Out.Write(table);
            foreach (var group in result.Items.GroupBy(i => i.Reason).OrderBy(g => g.Key))
            {
                env.Out.WriteLine($"{Describe(group.Key)}: {group.Count()} item(s), {Domain.Money.Sum(group.Select(i => i.Amount))}");
                foreach (var item in group.Where(i => parse.GetValue(details) || i.Unexplained))
                {
                    env.Out.WriteLine($"  {Formats.Text(item.Date)} {item.Amount,12} {item.What}");
                }
            }

            if (result.LinesOnOtherAccounts > 0)
            {
                env.Out.WriteLine($"{result.LinesOnOtherAccounts} statement line(s) of other accounts in this period were left out.");
            }

            env.Out.WriteLine(result.Reconciled
                ? "Reconciled: every difference is explained."
                : $"Not reconciled: {result.Unexplained} unexplained over {result.Days.Count(d => !d.Unexplained.IsZero)} day(s); {result.Items.Count(i => i.Reason == ReconciliationReason.Mismatch)} matched line(s) disagree with the ledger, {result.Items.Count(i => i.Reason == ReconciliationReason.BalanceGap)} balance gap(s).");
            return result.Reconciled ? ExitCodes.Ok : ExitCodes.Failed;
        }, ct));
        return command;
    }

    private static string Describe(ReconciliationReason reason) => reason switch
    {
        ReconciliationReason.NotBooked => "On the statement, not booked (unmatched or waiting for confirmation)",
        ReconciliationReason.NotOnStatement => "In the ledger, not (yet) on an imported statement",
        ReconciliationReason.Timing => "Timing: the same money on different days",
        ReconciliationReason.BalanceGap => "Unexplained: the bank's balances move other than its lines (lines missing from the statement)",
        _ => "Unexplained: matched lines that disagree with the ledger",
    };

    private static NodaTime.LocalDate Date(string? text, NodaTime.LocalDate fallback, string name) =>
        text is null ? fallback : Formats.Date(text) is { Success: true } d ? d.Value : throw new BadInputException($"{name}: '{text}' is not a date like 2026-06-01");
}
