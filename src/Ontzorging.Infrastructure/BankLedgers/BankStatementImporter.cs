using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Ontzorging.Domain;
using Npgsql;
using NpgsqlTypes;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record BankImportReport(string File, BankFormat Format, int Read, int Added, bool DryRun, MatchReport? Outgoing = null, IncomingReport? Incoming = null)
{
    public int AlreadyPresent => Read - Added;
}

/// <summary>
/// <c>ontzorging ledger import FILE</c>: reads a bank export, streams its lines into a staging
/// table with binary COPY, keeps each real transaction once and matches the new ones, all in one
/// transaction; with any error nothing is written (<see cref="InputRejectedException"/>). Each new
/// line is written to <c>bank_lines</c> once, with the status matching gave it. A dry run does all
/// of it and rolls back, to report what would be added, matched and left over.
/// </summary>
/// <remarks>
/// The import's temporary tables, which <see cref="BankMatcher"/> and <see cref="IncomingMatcher"/>
/// read and add to: <c>bank_lines_staging</c> (the file's lines, then only the new ones, with the
/// hints of <see cref="StatementClassifier"/>), <c>incoming_lines</c> (the new lines that brought
/// money in, each with the id it will have in <c>bank_lines</c>, so that what is booked from it can
/// name it) and <c>line_matches</c> (what each matched line settles, links, returns, brings in or is).
/// </remarks>
public sealed class BankStatementImporter(NpgsqlDataSource dataSource, IClock clock, IOptions<ManagedAccountOptions> account, DailyBookkeeping bookkeeping)
{
    // Statement imports run one at a time: each dedupes against what the previous one stored.
    private const long ImportLock = 0x4f6e747a_42616e6b; // "OntzBank"

    private const string Staging = """
        CREATE TEMP TABLE bank_lines_staging (
            line_no int, identity_key uuid, account text, booking_date date, amount numeric(14,2), counterparty_iban text,
            counterparty_name text, description text, reference text, return_reason text, occurrence int,
            household_id bigint, toeslag_kind text, covers date, transfer text, return_marked bool) ON COMMIT DROP;
        CREATE TEMP TABLE line_matches (
            line_no int PRIMARY KEY, line_id bigint, booking_date date NOT NULL, amount numeric(14,2) NOT NULL,
            payment_id bigint, settles bool NOT NULL DEFAULT false, returned_payment_id bigint, receipt_id bigint, transfer text) ON COMMIT DROP;
        """;

