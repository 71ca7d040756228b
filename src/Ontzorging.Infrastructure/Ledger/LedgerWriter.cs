using Dapper;
using NodaTime;
using Npgsql;
using NpgsqlTypes;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.Infrastructure.Ledger;

/// <summary>
/// Appends journal entries. A source key names what caused an entry (a receipt, a batch line, a
/// decision); posting the same cause twice adds nothing. The database refuses an entry that does
/// not balance or that would make a household or credit balance negative.
/// </summary>
public static class LedgerWriter
{
    private const string InsertEntry = """
        INSERT INTO journal_entries (entry_date, kind, description, household_id, batch_id, source_key, recorded_by, recorded_at)
        VALUES (@Date, @Kind, @Description, @HouseholdId, @BatchId, @SourceKey, @RecordedBy, @Now)
        ON CONFLICT ON CONSTRAINT uq_journal_entries_source_key DO NOTHING
        RETURNING id
        """;

    private const string InsertLines = """
        INSERT INTO journal_lines (entry_id, account, debit, credit)
        SELECT @EntryId, account, debit, credit
          FROM unnest(@Accounts::text[], @Debits::numeric[], @Credits::numeric[]) AS l(account, debit, credit)
        """;

    /// <summary>Posts <paramref name="entry"/> unless its source key was posted before; true when it was added.</summary>
    public static async Task<bool> Post(NpgsqlConnection connection, NpgsqlTransaction transaction, JournalEntry entry, Posting posting, CancellationToken ct)
    {
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(InsertEntry, new
        {
            entry.Date,
            entry.Kind,
            entry.Description,
            posting.HouseholdId,
            posting.BatchId,
            posting.SourceKey,
            posting.RecordedBy,
            posting.Now,
        }, transaction, cancellationToken: ct));
        if (id is null)
        {
            return false;
        }

        await connection.ExecuteAsync(new CommandDefinition(InsertLines, new
        {
            EntryId = id,
            Accounts = entry.Lines.Select(l => l.Account).ToArray(),
            Debits = entry.Lines.Select(l => l.Debit.ToDecimal()).ToArray(),
            Credits = entry.Lines.Select(l => l.Credit.ToDecimal()).ToArray(),
        }, transaction, cancellationToken: ct));
        return true;
    }
}

/// <summary>Many entries at once (a batch): ids reserved from the sequence, then one statement per table.</summary>
public static class BulkLedgerWriter
{
    private const string ReserveIds = "SELECT nextval(pg_get_serial_sequence('journal_entries', 'id')) FROM generate_series(1, @Count)";

    private const string CopyEntries = """
        COPY journal_entries (id, entry_date, kind, description, household_id, batch_id, source_key, recorded_by, recorded_at) FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyLines = "COPY journal_lines (entry_id, account, debit, credit) FROM STDIN (FORMAT BINARY)";

    public static async Task PostMany(NpgsqlConnection connection, NpgsqlTransaction transaction, IReadOnlyList<(JournalEntry Entry, Posting Posting)> postings, CancellationToken ct)
    {
        if (postings.Count == 0)
        {
            return;
        }

        var ids = (await connection.QueryAsync<long>(new CommandDefinition(ReserveIds, new { postings.Count }, transaction, cancellationToken: ct))).ToArray();
        await BinaryCopy.Write(connection, CopyEntries, postings.Select((p, i) => (Id: ids[i], p.Entry, p.Posting)), (row, p) =>
        {
            row.Write(p.Id, NpgsqlDbType.Bigint);
            row.Write(p.Entry.Date, NpgsqlDbType.Date);
            row.Write(p.Entry.Kind, NpgsqlDbType.Text);
            row.Write(p.Entry.Description, NpgsqlDbType.Text);
            row.WriteNullable(p.Posting.HouseholdId, NpgsqlDbType.Bigint);
            row.WriteNullable(p.Posting.BatchId, NpgsqlDbType.Bigint);
            row.Write(p.Posting.SourceKey, NpgsqlDbType.Text);
            row.Write(p.Posting.RecordedBy, NpgsqlDbType.Text);
            row.Write(p.Posting.Now, NpgsqlDbType.TimestampTz);
        }, ct);

        // All lines in one COPY: the balance trigger sees each account's net change once.
        await BinaryCopy.Write(connection, CopyLines, postings.SelectMany((p, i) => p.Entry.Lines.Select(l => (EntryId: ids[i], Line: l))), (row, l) =>
        {
            row.Write(l.EntryId, NpgsqlDbType.Bigint);
            row.Write(l.Line.Account, NpgsqlDbType.Text);
            row.Write(l.Line.Debit.ToDecimal(), NpgsqlDbType.Numeric);
            row.Write(l.Line.Credit.ToDecimal(), NpgsqlDbType.Numeric);
        }, ct);
    }
}

/// <summary>Who and what caused a posting.</summary>
public sealed record Posting(string SourceKey, string RecordedBy, Instant Now, long? HouseholdId = null, long? BatchId = null);
