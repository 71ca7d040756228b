using Ontzorging.Infrastructure.Csv;
using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Batches;

/// <summary>A lifecycle step that is not allowed, with the reason for the finance officer.</summary>
public sealed class BatchRefusedException(string message) : Exception(message);

/// <summary>What an export wrote; a batch without payments writes no file (<see cref="File"/> is null).</summary>
public sealed record BatchExport(long BatchId, string? MessageId, Pain001Version Version, string? File, int Payments, Money ControlSum, bool FirstExport);

public sealed record BatchSettlement(long BatchId, int Settled, string Status);

/// <summary>
/// Draft → Approved → Exported → (Partially) Settled, plus Rejected and Cancelled (docs/rules.md §9,
/// issue 4). Approval needs a second person (the database refuses the preparer); export needs
/// approval and books the payments into transit; a rejected or cancelled batch is undone with
/// correcting entries so its month can be prepared again; an exported batch cannot be cancelled.
/// </summary>
public sealed class BatchLifecycle(NpgsqlDataSource dataSource, IClock clock, IOptions<ManagedAccountOptions> account)
{
    private const string Lock = "SELECT id, month, status, prepared_by AS PreparedBy FROM batches WHERE id = @Id FOR UPDATE";

    public async Task Approve(long id, string user, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = await Load(connection, transaction, id, ct);
        Require(batch, BatchAction.Approve);
        if (BatchStates.ApprovalRefusal(id, batch.PreparedBy, user) is { } refusal)
        {
            throw new BatchRefusedException(refusal);
        }

        // The approval record and the status change go together; the database refuses either alone (migration 0016).
        var approval = new { Id = id, User = user, Now = clock.GetCurrentInstant() };
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES (@Id, @User, @Now)", approval, transaction, cancellationToken: ct));
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE batches SET status = 'approved', approved_by = @User, approved_at = @Now WHERE id = @Id", approval, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
    }

    public Task Reject(long id, string user, string reason, CancellationToken ct = default) => Undo(id, user, reason, BatchAction.Reject, ct);

    public Task Cancel(long id, string user, string reason, CancellationToken ct = default) => Undo(id, user, reason, BatchAction.Cancel, ct);

