using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Npgsql;
using NpgsqlTypes;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Resilience;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record BankImportReport(string File, BankFormat Format, int Read, int Added, bool DryRun, MatchReport? Outgoing = null, IncomingReport? Incoming = null)
{
    public int AlreadyPresent => Read - Added;
}

/// <summary>
/// <c>ontzorging ledger import FILE</c>: reads a bank export, keeps each real transaction once
/// and matches the new ones, all in one transaction; with any error nothing is written
/// (<see cref="InputRejectedException"/>). The new lines that matching needs are staged with binary
/// COPY and matched; then every new line is written to <c>bank_lines</c> once, with binary COPY and
/// the status matching gave it. A dry run does all but the writing and rolls back, to report what
/// would be added, matched and left over.
/// </summary>
/// <remarks>
/// The import's temporary tables, which <see cref="BankMatcher"/> and <see cref="IncomingMatcher"/>
/// read and add to: <c>bank_lines_staging</c> (the new lines that may pay one of our payments, see
/// <see cref="PayableLines"/>, with what they name, and the new lines that brought money in, each
/// with the id it will have in <c>bank_lines</c> and the hints of <see cref="StatementClassifier"/>),
/// <c>incoming_lines</c> (those that brought money in, so that what is booked from one can name it)
/// and <c>line_matches</c> (what each matched line settles, links, returns, brings in or is). When
/// stored lines share the statement's dates,
/// <c>statement_keys</c> holds the file's identity keys to find those already stored.
/// </remarks>
public sealed partial class BankStatementImporter(WriteDoor door, IOptions<ManagedAccountOptions> account,
    Policy policy, ILogger<BankStatementImporter> logger)
{
    // Statement imports (and status reports, PaymentStatusImporter) run one at a time: each dedupes against what the previous one stored.
    internal const long ImportLock = 0x4f6e747a_42616e6b; // "OntzBank"

    private static readonly TimeSpan LockPoll = TimeSpan.FromMilliseconds(250);

    // The file's identity keys, to find the lines already stored. A plain join: against a ledger
    // of years the planner probes the unique index rather than reading all of bank_lines.
    private const string Keys = """
        CREATE TEMP TABLE statement_keys (line_no int, identity_key uuid) ON COMMIT DROP
        """;

    private const string CopyKeys = "COPY statement_keys (line_no, identity_key) FROM STDIN (FORMAT BINARY)";

    private const string AnyStored = "SELECT EXISTS (SELECT 1 FROM bank_lines WHERE booking_date BETWEEN @From AND @To)";

    private const string Known = """
        SELECT k.line_no FROM statement_keys k WHERE EXISTS (SELECT 1 FROM bank_lines b WHERE b.identity_key = k.identity_key)
        """;

    // The new lines take a block of ids: the k-th in identity-key order the k-th of the block.
    // Only imports take bank line ids, one at a time under the import lock, so the block is theirs.
    private const string ReserveIds = """
        SELECT setval('bank_lines_id_seq', nextval('bank_lines_id_seq') + @Count - 1) - @Count + 1
        """;

    // What matching reads: the new lines that might pay one of our payments and every new line that
    // brought money in, each with its id and the hints of the classifier.
    private const string Staging = """
        CREATE TEMP TABLE bank_lines_staging (
            line_no int, line_id bigint, booking_date date, amount numeric(14,2), counterparty_iban text, description text, reference text,
            return_reason text, household_id bigint, toeslag_kind text, covers date, transfer text, return_marked bool) ON COMMIT DROP;
        CREATE TEMP TABLE line_matches (
            line_no int PRIMARY KEY, line_id bigint, booking_date date NOT NULL, amount numeric(14,2) NOT NULL,
            payment_id bigint, settles bool NOT NULL DEFAULT false, returned_payment_id bigint, receipt_id bigint, transfer text, batch_ref text) ON COMMIT DROP;
        """ + BatchBookingMatcher.Staging;

    // Outgoing lines are matched by what they name; they need no id.
    private const string CopyOutgoing = """
        COPY bank_lines_staging (line_no, booking_date, amount, counterparty_iban, reference) FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyIncoming = """
        COPY bank_lines_staging (line_no, line_id, booking_date, amount, counterparty_iban, description, reference, return_reason,
                                 household_id, toeslag_kind, covers, transfer, return_marked)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string Incoming = """
        CREATE TEMP TABLE incoming_lines ON COMMIT DROP AS
        SELECT line_id, line_no, booking_date, amount, reference, counterparty_iban, description, return_reason,
               household_id, toeslag_kind, covers, transfer, return_marked
          FROM bank_lines_staging WHERE amount > 0
        """;

    private const string Matches = "SELECT line_no AS Line, payment_id AS Payment, returned_payment_id AS ReturnedPayment, receipt_id AS Receipt, transfer, batch_ref AS BatchRef FROM line_matches";

    // The payments each batch booking settled or linked, once its line has its id.
    private const string StoreBatchPayments = """
        INSERT INTO bank_line_payments (line_id, payment_id)
        SELECT ids.id, bm.payment_id FROM batch_line_matches bm JOIN unnest(@Lines, @Ids) AS ids(line_no, id) ON ids.line_no = bm.line_no
        """;

    // Every new line once, with what matching found: matched, or (money in) a suggestion for a
    // person, or unmatched. The lines come in identity-key order, so the unique index is appended
    // to rather than split all over, and so do their ids.
    private const string Store = """
        COPY bank_lines (id, import_id, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence,
                         status, payment_id, returned_payment_id, receipt_id, transfer, suggested_household, suggested_kind, bank_reference, batch_ref)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string StoreBalance = """
        INSERT INTO bank_day_balances (account, booking_date, opening, closing, import_id) VALUES (@Account, @Date, @Opening, @Closing, @Import)
        ON CONFLICT (account, booking_date) DO UPDATE SET opening = excluded.opening, closing = excluded.closing, import_id = excluded.import_id
         WHERE (bank_day_balances.opening, bank_day_balances.closing) IS DISTINCT FROM (excluded.opening, excluded.closing)
        """;

    /// <summary>
    /// Imports one file. <paramref name="progress"/>, when given, hears the stage ("read", "write")
    /// and how far it is (0–1), for a progress bar on large files, and ("wait", 0) when the import
    /// waits for another one to finish, ("wait", 1) when it goes on.
    /// </summary>
    public Task<Result<BankImportReport>> Import(Actor actor, string path, BankFormat? format, bool dryRun,
        IProgress<(string Stage, double Done)>? progress = null, CancellationToken ct = default) =>
        // Safe to repeat whole: each transaction is kept once, so a retry adds what the lost attempt did not commit.
        TransientRetry.Run(token => door.Run(actor, AuditActions.LedgerImport, $"statement {Path.GetFileName(path)}",
            (scope, inner) => ImportOnce(scope, path, format, dryRun, progress, inner), token), logger, ct);

    private async Task<BankImportReport> ImportOnce(WriteScope scope, string path, BankFormat? format, bool dryRun,
        IProgress<(string Stage, double Done)>? progress, CancellationToken ct)
    {
        var errors = new List<InputError>();
        if (!File.Exists(path))
        {
            throw new InputRejectedException([new InputError(Path.GetFileName(path), 0, "(file)", "does not exist")]);
        }

        var user = scope.Actor.Subject;
        MatchReport? outgoingReport = null;
        IncomingReport? incomingReport = null;
        int added;
        BankFormat detected;
        List<BankLine> lines;
        var (connection, transaction) = (scope.Connection, scope.Transaction);
        {
            CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);

            // The server takes the import lock and reads what matching needs while the file is read here.
            var preparing = Prepare(connection, transaction, progress, ct);
            string hash;
            try
            {
                (detected, lines, hash) = Read(path, format, errors, progress is null ? null : new Progress<double>(d => progress.Report(("read", d))));
            }
            catch
            {
                // Not while the connection is still busy: it is closed on the way out.
                await ((Task)preparing).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                throw;
            }

            var (households, payable) = await preparing;
            if (errors.Count > 0)
            {
                throw new InputRejectedException(errors);
            }

            var now = scope.Now;
            var matchable = Matchable(lines, payable, account.Value);
            var classifier = new StatementClassifier(households, account.Value.MunicipalityIban);

            // Matching joins the new lines with payments and receipts; on staging tables the
            // planner knows little about, a nested loop over every pair is a risk. Hash joins stay
            // linear. (Finding stored keys is left to probe the unique index: it comes first.)
            async Task BeginMatching()
            {
                await connection.ExecuteAsync(Command("SET LOCAL enable_nestloop = off"));
                await connection.ExecuteAsync(Command(Staging));
            }

            // A line's identity key includes its booking date, so when no stored line falls in the
            // statement's dates every line is new: the outgoing lines settle payments on the server
            // while the keys and ids are worked out here, on the cores the server leaves free.
            // Otherwise the keys come first, and only lines not stored yet are matched.
            StagedLine[] fresh;
            OutgoingMatches? settled = null;
            if (await EveryLineNew(connection, lines, Command))
            {
                await BeginMatching();
                var settling = StageAndSettle(connection, transaction, lines.Where((l, i) => matchable[i] && l.Amount.IsNegative).ToList(), user, now, ct);
                try
                {
                    fresh = Stage(lines, classifier, matchable, Math.Max(1, Environment.ProcessorCount - 1));
                }
                catch
                {
                    await ((Task)settling).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
                    throw;
                }

                settled = await settling;
            }
            else
            {
                fresh = await NotStored(connection, Stage(lines, classifier, matchable, Environment.ProcessorCount), Command, ct);
                if (fresh.Length > 0)
                {
                    await BeginMatching();
                    settled = await StageAndSettle(connection, transaction, fresh.Where(l => l.Matchable && l.Line.Amount.IsNegative).Select(l => l.Line).ToList(), user, now, ct);
                }
            }

            progress?.Report(("read", 1));
            added = fresh.Length;
            long importId = 0;
            if (!dryRun)
            {
                importId = await connection.ExecuteScalarAsync<long>(Command("""
                    INSERT INTO bank_imports (file_name, sha256, format, imported_by, imported_at, lines_read, lines_added)
                    VALUES (@File, @Hash, @Format, @User, @Now, @Read, @Added) RETURNING id
                    """, new
                {
                    File = Path.GetFileName(path), Hash = hash, Format = Name(detected),
                    User = user, Now = now, Read = lines.Count, Added = added,
                }));
            }

            if (!dryRun)
            {
                await StoreBalances(connection, lines, importId, Command);
            }

            if (settled is not null)
            {
                progress?.Report(("write", 0.1));
                var first = await connection.ExecuteScalarAsync<long>(Command(ReserveIds, new { Count = (long)added }));
                for (var k = 0; k < fresh.Length; k++)
                {
                    fresh[k].Id = first + k;
                }

                // Money that came in is staged with its id: what is booked from a line names it.
                await BinaryCopy.WriteEncoded(connection, CopyIncoming, fresh.Where(l => l.Matchable && l.Line.Amount.IsPositive).ToList(), (row, l) =>
                {
                    row.StartRow(13);
                    row.Int4(l.Line.Line);
                    row.Bigint(l.Id);
                    row.Date(l.Line.BookingDate);
                    row.Cents(l.Line.Amount.Cents);
                    row.Text(l.Line.CounterpartyIban);
                    row.Text(l.Line.Description);
                    row.Text(l.Line.Reference);
                    row.Text(l.Line.ReturnReason);
                    row.Bigint(l.Hints.Household);
                    row.Text(l.Hints.Kind);
                    row.Date(l.Hints.Covers);
                    row.Text(l.Hints.Transfer);
                    row.Bool(l.Hints.ReturnMarked);
                }, null, ct);
                await connection.ExecuteAsync(Command(Incoming));
                outgoingReport = await BankMatcher.ReturnsAndTransfers(connection, transaction, settled, fresh.Count(l => l.Line.Amount.IsNegative), user, now, policy.StornoWindowDays, ct);
                incomingReport = await IncomingMatcher.Match(connection, transaction, ct);
                progress?.Report(("write", 0.3));
                if (!dryRun)
                {
                    var matches = (await connection.QueryAsync<LineMatch>(Command(Matches))).ToDictionary(m => m.Line);
                    await BinaryCopy.WriteEncoded(connection, Store, fresh, (row, l) =>
                    {
                        var match = matches.GetValueOrDefault(l.Line.Line);
                        var suggestion = match is null && l.Matchable && l.Line.Amount.IsPositive;
                        row.StartRow(21);
                        row.Bigint(l.Id);
                        row.Bigint(importId);
                        row.Uuid(l.Key);
                        row.Text(l.Line.Account);
                        row.Date(l.Line.BookingDate);
                        row.Cents(l.Line.Amount.Cents);
                        row.Text(l.Line.CounterpartyIban);
                        row.Text(l.Line.CounterpartyName);
                        row.Text(l.Line.Description);
                        row.Text(l.Line.Reference);
                        row.Text(l.Line.ReturnReason);
                        row.Int4(l.Occurrence);
                        row.Text(match is not null ? "matched" : suggestion ? "suggested" : "unmatched");
                        row.Bigint(match?.Payment);
                        row.Bigint(match?.ReturnedPayment);
                        row.Bigint(match?.Receipt);
                        row.Text(match?.Transfer);
                        row.Bigint(suggestion ? l.Hints.Household : null);
                        row.Text(suggestion ? l.Hints.Kind : null);
                        row.Text(l.Line.BankReference);
                        row.Text(match?.BatchRef);
                    }, progress is null ? null : new Progress<int>(written => progress.Report(("write", 0.3 + (0.7 * written / fresh.Length)))), ct);
                    var batchLines = fresh.Where(l => matches.GetValueOrDefault(l.Line.Line)?.BatchRef is not null).ToList();
                    if (batchLines.Count > 0)
                    {
                        await connection.ExecuteAsync(Command(StoreBatchPayments, new { Lines = batchLines.Select(l => l.Line.Line).ToArray(), Ids = batchLines.Select(l => l.Id).ToArray() }));
                    }
                }
            }

            // A dry run writes nothing, so keeps no record.
            scope.NothingChanged = dryRun;
            if (!dryRun && incomingReport is { Booked: > 0 })
            {
                // New receipts are booked into the household's balance the way every receipt is, in
                // this transaction: a crash after the commit cannot leave them received but unbooked.
                await DailyBookkeeping.Book(connection, transaction, MunicipalTime.DateOf(now), user, now, ct);
            }
        }

        progress?.Report(("write", 1));
        var report = new BankImportReport(Path.GetFileName(path), detected, lines.Count, added, dryRun, outgoingReport, incomingReport);
        scope.After = new { Format = Name(detected), Read = lines.Count, Added = added, Outgoing = outgoingReport, Incoming = incomingReport };
        return report;
    }

    /// <summary>
    /// Reads the file as the bank export it is, with the SHA-256 of its bytes: a camt.053 statement
    /// (XML, or <c>--format camt053</c>) streamed through the schema check, any other format read
    /// whole from memory on every core.
    /// </summary>
    private static (BankFormat Format, List<BankLine> Lines, string Hash) Read(string path, BankFormat? format, List<InputError> errors, IProgress<double>? progress)
    {
        if (format is BankFormat.Camt053 || (format is null && Iso20022Files.LooksLikeXml(path)))
        {
            string hash;
            using (var stream = File.OpenRead(path))
            {
                hash = Convert.ToHexStringLower(SHA256.HashData(stream));
            }

            var message = Iso20022Files.Detect(path, errors);
            if (message is { } found && !found.IsStatement())
            {
                errors.Add(new InputError(Path.GetFileName(path), 1, "(document)", $"is a payment status report ({found.Name()}), not a statement; ledger import reads it as one when no --format is given"));
            }

            return errors.Count > 0 || message is null ? (BankFormat.Camt053, [], hash) : (BankFormat.Camt053, Camt053Reader.Read(path, message.Value, errors, progress).Lines, hash);
        }

        var bytes = BankStatementReader.ReadAllBytes(path);
        var (detected, lines) = BankStatementReader.Read(path, bytes, format, errors, progress);
        return (detected, lines, Convert.ToHexStringLower(SHA256.HashData(bytes)));
    }

    /// <summary>
    /// Takes the import lock, then reads the households by reference and the payments lines may pay.
    /// While another import holds the lock this one waits, as long as that takes (it is not a
    /// failure), and says so once through <paramref name="progress"/> (stage "wait").
    /// </summary>
    private static async Task<(Dictionary<string, long> Households, PayableLines Payable)> Prepare(NpgsqlConnection connection, NpgsqlTransaction transaction,
        IProgress<(string Stage, double Done)>? progress, CancellationToken ct)
    {
        var said = false;
        while (!await connection.ExecuteScalarAsync<bool>(new CommandDefinition("SELECT pg_try_advisory_xact_lock(@ImportLock)", new { ImportLock }, transaction, cancellationToken: ct)))
        {
            if (!said)
            {
                progress?.Report(("wait", 0));
                said = true;
            }

            await Task.Delay(LockPoll, ct);
        }

        if (said)
        {
            progress?.Report(("wait", 1));
        }

        var households = (await connection.QueryAsync<(long Id, string Reference)>(new CommandDefinition("SELECT id, reference FROM households", transaction: transaction, cancellationToken: ct)))
            .ToDictionary(h => h.Reference, h => h.Id, StringComparer.OrdinalIgnoreCase);
        return (households, await BankMatcher.Payable(connection, transaction, ct));
    }

    /// <summary>
    /// What the file says the account held each day, where its lines carry balances: the day's
    /// opening and closing (<see cref="StatementBalances"/>). A statement that covers a day again
    /// states it again; the same again changes nothing.
    /// </summary>
    private static async Task StoreBalances(NpgsqlConnection connection, List<BankLine> lines, long importId, Func<string, object?, CommandDefinition> command)
    {
        foreach (var day in StatementBalances.Of(lines.Select(l => (l.Account, l.BookingDate, l.Amount, l.Balance))))
        {
            await connection.ExecuteAsync(command(StoreBalance, new { day.Account, day.Date, Opening = day.Opening.ToDecimal(), Closing = day.Closing.ToDecimal(), Import = importId }));
        }
    }

    /// <summary>Whether no stored line falls in the statement's dates; a line's key includes its booking date, so then every line is new.</summary>
    private static async Task<bool> EveryLineNew(NpgsqlConnection connection, List<BankLine> lines, Func<string, object?, CommandDefinition> command)
    {
        if (lines.Count == 0)
        {
            return false;
        }

        var (from, to) = (lines[0].BookingDate, lines[0].BookingDate);
        foreach (var line in lines)
        {
            (from, to) = (LocalDate.Min(from, line.BookingDate), LocalDate.Max(to, line.BookingDate));
        }

        return !await connection.ExecuteScalarAsync<bool>(command(AnyStored, new { From = from, To = to }));
    }

    /// <summary>
    /// The staged lines that are not stored yet, in identity-key order: the file's keys go to the
    /// server once and what it already holds comes back as line numbers.
    /// </summary>
    private static async Task<StagedLine[]> NotStored(NpgsqlConnection connection, StagedLine[] staged, Func<string, object?, CommandDefinition> command, CancellationToken ct)
    {
        if (staged.Length == 0)
        {
            return staged;
        }

        await connection.ExecuteAsync(command(Keys, null));
        await BinaryCopy.WriteEncoded(connection, CopyKeys, staged, (row, l) =>
        {
            row.StartRow(2);
            row.Int4(l.Line.Line);
            row.Uuid(l.Key);
        }, null, ct);
        await connection.ExecuteAsync(command("ANALYZE statement_keys", null));

        var known = new HashSet<int>();
        await using (var reader = await connection.ExecuteReaderAsync(command(Known, null)))
        {
            while (await reader.ReadAsync(ct))
            {
                known.Add(reader.GetInt32(0));
            }
        }

        return known.Count == 0 ? staged : staged.Where(l => !known.Contains(l.Line.Line)).ToArray();
    }

    /// <summary>Stages the new outgoing lines that may pay one of our payments and settles or links the payments they pay.</summary>
    private static async Task<OutgoingMatches> StageAndSettle(NpgsqlConnection connection, NpgsqlTransaction transaction, List<BankLine> outgoing, string user, Instant now, CancellationToken ct)
    {
        await BinaryCopy.WriteEncoded(connection, CopyOutgoing, outgoing, (row, line) =>
        {
            row.StartRow(5);
            row.Int4(line.Line);
            row.Date(line.BookingDate);
            row.Cents(line.Amount.Cents);
            row.Text(line.CounterpartyIban);
            row.Text(line.Reference);
        }, null, ct);
        await BatchBookingMatcher.Stage(connection, outgoing.Where(l => l.Batch is not null).ToList(), ct);
        return await BankMatcher.SettleAndLink(connection, transaction, user, now, ct);
    }

    public static string Name(BankFormat format) => format switch
    {
        BankFormat.Ing => "ing",
        BankFormat.IngSemicolon => "ing-semicolon",
        BankFormat.Rabobank => "rabobank",
        BankFormat.AbnAmro => "abnamro",
        BankFormat.Camt053 => "camt053",
        BankFormat.Pain002 => "pain002",
        _ => "generic",
    };

    /// <summary>Any format by its name, the status report's (pain002) included: what an import was, as the page repeats it.</summary>
    public static BankFormat? Named(string name) => Enum.GetValues<BankFormat>().Cast<BankFormat?>().FirstOrDefault(f => Name(f!.Value) == name);

    public static BankFormat? Parse(string name) => name switch
    {
        "ing" => BankFormat.Ing,
        "ing-semicolon" => BankFormat.IngSemicolon,
        "rabobank" => BankFormat.Rabobank,
        "abnamro" => BankFormat.AbnAmro,
        "generic" => BankFormat.Generic,
        "camt053" => BankFormat.Camt053,
        _ => null,
    };

    /// <summary>
    /// Whether matching needs each line: a line of the managed account (only our account settles our
    /// payments or brings in our money) that brought money in, or took out money that may pay one of
    /// our payments. On every core.
    /// </summary>
    private static bool[] Matchable(List<BankLine> lines, PayableLines payable, ManagedAccountOptions ours)
    {
        var matchable = new bool[lines.Count];
        Parallel.ForEach(Partitioner.Create(0, lines.Count, 16_384), range =>
        {
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var line = lines[i];
                matchable[i] = ours.Holds(line.Account) && (line.Amount.IsPositive || payable.MayPay(line) || (line.Batch is not null && line.Amount.IsNegative));
            }
        });
        return matchable;
    }

    /// <summary>A line of the file with what the import learns of it; <see cref="Matchable"/>: whether matching needs it (money in, or it may pay a payment of ours).</summary>
    private record struct StagedLine(BankLine Line, int Occurrence, Guid Key, LineHints Hints, bool Matchable)
    {
        /// <summary>The line's id in <c>bank_lines</c>, once it is known to be new.</summary>
        public long Id { get; set; }
    }

    private sealed record LineMatch(int Line, long? Payment, long? ReturnedPayment, long? Receipt, string? Transfer, string? BatchRef);
}
