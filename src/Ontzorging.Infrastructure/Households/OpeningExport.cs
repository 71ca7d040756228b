using System.Globalization;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Costs;
using Ontzorging.Domain.Households;
using Ontzorging.Domain.Income;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Forecasts;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Households;

/// <summary>What an export of opening positions wrote: to a file, or (<see cref="File"/> null) to the writer given.</summary>
public sealed record OpeningExportResult(string? File, int Households, int Lines);

/// <summary>
/// <c>household export-opening</c> (docs/rules.md §20): where households stand as of a day, in
/// openings.csv's columns, so another database can take them over from the next month. It is the
/// state after the latest live batch prepared by that day, as <see cref="ForecastStarts"/> reads it
/// (kept back, receipts since, returned payments, credit less write-offs, open arrears), and every
/// receipt received by then.
/// </summary>
public sealed class OpeningExport(WriteDoor door, Policy policy)
{
    private const string IdsSql = "SELECT id FROM households WHERE (@Reference IS NULL OR reference = @Reference) ORDER BY id";

    private const string MunicipalitySql = "SELECT municipality FROM households WHERE reference = @Reference";

    private const int ChunkSize = 5_000;

    /// <summary>
    /// Use case: writes the opening positions as of <paramref name="asOf"/> of one household or all,
    /// to <paramref name="path"/> or, when it is null, to <paramref name="output"/>. The positions are
    /// money facts of named households, so the export is recorded, and the output is handed out only
    /// together with its record. Refused for an unknown household, a day still to come, or a day by
    /// which the engine had not prepared the months the timetable had reached.
    /// </summary>
    public Task<Result<OpeningExportResult>> Export(Actor actor, LocalDate asOf, string? householdReference, string? path, TextWriter? output, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.OpeningExport, householdReference is null ? "households" : $"household {householdReference}", async (scope, token) =>
        {
            var (connection, transaction) = (scope.Connection, scope.Transaction);
            if (householdReference is not null)
            {
                scope.Municipality = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(MunicipalitySql, new { Reference = householdReference }, transaction,
                                         cancellationToken: token))
                                     ?? throw new RefusedException(Refusal.Of(RefusalCode.HouseholdUnknown, "household", ("household", householdReference)));
            }

            var today = MunicipalTime.DateOf(scope.Now);
            if (asOf > today)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.DateInFuture, "as-of", ("field", "--as-of"), ("date", Formats.Text(asOf))));
            }

            var (firstMonth, _) = await ForecastStarts.Next(connection, transaction, asOf, policy, token);
            var through = firstMonth.PlusMonths(-1);
            var expected = OpeningRules.LastPreparedBy(asOf, policy);
            if (through != expected)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.OpeningMonthsBehind, "as-of",
                    ("date", Formats.Text(asOf)), ("expected", Formats.Text(expected)), ("prepared", Formats.Text(through))));
            }

            var rows = new List<string[]>();
            var ids = (await connection.QueryAsync<long>(new CommandDefinition(IdsSql, new { Reference = householdReference }, transaction, cancellationToken: token))).ToList();
            foreach (var chunk in ids.Chunk(ChunkSize))
            {
                foreach (var (household, start) in await ForecastStarts.Load(connection, transaction, new HouseholdRange(chunk[0], chunk[^1]), asOf, policy, token))
                {
                    rows.AddRange(Lines(household, asOf, through, start));
                }
            }

            var households = ids.Count;
            scope.After = new { AsOf = Formats.Text(asOf), Households = households, Lines = rows.Count, File = path is null ? null : Path.GetFileName(path) };
            if (path is null)
            {
                scope.BeforeCommit(() => CsvFiles.Write(output ?? throw new ArgumentNullException(nameof(output)), [.. IntakeFiles.OpeningColumns], rows));
                return new OpeningExportResult(null, households, rows.Count);
            }

            var temporary = path + ".partial";
            var moved = false;
            scope.OnFailure(() => File.Delete(moved ? path : temporary));
            await CsvFiles.Write(temporary, [.. IntakeFiles.OpeningColumns], rows);
            scope.BeforeCommit(() =>
            {
                File.Move(temporary, path, overwrite: true);
                moved = true;
                return Task.CompletedTask;
            });
            return new OpeningExportResult(path, households, rows.Count);
        }, ct);

    /// <summary>
    /// A household's lines: its position (the balance held is what the last batch kept back, the
    /// returned payments and the routed receipts since), its open arrears, and its receipts so far.
    /// </summary>
    private static IEnumerable<string[]> Lines(HouseholdData household, LocalDate asOf, YearMonth through, Domain.Forecasts.ForecastStart start)
    {
        var reference = household.Reference;
        var balance = start.Balance + Money.Sum(start.Pending.Select(p => p.Amount));

        // A write-off dated by the day but not booked yet (a backdated decision, or the day's
        // bookkeeping still to run) is in the position as the import will take it: already applied.
        var credit = start.CreditOutstanding;
        foreach (var writeOff in start.WriteOffs.Where(w => w.Date <= asOf).OrderBy(w => w.Date))
        {
            credit -= Domain.Batches.CreditWriteOff.Amount(writeOff.Amount, credit);
        }

        yield return [reference, "position", Formats.Text(asOf), Formats.Text(through), balance.ToString(), credit.ToString(), "", "", "", "", "", "", "", "", ""];
        foreach (var arrear in start.Arrears.OrderBy(a => a.DueDate).ThenBy(a => a.Kind).ThenBy(a => a.CreditorIban.Value, StringComparer.Ordinal))
        {
            yield return [reference, "arrear", "", "", "", "", arrear.Kind.Code(), arrear.CreditorIban.Value, arrear.Amount.ToString(), Formats.Text(arrear.DueDate),
                arrear.Attempt.ToString(CultureInfo.InvariantCulture), "", "", "", ""];
        }

        foreach (var receipt in household.Receipts.Where(r => r.ReceivedOn <= asOf))
        {
            yield return [reference, "received", "", "", "", "", receipt.Kind.Code(), "", receipt.Amount.ToString(), "", "", Formats.Text(receipt.ReceivedOn),
                Formats.Text(receipt.CoversFrom), Formats.Text(receipt.CoversTo), receipt.Reference ?? ""];
        }
    }
}
