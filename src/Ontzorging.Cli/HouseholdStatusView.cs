using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;
using Spectre.Console;

namespace Ontzorging.Cli;

/// <summary>Renders <see cref="HouseholdStatus"/> for a caseworker: the money story from top to bottom.</summary>
public static class HouseholdStatusView
{
    public static void Render(IAnsiConsole console, HouseholdStatus s)
    {
        console.Write(new Rule($"[bold]{Markup.Escape(s.Reference)}[/] · {s.Municipality} · as of {Formats.Text(s.AsOf)}").LeftJustified());
        console.MarkupLineInterpolated($"{s.Adults} adult(s), {s.Children} child(ren) · leefgeld {s.LeefgeldFrequency} to {s.Iban} · language {s.Language ?? "-"}");
        Table(console, "Members", ["name", "BSN", "born", "role"], s.Members.Select(m => new[] { m.Name, m.Bsn, Formats.Text(m.DateOfBirth), m.Role }));

        var p = s.Period;
        var limits = string.Join(", ", new[]
        {
            p.ExtensionMonths > 0 ? $"extended by {p.ExtensionMonths} month(s)" : null,
            p.BijstandLastDay is { } last ? $"bijstand ends {Formats.Text(last)}" : null,
            p.OptOutOn is { } opt ? $"opted out {Formats.Text(opt)}" : null,
        }.Where(x => x is not null));
        console.MarkupLineInterpolated($"[bold]Period[/] {Formats.Text(p.Start)} – {Formats.Text(p.End)} (end exclusive) · {p.State}{(p.State == "active" ? $", {p.DaysLeft} day(s) left" : "")}{(limits.Length > 0 ? " · " + limits : "")}");
        if (s.Opening is { } o)
        {
            Table(console, "Taken over at cut-over", ["cut-over", "unburdened before through", "balance", "credit outstanding", "open arrears", "receipts in it", "imported by"],
            [[
                Formats.Text(o.CutoverOn), Formats.Text(o.UnburdenedThrough), o.Balance.ToString(), o.CreditOutstanding.ToString(),
                $"{o.Arrears} of {o.ArrearsAmount}", o.ReceiptsInOpening.ToString(System.Globalization.CultureInfo.InvariantCulture), o.ImportedBy,
            ]]);
        }

        Table(console, "Decisions", ["date", "decision", "detail", "by", "why"], s.Decisions.Select(d => new[] { Formats.Text(d.Date), d.Kind, d.Detail, d.RecordedBy, d.Reason ?? "" }));
        Table(console, "Fixed costs paid by the municipality", ["kind", "creditor", "IBAN", "amount", "due day", "reference", "valid", "consent"],
            s.Contracts.Select(c => new[]
            {
                c.Kind, c.Creditor, c.CreditorIban, c.Amount.ToString(), c.DueDay.ToString(System.Globalization.CultureInfo.InvariantCulture), c.Reference ?? "",
                $"{Formats.Text(c.ValidFrom)} – {(c.ValidTo is { } to ? Formats.Text(to) : "")}", c.ConsentOn is { } on ? Formats.Text(on) : "",
            }));
        Table(console, "Income", ["kind", "expected / month", "months", "routed", "applied", "status"],
            s.Incomes.Select(i => new[] { i.Kind, i.ExpectedAmount.ToString(), $"{Formats.Text(i.From)}..{(i.To is { } to ? Formats.Text(to) : "")}", i.Routed ? "yes" : "no (to household)", i.AppliedOn is { } a ? Formats.Text(a) : "", i.Status }));
        Table(console, "Receipts", ["received", "kind", "amount", "covers", "routed", "booked"],
            s.Receipts.Select(r => new[] { Formats.Text(r.ReceivedOn), r.Kind, r.Amount.ToString(), r.Covers, r.Routed ? "yes" : "no", r.BookedOn is { } b ? Formats.Text(b) : "not yet" }));

        console.MarkupLineInterpolated($"[bold]Money[/] held for the household {s.Balance.ToString()} · bridging credit outstanding [bold]{s.CreditOutstanding.ToString()}[/] of cap {s.CreditCap.ToString()}");
        Table(console, "Open arrears", ["due", "kind", "creditor", "amount"], s.Arrears.Select(a => new[] { Formats.Text(a.DueDate), a.Kind, a.Creditor, a.Amount.ToString() }));
        if (s.Readiness is { } r)
        {
            console.MarkupLineInterpolated($"[bold]Readiness[/] on {Formats.Text(r.EvaluatedOn)}: [bold]{r.Verdict}[/]{(r.Unmet.Length > 0 ? " · unmet: " + r.Unmet : " · all criteria met")}");
            if (r.Advice is not null)
            {
                console.MarkupLineInterpolated($"  {r.Advice}");
            }
        }
        else
        {
            console.MarkupLine("[bold]Readiness[/] not evaluated yet.");
        }

        Table(console, "Next payments", ["executes", "kind", "to", "amount", "status", "end-to-end id"],
            s.NextPayments.Select(n => new[] { Formats.Text(n.ExecutionDate), n.Kind, n.Payee, n.Amount.ToString(), n.Status, n.EndToEndId }));
        Table(console, "Returned or rejected by the bank", ["executes", "kind", "to", "amount", "back on", "how", "reason", "end-to-end id"],
            (s.Returned ?? []).Select(r => new[]
            {
                Formats.Text(r.ExecutionDate), r.Kind, r.Payee, r.Amount.ToString(), Formats.Text(r.ReturnedOn), r.Rejected ? "rejected (pain.002)" : "returned (storno)",
                r.Reason + (r.AccountRefused ? " · account marked: confirm it before the next batch pays it" : ""), r.EndToEndId,
            }));
    }

    private static void Table(IAnsiConsole console, string title, string[] columns, IEnumerable<string[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            console.MarkupLineInterpolated($"[bold]{title}[/]: none");
            return;
        }

        var table = new Spectre.Console.Table { Title = new TableTitle(title) };
        table.AddColumns(columns);
        foreach (var row in list)
        {
            table.AddRow(row.Select(Markup.Escape).ToArray());
        }

        console.Write(table);
    }
}
