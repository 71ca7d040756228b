using System.Security.Cryptography;
using System.Text;
using Dapper;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.Infrastructure.BankLedgers;

public sealed record BankImportReport(string File, BankFormat Format, int Read, int Added, bool DryRun)
{
    public int AlreadyPresent => Read - Added;
}

/// <summary>
/// <c>ontzorging ledger import FILE</c>: reads a bank export, streams its lines into a staging
/// table with binary COPY and keeps each real transaction once, in one transaction; with any
/// error nothing is written (<see cref="InputRejectedException"/>). A dry run reports what would
/// be added without writing.
/// </summary>
public sealed class BankStatementImporter(NpgsqlDataSource dataSource, IClock clock)
{
    private const string Staging = """
        CREATE TEMP TABLE bank_lines_staging (
            identity_key uuid, account text, booking_date date, amount numeric(14,2), counterparty_iban text,
            counterparty_name text, description text, reference text, return_reason text, occurrence int) ON COMMIT DROP
        """;

    private const string Copy = """
        COPY bank_lines_staging (identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence)
        FROM STDIN (FORMAT BINARY)
        """;

    private const string Merge = """
        INSERT INTO bank_lines (import_id, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence)
        SELECT @ImportId, identity_key, account, booking_date, amount, counterparty_iban, counterparty_name, description, reference, return_reason, occurrence
          FROM bank_lines_staging
         ORDER BY identity_key -- in key order, the unique index is appended to instead of split all over
        ON CONFLICT ON CONSTRAINT uq_bank_lines_identity DO NOTHING
        """;

    private const string CountNew = """
        SELECT count(*) FROM bank_lines_staging s WHERE NOT EXISTS (SELECT 1 FROM bank_lines b WHERE b.identity_key = s.identity_key)
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

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        await connection.ExecuteAsync(new CommandDefinition(Staging, transaction: transaction, cancellationToken: ct));
        progress?.Report(("read", 1));
        var written = 0;
        await BinaryCopy.Write(connection, Copy, WithOccurrence(lines), (row, l) =>
        {
            if (++written % 20_000 == 0)
            {
                progress?.Report(("write", 0.9 * written / lines.Count));
            }

            row.Write(l.Key, NpgsqlDbType.Uuid);
            row.Write(l.Line.Account, NpgsqlDbType.Text);
            row.Write(l.Line.BookingDate, NpgsqlDbType.Date);
            row.Write(l.Line.Amount.ToDecimal(), NpgsqlDbType.Numeric);
            row.WriteNullable(l.Line.CounterpartyIban, NpgsqlDbType.Text);
            row.Write(l.Line.CounterpartyName, NpgsqlDbType.Text);
            row.Write(l.Line.Description, NpgsqlDbType.Text);
            row.WriteNullable(l.Line.Reference, NpgsqlDbType.Text);
            row.WriteNullable(l.Line.ReturnReason, NpgsqlDbType.Text);
            row.Write(l.Occurrence, NpgsqlDbType.Integer);
        }, ct);

        int added;
        if (dryRun)
        {
            added = await connection.ExecuteScalarAsync<int>(new CommandDefinition(CountNew, transaction: transaction, cancellationToken: ct));
            await transaction.RollbackAsync(ct);
        }
        else
        {
            var importId = await connection.ExecuteScalarAsync<long>(new CommandDefinition("""
                INSERT INTO bank_imports (file_name, sha256, format, imported_by, imported_at, lines_read, lines_added)
                VALUES (@File, @Hash, @Format, @User, @Now, @Read, 0) RETURNING id
                """, new
            {
                File = Path.GetFileName(path), Hash = Convert.ToHexStringLower(SHA256.HashData(bytes)), Format = Name(detected),
                User = user, Now = clock.GetCurrentInstant(), Read = lines.Count,
            }, transaction, cancellationToken: ct));
            added = await connection.ExecuteAsync(new CommandDefinition(Merge, new { ImportId = importId }, transaction, cancellationToken: ct));

            await connection.ExecuteAsync(new CommandDefinition("UPDATE bank_imports SET lines_added = @Added WHERE id = @Id", new { Added = added, Id = importId }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
        }

        progress?.Report(("write", 1));
        return new BankImportReport(Path.GetFileName(path), detected, lines.Count, added, dryRun);
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
    /// The k-th of identical lines on a day gets occurrence k, and its key is a hash of the line's
    /// identity and k: the same statement imported twice, or two overlapping statements, give the same keys.
    /// </summary>
    private static IEnumerable<(BankLine Line, int Occurrence, Guid Key)> WithOccurrence(IEnumerable<BankLine> lines)
    {
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var line in lines)
        {
            var identity = line.Identity;
            var occurrence = seen[identity] = seen.GetValueOrDefault(identity) + 1;
            yield return (line, occurrence, IdentityKey($"{identity}\u001f{occurrence}"));
        }
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
}
