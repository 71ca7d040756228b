using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Ledger;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary><c>ontzorging ledger …</c>: what auditors use.</summary>
public static class LedgerCommands
{
    public static Command Create(CliEnvironment env)
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A bank export: ING (comma or semicolon), Rabobank CSV, ABN AMRO TXT*.TAB, or the generic format" };
        var format = new Option<string>("--format") { Description = "auto (default), ing, ing-semicolon, rabobank, abnamro or generic", DefaultValueFactory = _ => "auto" };
        format.AcceptOnlyFromAmong("auto", "ing", "ing-semicolon", "rabobank", "abnamro", "generic");
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the file and say how many lines would be added; write nothing" };
        var user = CommonOptions.User("the auditor or officer importing");
        var import = new Command("import", "Import a bank statement: each real transaction once (re-importing or overlapping statements add nothing); any error writes nothing (exit 2).\nExample: ontzorging ledger import samples/bank/ing-2026-06.csv --dry-run")
        {
            file, format, dryRun, user,
        };
        import.SetAction((parse, ct) => env.Run(async token =>
        {
            var name = parse.GetRequiredValue(format);
            try
            {
                var report = await env.Services.GetRequiredService<BankStatementImporter>().Import(parse.GetRequiredValue(file).FullName,
                    name == "auto" ? null : BankStatementImporter.Parse(name), parse.GetRequiredValue(user), parse.GetValue(dryRun), token);
                env.Out.WriteLine(report.DryRun
                    ? $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} would be added, {report.AlreadyPresent} already present. Nothing was written (dry run)."
                    : $"{report.File} ({BankStatementImporter.Name(report.Format)}): {report.Read} line(s) read; {report.Added} added, {report.AlreadyPresent} already present.");
                if (!report.DryRun)
                {
                    var match = await env.Services.GetRequiredService<BankMatcher>().Match(parse.GetRequiredValue(user), token);
                    env.Out.WriteLine($"Outgoing lines matched to exported payments: {match.ByEndToEndId} by EndToEndId, {match.ByAccountAmountDate} by IBAN + amount + date (settled), {match.AlreadySettled} to payments already settled; {match.Unmatched} outgoing line(s) unmatched.");
                    env.Out.WriteLine($"Returned payments (storno): {match.Returned}; municipal transfers booked: {match.BijstandTransfers} bijstand, {match.CreditFunding} credit funding.");
                    var incoming = await env.Services.GetRequiredService<IncomingMatcher>().Match(env.Today, parse.GetRequiredValue(user), token);
                    env.Out.WriteLine($"Incoming lines: {incoming.Linked} linked to recorded receipts, {incoming.Booked} booked as new receipts, {incoming.Suggested} waiting for confirmation (ledger suggestions).");
                }

                return ExitCodes.Ok;
            }
            catch (InputRejectedException ex)
            {
                foreach (var error in ex.Errors.Take(50))
                {
                    env.Error.MarkupLineInterpolated($"[red]error:[/] {error.ToString()}");
                }

                env.Error.MarkupLineInterpolated($"{ex.Errors.Count} error(s); nothing was written.");
                return ExitCodes.BadInput;
            }
        }, ct));
        return new Command("ledger", "Auditors: import bank statements, confirm suggestions, verify and export the ledger.  Example: ontzorging ledger verify")
        {
            import, Suggestions(env), Confirm(env), Verify(env), Export(env),
        };
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
        var user = CommonOptions.User("the person confirming");
        var command = new Command("confirm", "Book a suggested incoming line as a household's receipt.\nExample: ontzorging ledger confirm 812 --household HH-0001 --kind huurtoeslag --covers-from 2026-03 --covers-to 2026-06")
        {
            line, household, kind, from, to, user,
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

            try
            {
                await env.Services.GetRequiredService<IncomingMatcher>().Confirm(parse.GetValue(line), parse.GetRequiredValue(household), parsedKind.Value,
                    Month(parse.GetValue(from), "--covers-from"), Month(parse.GetValue(to), "--covers-to"), env.Today, parse.GetRequiredValue(user), token);
            }
            catch (ArgumentException ex)
            {
                throw new BadInputException(ex.Message.Split(" (Parameter", 2)[0]);
            }

            env.Out.WriteLine($"Bank line {parse.GetValue(line)} booked as {parse.GetRequiredValue(kind)} for {parse.GetRequiredValue(household)}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }

    private static Command Verify(CliEnvironment env)
    {
        var command = new Command("verify", "Check that every journal entry balances, every account balance equals the sum of its lines, and no household or credit balance is negative or above its cap. Exit 1 when a check fails.\nExample: ontzorging ledger verify");
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var result = await env.Services.GetRequiredService<LedgerAudit>().Verify(token);
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
        var command = new Command("export", "Write the ledger as CSV, one row per journal line: entry id, date, account, debit, credit, description, who. Cells a spreadsheet would run as a formula are neutralised.\nExample: ontzorging ledger export --household HH-0001 --out out/HH-0001-ledger.csv")
        {
            household, all, from, to, output,
        };
        command.SetAction((parse, ct) => env.Run(async token =>
        {
            var reference = parse.GetValue(household);
            if ((reference is null) == !parse.GetValue(all))
            {
                throw new BadInputException("give either --household REF or --all");
            }

            NodaTime.LocalDate Date(string? text, NodaTime.LocalDate fallback, string name) =>
                text is null ? fallback : Formats.Date(text) is { Success: true } d ? d.Value : throw new BadInputException($"{name}: '{text}' is not a date like 2026-06-01");
            long? id = null;
            if (reference is not null)
            {
                await using var connection = await env.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync(token);
                id = await Infrastructure.Households.HouseholdStore.FindId(connection, reference, token) ?? throw new BadInputException($"unknown household '{reference}'");
            }

            var path = parse.GetRequiredValue(output).FullName;
            var count = await env.Services.GetRequiredService<LedgerAudit>().Export(path, id,
                Date(parse.GetValue(from), NodaTime.LocalDate.MinIsoValue, "--from"), Date(parse.GetValue(to), NodaTime.LocalDate.MaxIsoValue, "--to"), token);
            env.Out.WriteLine($"Wrote {count} journal line(s) to {path}.");
            return ExitCodes.Ok;
        }, ct));
        return command;
    }
}