    private const string Copy = """
        COPY bank_lines_staging (line_no, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence,
                                 household_id, toeslag_kind, covers, transfer, return_marked)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string Dedupe = """
        WITH known AS (
            DELETE FROM bank_lines_staging s USING bank_lines b WHERE b.identity_key = s.identity_key RETURNING s.amount)
        SELECT count(*)::int AS Known, count(*) FILTER (WHERE amount < 0)::int AS KnownOutgoing FROM known
        """;

    private const string Incoming = """
        CREATE TEMP TABLE incoming_lines ON COMMIT DROP AS
        SELECT nextval('bank_lines_id_seq') AS line_id, line_no, booking_date, amount, reference, counterparty_iban, description, return_reason,
               household_id, toeslag_kind, covers, transfer, return_marked
          FROM bank_lines_staging WHERE amount > 0
        """;

    // Every new line once, with what matching found: matched, or (money in) a suggestion for a
    // person, or unmatched. The staging table is in identity-key order (the client sorted it), so
    // the unique index is appended to rather than split all over.
    private const string Store = """
        INSERT INTO bank_lines (id, import_id, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence,
                                status, payment_id, returned_payment_id, receipt_id, transfer, suggested_household, suggested_kind)
        OVERRIDING SYSTEM VALUE
        SELECT coalesce(i.line_id, nextval('bank_lines_id_seq')), @ImportId, s.identity_key, s.account, s.booking_date, s.amount, s.counterparty_iban, s.counterparty_name,
               s.description, s.reference, s.return_reason, s.occurrence,
               CASE WHEN m.line_no IS NOT NULL THEN 'matched' WHEN s.amount > 0 THEN 'suggested' ELSE 'unmatched' END,
               m.payment_id, m.returned_payment_id, m.receipt_id, m.transfer,
               CASE WHEN m.line_no IS NULL THEN s.household_id END, CASE WHEN m.line_no IS NULL THEN s.toeslag_kind END
          FROM bank_lines_staging s
          LEFT JOIN line_matches m ON m.line_no = s.line_no
          LEFT JOIN incoming_lines i ON i.line_no = s.line_no
        """;

    /// <summary>
    /// Imports one file. <paramref name="progress"/>, when given, hears the stage ("read", "write")
    /// and how far it is (0–1), for a progress bar on large files.
    /// </summary>
    public async Task<BankImportReport> Import(string path, BankFormat? format, string user, bool dryRun,
        IProgress<(string Stage, double Done)>? progress = null, CancellationToken ct = default)
    {
        var errors = new List<InputError>();
        if (!File.Exists(path))
        {
            throw new InputRejectedException([new InputError(Path.GetFileName(path), 0, "(file)", "does not exist")]);
        }

        var bytes = await File.ReadAllBytesAsync(path, ct);
        var (detected, lines) = BankStatementReader.Read(path, bytes, format, errors, progress is null ? null : new Progress<double>(d => progress.Report(("read", d))));
        if (errors.Count > 0)
        {
            throw new InputRejectedException(errors);
        }

        var now = clock.GetCurrentInstant();
        MatchReport? outgoingReport = null;
        IncomingReport? incomingReport = null;
        int added;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        await using (var transaction = await connection.BeginTransactionAsync(ct))
        {
            CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);
            await connection.ExecuteAsync(Command("SELECT pg_advisory_xact_lock(@ImportLock)", new { ImportLock }));

            // Matching joins the new lines with payments and receipts; on a staging table the planner
            // knows nothing about, a nested loop over every pair is a risk. Hash joins stay linear.
            await connection.ExecuteAsync(Command("SET LOCAL enable_nestloop = off"));
            var households = (await connection.QueryAsync<(long Id, string Reference)>(Command("SELECT id, reference FROM households")))
                .ToDictionary(h => h.Reference, h => h.Id, StringComparer.OrdinalIgnoreCase);
            var staged = Stage(lines, new StatementClassifier(households, account.Value.MunicipalityIban));
            progress?.Report(("read", 1));

            await connection.ExecuteAsync(Command(Staging));
            await BinaryCopy.WriteEncoded(connection, Copy, staged, (row, l) =>
            {
                row.StartRow(16);
                row.Int4(l.Line.Line);
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
                row.Bigint(l.Hints.Household);
                row.Text(l.Hints.Kind);
                row.Date(l.Hints.Covers);
                row.Text(l.Hints.Transfer);
                row.Bool(l.Hints.ReturnMarked);
            }, progress is null ? null : new Progress<int>(written => progress.Report(("write", 0.5 * written / staged.Length))), ct);

            var (known, knownOutgoing) = await connection.QuerySingleAsync<(int Known, int KnownOutgoing)>(Command(Dedupe));
            added = staged.Length - known;
            await connection.ExecuteAsync(Command("ANALYZE bank_lines_staging"));
            long importId = 0;
            if (!dryRun)
            {
                importId = await connection.ExecuteScalarAsync<long>(Command("""
                    INSERT INTO bank_imports (file_name, sha256, format, imported_by, imported_at, lines_read, lines_added)
                    VALUES (@File, @Hash, @Format, @User, @Now, @Read, @Added) RETURNING id
                    """, new
                {
                    File = Path.GetFileName(path), Hash = Convert.ToHexStringLower(SHA256.HashData(bytes)), Format = Name(detected),
                    User = user, Now = now, Read = staged.Length, Added = added,
                }));
            }

            if (added > 0)
            {
                progress?.Report(("write", 0.6));
                await connection.ExecuteAsync(Command(Incoming));
                var outgoing = staged.Count(l => l.Line.Amount.IsNegative) - knownOutgoing;
                outgoingReport = await BankMatcher.Match(connection, transaction, outgoing, user, now, ct);
                incomingReport = await IncomingMatcher.Match(connection, transaction, ct);
                progress?.Report(("write", 0.8));
                if (!dryRun)
                {
                    // Known sizes, so that the store hashes the matches and keeps the staging order.
                    await connection.ExecuteAsync(Command("ANALYZE line_matches, incoming_lines"));
                    await connection.ExecuteAsync(Command(Store, new { ImportId = importId }));
                }
            }

            if (dryRun)
            {
                await transaction.RollbackAsync(ct);
            }
            else
            {
                await transaction.CommitAsync(ct);
            }
        }

        // New receipts are booked into the household's balance the way every receipt is.
        if (!dryRun && incomingReport is { Booked: > 0 })
        {
            await bookkeeping.Run(clock.Today(), user, ct);
        }

        progress?.Report(("write", 1));
        return new BankImportReport(Path.GetFileName(path), detected, lines.Count, added, dryRun, outgoingReport, incomingReport);
    }

    public static string Name(BankFormat format) => format switch
    {
        BankFormat.Ing => "ing",
        BankFormat.IngSemicolon => "ing-semicolon",
        BankFormat.Rabobank => "rabobank",
        BankFormat.AbnAmro => "abnamro",
        _ => "generic",
    };

    public static BankFormat? Parse(string name) => name switch
    {
        "ing" => BankFormat.Ing,
        "ing-semicolon" => BankFormat.IngSemicolon,
        "rabobank" => BankFormat.Rabobank,
        "abnamro" => BankFormat.AbnAmro,
        "generic" => BankFormat.Generic,
        _ => null,
    };

    /// <summary>
    /// Each line with its occurrence, identity key and hints, in identity-key order. The k-th of
    /// identical lines on a day gets occurrence k, and its key is a hash of the line's identity and
    /// k: the same statement imported twice, or two overlapping statements, give the same keys.
    /// Hashing and classifying run on every core; counting occurrences runs in file order.
    /// </summary>
    private static StagedLine[] Stage(List<BankLine> lines, StatementClassifier classifier)
    {
        var staged = new StagedLine[lines.Count];
        var order = new UInt128[lines.Count];
        Parallel.ForEach(Partitioner.Create(0, lines.Count, 16_384), range =>
        {
            var identity = new IdentityWriter();
            for (var i = range.Item1; i < range.Item2; i++)
            {
                var line = lines[i];
                identity.Start(line);
                var key = identity.Key(1, out order[i]);
                staged[i] = new StagedLine(line, 1, key, classifier.Classify(line));
            }
        });

        // The key of a line's first occurrence stands for its identity (128 bits of SHA-256).
        var seen = new Dictionary<UInt128, int>(lines.Count);
        var again = new IdentityWriter();
        for (var i = 0; i < staged.Length; i++)
        {
            ref var occurrence = ref CollectionsMarshal.GetValueRefOrAddDefault(seen, order[i], out _);
            if (++occurrence > 1)
            {
                again.Start(staged[i].Line);
                staged[i] = staged[i] with { Occurrence = occurrence, Key = again.Key(occurrence, out order[i]) };
            }
        }

        Array.Sort(order, staged);
        return staged;
    }

    /// <summary>
    /// The first 16 bytes of the SHA-256 of a line's identity and occurrence, as a uuid in the hash's
    /// byte order: the first 32 hex digits of the key lines had before migration 0011.
    /// </summary>
    public static Guid IdentityKey(string identityAndOccurrence)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(Encoding.UTF8.GetBytes(identityAndOccurrence), hash);
        return new Guid(hash[..16], bigEndian: true);
    }

    /// <summary>The identity key of the <paramref name="occurrence"/>-th line like <paramref name="line"/> on its day.</summary>
    public static Guid IdentityKey(BankLine line, int occurrence)
    {
        var identity = new IdentityWriter();
        identity.Start(line);
        return identity.Key(occurrence, out _);
    }

    /// <summary>
    /// Writes <see cref="BankLine.Identity"/> as UTF-8 without building the string, and hashes it
    /// with an occurrence into the key, as <see cref="IdentityKey(string)"/> computes it.
    /// </summary>
    private sealed class IdentityWriter
    {
        private const byte Separator = 0x1f;

        private byte[] buffer = new byte[512];
        private int length;

        /// <summary>Writes the identity of <paramref name="line"/>.</summary>
        public void Start(BankLine line)
        {
            length = 0;
            Text(line.Account);
            Separate();
            Date(line.BookingDate);
            Separate();
            Amount(line.Amount);
            Separate();
            Text(line.CounterpartyIban ?? "");
            Separate();
            Text(line.CounterpartyName);
            Separate();
            Text(line.Description);
        }

        /// <summary>The key of the identity written last with <paramref name="occurrence"/>; <paramref name="order"/> sorts keys as PostgreSQL sorts uuids.</summary>
        public Guid Key(int occurrence, out UInt128 order)
        {
            var identity = length;
            Separate();
            Reserve(11);
            occurrence.TryFormat(buffer.AsSpan(length), out var written, provider: CultureInfo.InvariantCulture);
            length += written;
            order = Hash(out var key);
            length = identity;
            return key;
        }

        private UInt128 Hash(out Guid key)
        {
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(buffer.AsSpan(0, length), hash);
            key = new Guid(hash[..16], bigEndian: true);
            return BinaryPrimitives.ReadUInt128BigEndian(hash);
        }

        /// <summary>yyyy-MM-dd, as <see cref="BankLine.Identity"/> writes the date.</summary>
        private void Date(LocalDate date)
        {
            Reserve(10);
            date.ToDateOnly().TryFormat(buffer.AsSpan(length), out var written, "O", CultureInfo.InvariantCulture); // ISO 8601: yyyy-MM-dd
            length += written;
        }

        private void Amount(Money amount)
        {
            Reserve(Money.MaxTextLength);
            amount.TryFormat(buffer.AsSpan(length), out var written);
            length += written;
        }

        private void Separate()
        {
            Reserve(1);
            buffer[length++] = Separator;
        }

        private void Text(string text)
        {
            Reserve(Encoding.UTF8.GetMaxByteCount(text.Length));
            length += Encoding.UTF8.GetBytes(text, buffer.AsSpan(length));
        }

        private void Reserve(int bytes)
        {
            if (length + bytes > buffer.Length)
            {
                Array.Resize(ref buffer, Math.Max(buffer.Length * 2, length + bytes));
            }
        }
    }

    private sealed record StagedLine(BankLine Line, int Occurrence, Guid Key, LineHints Hints);
}