    /// <summary>
    /// Writes the batch's payments as pain.001. The first export moves the batch to exported and
    /// books every payment into transit; exporting again writes the same payments (the same
    /// EndToEndIds) under a new MsgId, so a bank refuses the duplicate.
    /// </summary>
    public async Task<BatchExport> Export(long id, string user, Pain001Version version, string file, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = await Load(connection, transaction, id, ct);
        Require(batch, BatchAction.Export);
        var now = clock.GetCurrentInstant();
        var sequence = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) + 1 FROM batch_exports WHERE batch_id = @Id", new { Id = id }, transaction, cancellationToken: ct));
        var messageId = $"OZ-{batch.Month:yyyyMM}-B{id}-E{sequence}";
        var groups = (await connection.QueryAsync<GroupRow>(new CommandDefinition("""
            SELECT execution_date AS ExecutionDate, count(*)::int AS Count, sum(amount) AS Sum
              FROM payments WHERE batch_id = @Id AND status <> 'cancelled' GROUP BY execution_date ORDER BY execution_date
            """, new { Id = id }, transaction, cancellationToken: ct)))
            .Select(g => new Pain001Group(g.ExecutionDate, g.Count, Money.FromEuros(g.Sum))).ToList();
        var header = new Pain001Header(messageId, now, account.Value.Name, groups);
        if (groups.Count == 0)
        {
            // Nothing to pay (e.g. a month after the end that only repays credit): no file, and nothing to settle.
            await connection.ExecuteAsync(new CommandDefinition("UPDATE batches SET status = 'settled', exported_at = coalesce(exported_at, @Now) WHERE id = @Id",
                new { Id = id, Now = now }, transaction, cancellationToken: ct));
            await transaction.CommitAsync(ct);
            return new BatchExport(id, null, version, null, 0, Money.Zero, batch.Status == BatchStatus.Approved.Code());
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
        var temporary = file + ".partial";

        // The file is written from a second connection that sees this transaction's snapshot, while
        // this connection books the export: the client writes XML while the server books the ledger.
        // Whatever fails (the file, the booking, the commit) leaves neither a partial file nor a file
        // the database does not know; the batch then stays as it was. A crash between the move and
        // the commit leaves a file whose MsgId was not recorded: exporting again writes it anew
        // under the same MsgId, which the bank has not seen.
        var moved = false;
        var first = batch.Status == BatchStatus.Approved.Code();
        try
        {
            var snapshot = await SharedSnapshot.Export(connection, transaction, ct);
            var write = Task.Run(() => WriteFile(temporary, version, header, id, batch.Month, snapshot, ct), ct);
            var book = first ? MarkExported(connection, transaction, id, user, now, ct) : Task.CompletedTask;
            await Task.WhenAll(write, book);

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO batch_exports (batch_id, msg_id, version, file_name, sha256, payment_count, control_sum, exported_by, exported_at)
                VALUES (@Id, @MessageId, @Version, @File, @Hash, @Count, @Sum, @User, @Now)
                """, new
            {
                Id = id, MessageId = messageId, Version = version.Code(), File = Path.GetFileName(file), Hash = await Sha256(temporary, ct),
                header.Count, Sum = header.Sum.ToDecimal(), User = user, Now = now,
            }, transaction, cancellationToken: ct));
            File.Move(temporary, file, overwrite: true);
            moved = true;
            await transaction.CommitAsync(ct);
        }
        catch
        {
            File.Delete(moved ? file : temporary);
            throw;
        }

        return new BatchExport(id, messageId, version, file, header.Count, header.Sum, first);
    }

    /// <summary>
    /// Marks the exported payments that executed on or before <paramref name="through"/> as settled
    /// (in transit → bank, dated their execution date). Without a bank statement this is the
    /// officer's confirmation; bank ledger matching does the same from the statement.
    /// </summary>
    public async Task<BatchSettlement> Settle(long id, LocalDate through, string user, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = await Load(connection, transaction, id, ct);
        Require(batch, BatchAction.Settle);
        var settled = (await connection.QueryAsync<SettledPayment>(new CommandDefinition("""
            UPDATE payments p SET status = 'settled', settled_on = p.execution_date
             WHERE p.batch_id = @Id AND p.status = 'open' AND p.execution_date <= @Through
            RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
            """, new { Id = id, Through = through }, transaction, cancellationToken: ct))).ToList();
        await PaymentSettlement.Book(connection, transaction, settled, user, clock.GetCurrentInstant(), ct);
        var status = await connection.ExecuteScalarAsync<string>(new CommandDefinition("SELECT status FROM batches WHERE id = @Id", new { Id = id }, transaction, cancellationToken: ct));
        await transaction.CommitAsync(ct);
        return new BatchSettlement(id, settled.Count, status!);
    }

    /// <summary>Settles, in every batch, the exported payments that executed on or before <paramref name="day"/>.</summary>
    public async Task<int> SettleDue(LocalDate day, string user, CancellationToken ct = default)
    {
        List<long> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT DISTINCT p.batch_id FROM payments p JOIN batches b ON b.id = p.batch_id
                 WHERE p.status = 'open' AND p.execution_date <= @Day AND b.status IN ('exported', 'partially_settled') ORDER BY p.batch_id
                """, new { Day = day }, cancellationToken: ct))).ToList();
        }

        var settled = 0;
        foreach (var id in due)
        {
            settled += (await Settle(id, day, user, ct)).Settled;
        }

        return settled;
    }

    private async Task WriteFile(string path, Pain001Version version, Pain001Header header, long id, LocalDate month, string snapshot, CancellationToken ct)
    {
        await using var reading = await SharedSnapshot.Import(dataSource, snapshot, ct);
        await using var output = OwnerOnlyFile.Create(path);
        await using var reader = await new NpgsqlCommand("""
            SELECT p.end_to_end_id, p.execution_date, p.amount, p.payee_name, p.payee_iban, p.reference, p.kind, h.reference
              FROM payments p JOIN households h ON h.id = p.household_id
             WHERE p.batch_id = @id AND p.status <> 'cancelled'
             ORDER BY p.execution_date, p.id
            """, reading.Connection, reading.Transaction) { Parameters = { new("id", id) } }.ExecuteReaderAsync(ct);
        Pain001Writer.Write(output, version, header, account.Value, Read(reader, month));
    }

    /// <summary>The first export: the batch becomes exported and every household's payments go into transit.</summary>
    private static async Task MarkExported(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string user, Instant now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("UPDATE batches SET status = 'exported', exported_at = @Now WHERE id = @Id", new { Id = id, Now = now }, transaction, cancellationToken: ct));
        var totals = await connection.QueryAsync<HouseholdTotal>(new CommandDefinition("""
            SELECT p.household_id AS HouseholdId, h.reference AS Household, sum(p.amount) AS Amount, b.month AS Month
              FROM payments p JOIN households h ON h.id = p.household_id JOIN batches b ON b.id = p.batch_id
             WHERE p.batch_id = @Id AND p.status <> 'cancelled' GROUP BY p.household_id, h.reference, b.month
            """, new { Id = id }, transaction, cancellationToken: ct));
        var day = MunicipalTime.DateOf(now);
        await BulkLedgerWriter.PostMany(connection, transaction, totals.Select(t => (
            Postings.PaymentExported(t.Household, day, Money.FromEuros(t.Amount), $"payments of {t.Month:yyyy-MM}"),
            new Posting($"batch:{id}:export:{t.Household}", user, now, t.HouseholdId, id))).ToList(), ct);
    }

    private async Task Undo(long id, string user, string reason, BatchAction action, CancellationToken ct)
    {
        var status = BatchStates.Undone(action).Code();
        if (string.IsNullOrWhiteSpace(reason))
        {
            throw new BatchRefusedException($"a reason is required to mark a batch {status}");
        }

        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await using var transaction = await connection.BeginTransactionAsync(ct);
        var batch = await Load(connection, transaction, id, ct);
        Require(batch, action);
        var later = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT id FROM live_batches WHERE month > @Month ORDER BY month LIMIT 1", new { batch.Month }, transaction, cancellationToken: ct));
        if (later is not null)
        {
            throw new BatchRefusedException($"batch {later} for a later month builds on batch {id}; reject or cancel that one first");
        }

        var now = clock.GetCurrentInstant();
        CommandDefinition Command(string sql) => new(sql, new { Id = id, Status = status, User = user, Reason = reason, Now = now }, transaction, cancellationToken: ct);
        await connection.ExecuteAsync(Command(status == "rejected"
            ? "UPDATE batches SET status = @Status, rejected_by = @User, rejected_at = @Now, rejection_reason = @Reason WHERE id = @Id"
            : "UPDATE batches SET status = @Status, cancelled_by = @User, cancelled_at = @Now, rejection_reason = @Reason WHERE id = @Id"));
        await connection.ExecuteAsync(Command("UPDATE payments SET status = 'cancelled' WHERE batch_id = @Id"));
        await connection.ExecuteAsync(Command("UPDATE receipts SET batch_id = NULL WHERE batch_id = @Id"));
        await connection.ExecuteAsync(Command("UPDATE payments SET return_taken_in_batch_id = NULL WHERE return_taken_in_batch_id = @Id"));
        await connection.ExecuteAsync(Command("UPDATE arrears SET paid_in_batch_id = NULL WHERE paid_in_batch_id = @Id"));
        await connection.ExecuteAsync(Command("DELETE FROM arrears WHERE raised_in_batch_id = @Id"));

        // The batch's own entries stay; each gets a correcting entry that mirrors it (append-only ledger).
        var entries = (await connection.QueryAsync<EntryLine>(Command("""
            SELECT e.id AS EntryId, e.entry_date AS Date, e.kind, e.description, e.household_id AS HouseholdId, l.account, l.debit, l.credit
              FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id WHERE e.batch_id = @Id ORDER BY e.id, l.id
            """))).GroupBy(l => l.EntryId).ToList();
        await BulkLedgerWriter.PostMany(connection, transaction, entries.Select(e => (
            new JournalEntry(e.First().Date, "correction", $"correction of entry {e.Key} ({e.First().Description}): batch {id} {status}: {reason}",
                e.Select(l => new JournalLine(l.Account, Money.FromEuros(l.Credit), Money.FromEuros(l.Debit))).ToList()),
            new Posting($"correction:{e.Key}", user, now, e.First().HouseholdId, id))).ToList(), ct);
        await transaction.CommitAsync(ct);
    }

    private static async Task<BatchRow> Load(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, CancellationToken ct) =>
        await connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(Lock, new { Id = id }, transaction, cancellationToken: ct))
            ?? throw new BatchRefusedException($"there is no batch {id}");

    private static void Require(BatchRow batch, BatchAction action)
    {
        if (BatchStates.Refusal(action, batch.Id, BatchStates.Parse(batch.Status)) is { } refusal)
        {
            throw new BatchRefusedException(refusal);
        }
    }

    private static IEnumerable<Pain001Payment> Read(NpgsqlDataReader reader, LocalDate month)
    {
        while (reader.Read())
        {
            var reference = reader.IsDBNull(5) ? null : PaymentReference.Parse(reader.GetString(5)).Value;
            var kind = reader.GetString(6);
            var household = reader.GetString(7);
            var description = kind == "leefgeld" ? $"Leefgeld {month:yyyy-MM} {household}" : $"Ontzorging {household} {kind} {month:yyyy-MM}";
            yield return new Pain001Payment(reader.GetString(0), reader.GetFieldValue<LocalDate>(1), Money.FromEuros(reader.GetDecimal(2)), reader.GetString(3),
                Iban.Of(reader.GetString(4)), reference, description);
        }
    }

    private static async Task<string> Sha256(string file, CancellationToken ct)
    {
        await using var stream = File.OpenRead(file);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, ct));
    }

    private sealed class BatchRow
    {
        public long Id { get; set; }

        public LocalDate Month { get; set; }

        public string Status { get; set; } = "";

        public string PreparedBy { get; set; } = "";
    }

    private sealed class GroupRow
    {
        public LocalDate ExecutionDate { get; set; }

        public int Count { get; set; }

        public decimal Sum { get; set; }
    }

    private sealed class HouseholdTotal
    {
        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public decimal Amount { get; set; }

        public LocalDate Month { get; set; }
    }

    private sealed class EntryLine
    {
        public long EntryId { get; set; }

        public LocalDate Date { get; set; }

        public string Kind { get; set; } = "";

        public string Description { get; set; } = "";

        public long? HouseholdId { get; set; }

        public string Account { get; set; } = "";

        public decimal Debit { get; set; }

        public decimal Credit { get; set; }
    }
}
