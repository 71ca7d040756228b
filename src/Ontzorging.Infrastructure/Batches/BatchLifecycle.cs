using Ontzorging.Infrastructure.Audit;
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

/// <summary>What an export wrote; a batch without payments writes no file (<see cref="File"/> is null).</summary>
public sealed record BatchExport(long BatchId, string? MessageId, Pain001Version Version, string? File, int Payments, Money ControlSum, bool FirstExport);

public sealed record BatchSettlement(long BatchId, int Settled, BatchStatus Status);

/// <summary>An exception acknowledged (or found acknowledged already: <see cref="Recorded"/> false), and how many of the batch's exceptions still wait.</summary>
public sealed record ExceptionAcknowledged(long BatchId, long ExceptionId, bool Recorded, int StillOpen);

/// <summary>A step that moved a batch: where it stood and where it stands now.</summary>
public sealed record BatchStep(long BatchId, BatchStatus Before, BatchStatus After);

/// <summary>
/// Use cases: approve, reject, cancel, export and settle a batch. Draft → Approved → Exported →
/// (Partially) Settled, plus Rejected and Cancelled (docs/rules.md §9, issue 4). Approval needs a
/// second person (the database refuses the preparer) and keeps the digest of the payments; export
/// needs approval, writes only the payments that give that digest, and books them
/// into transit; a rejected or cancelled batch is undone with correcting entries so its month can
/// be prepared again; an exported batch cannot be cancelled. Each step reads the batch under its
/// row lock, and writes its audit record (status before and after) in its own transaction.
/// </summary>
public sealed class BatchLifecycle(WriteDoor door, NpgsqlDataSource dataSource, IOptions<ManagedAccountOptions> account)
{
    // The preparer's person and the acting person's (docs/rules.md §14: a CLI login and a provider subject linked to one person are one).
    private const string Lock = """
        SELECT id, month, status, prepared_by AS PreparedBy, person_of(prepared_by) AS PreparerPerson, person_of(@Actor) AS ActorPerson
          FROM batches WHERE id = @Id FOR UPDATE
        """;

    // The database copies the batch's digest into the approval (migrations/always/batches.sql), whatever a client sends.
    private const string InsertApproval = """
        INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES (@Id, @User, @Now)
        RETURNING payment_count AS Count, control_sum AS Sum, payments_sha256 AS Sha256
        """;

    private const string Unacknowledged = """
        SELECT count(*)::int FROM batch_issues i
         WHERE i.batch_id = @Id AND NOT EXISTS (SELECT 1 FROM batch_issue_acknowledgements a WHERE a.issue_id = i.id)
        """;

    private const string InsertAcknowledgement = """
        INSERT INTO batch_issue_acknowledgements (issue_id, batch_id, acknowledged_by, acknowledged_at)
        SELECT i.id, i.batch_id, @User, @Now FROM batch_issues i WHERE i.id = @Exception AND i.batch_id = @Id
        ON CONFLICT ON CONSTRAINT pk_batch_issue_acknowledgements DO NOTHING
        """;

    private const string ApprovedDigest = "SELECT payment_count AS Count, control_sum AS Sum, payments_sha256 AS Sha256 FROM batch_approvals WHERE batch_id = @Id";

    public Task<Result<BatchStep>> Approve(Actor actor, long id, CancellationToken ct = default) =>
        Step(actor, id, BatchAction.Approve, async (scope, batch, token) =>
        {
            if (BatchStates.ApprovalRefusal(id, batch.PreparedBy, batch.PreparerPerson, batch.ActorPerson) is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            // Every exception acknowledged first (issue 22); the batch's row lock keeps acknowledgements and the approval apart.
            var open = await scope.Connection.ExecuteScalarAsync<int>(new CommandDefinition(Unacknowledged, new { Id = id }, scope.Transaction, cancellationToken: token));
            if (ExceptionAcknowledgements.ApprovalRefusal(id, open) is { } waiting)
            {
                throw new RefusedException(waiting);
            }

            // The approval record and the status change go together; the database refuses either alone (migration 0016).
            var approved = BatchStates.After(BatchAction.Approve);
            var approval = new { Id = id, User = actor.Subject, scope.Now, Status = approved.Code() };
            var digest = (await scope.Connection.QuerySingleAsync<DigestRow>(new CommandDefinition(InsertApproval, approval, scope.Transaction, cancellationToken: token))).Digest!;
            await scope.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE batches SET status = @Status, approved_by = @User, approved_at = @Now WHERE id = @Id", approval, scope.Transaction, cancellationToken: token));
            scope.After = new { Status = approved.Code(), ApprovedBy = actor.Subject, Payments = digest.Count, ControlSum = digest.ControlSum.ToString(), PaymentsSha256 = digest.Sha256 };
            return new BatchStep(id, Parse(batch), approved);
        }, ct);

    /// <summary>Locks draft batch <paramref name="id"/> and refuses the acknowledgement unless the rules allow it (a draft, a second person).</summary>
    private static async Task LockForAcknowledgement(WriteScope scope, Actor actor, long id, CancellationToken token)
    {
        var batch = await scope.Connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(Lock, new { Id = id, Actor = actor.Subject }, scope.Transaction, cancellationToken: token))
            ?? throw new RefusedException(Refusal.Of(RefusalCode.BatchUnknown, null, ("batch", id)));
        if (ExceptionAcknowledgements.AcknowledgeRefusal(id, Parse(batch), batch.PreparedBy, batch.PreparerPerson, batch.ActorPerson) is { } refusal)
        {
            throw new RefusedException(refusal);
        }
    }

    /// <summary>
    /// Use case: <paramref name="actor"/> acknowledges exception <paramref name="exceptionId"/> of draft
    /// batch <paramref name="id"/> (issue 22). A second person does, as for the approval; acknowledging
    /// it again changes nothing and keeps no record.
    /// </summary>
    public Task<Result<ExceptionAcknowledged>> Acknowledge(Actor actor, long id, long exceptionId, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.BatchAcknowledge, $"batch {id}", async (scope, token) =>
        {
            var (connection, transaction) = (scope.Connection, scope.Transaction);
            await LockForAcknowledgement(scope, actor, id, token);

            var exists = await connection.ExecuteScalarAsync<bool>(new CommandDefinition(
                "SELECT EXISTS (SELECT 1 FROM batch_issues WHERE id = @Exception AND batch_id = @Id)", new { Id = id, Exception = exceptionId }, transaction, cancellationToken: token));
            if (!exists)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.ExceptionUnknown, null, ("batch", id), ("exception", exceptionId)));
            }

            var added = await connection.ExecuteAsync(new CommandDefinition(InsertAcknowledgement,
                new { Id = id, Exception = exceptionId, User = actor.Subject, scope.Now }, transaction, cancellationToken: token));
            var open = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Unacknowledged, new { Id = id }, transaction, cancellationToken: token));
            scope.NothingChanged = added == 0;
            scope.After = new { Exception = exceptionId, AcknowledgedBy = actor.Subject, StillOpen = open };
            return new ExceptionAcknowledged(id, exceptionId, added > 0, open);
        }, ct);

    /// <summary>
    /// Use case: acknowledges every exception of batch <paramref name="id"/> (of <paramref name="kind"/>
    /// only, when given) not acknowledged yet, in one write with one record (the kind, how many), under
    /// the same rules (a draft, a second person). The approver acknowledges a kind at once after
    /// reading what it asks (the page, <c>batch acknowledge --kind</c>); the simulation and the
    /// benchmarks, whose approver is no person, acknowledge all. Each exception keeps its own row.
    /// </summary>
    public Task<Result<int>> AcknowledgeAll(Actor actor, long id, CancellationToken ct = default) => AcknowledgeAll(actor, id, null, ct);

    /// <inheritdoc cref="AcknowledgeAll(Actor, long, CancellationToken)"/>
    public Task<Result<int>> AcknowledgeAll(Actor actor, long id, string? kind, CancellationToken ct = default) =>
        door.Run(actor, AuditActions.BatchAcknowledge, $"batch {id}", async (scope, token) =>
        {
            var (connection, transaction) = (scope.Connection, scope.Transaction);
            await LockForAcknowledgement(scope, actor, id, token);

            var added = await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO batch_issue_acknowledgements (issue_id, batch_id, acknowledged_by, acknowledged_at)
                SELECT i.id, i.batch_id, @User, @Now FROM batch_issues i WHERE i.batch_id = @Id AND (@Kind::text IS NULL OR i.kind = @Kind)
                ON CONFLICT ON CONSTRAINT pk_batch_issue_acknowledgements DO NOTHING
                """, new { Id = id, Kind = kind, User = actor.Subject, scope.Now }, transaction, cancellationToken: token));
            var open = await connection.ExecuteScalarAsync<int>(new CommandDefinition(Unacknowledged, new { Id = id }, transaction, cancellationToken: token));
            scope.NothingChanged = added == 0;
            scope.After = new { Kind = kind ?? "all", Acknowledged = added, AcknowledgedBy = actor.Subject, StillOpen = open };
            return added;
        }, ct);

    public Task<Result<BatchStep>> Reject(Actor actor, long id, string reason, CancellationToken ct = default) => Undo(actor, id, reason, BatchAction.Reject, ct);

    public Task<Result<BatchStep>> Cancel(Actor actor, long id, string reason, CancellationToken ct = default) => Undo(actor, id, reason, BatchAction.Cancel, ct);

    /// <summary>
    /// Writes the batch's payments as pain.001. The first export moves the batch to exported and
    /// books every payment into transit; exporting again writes the same payments (the same
    /// EndToEndIds) under a new MsgId, so a bank refuses the duplicate. The rows written must give
    /// the digest the approval keeps (docs/rules.md §14); when they do not, the export is refused and
    /// nothing of it stays (no file, no booking). Exporting is also a view of personal data (names
    /// and IBANs), kept in the same record.
    /// </summary>
    public Task<Result<BatchExport>> Export(Actor actor, long id, Pain001Version version, string file, CancellationToken ct = default) =>
        Step(actor, id, BatchAction.Export, async (scope, batch, token) =>
        {
            var (connection, transaction, now) = (scope.Connection, scope.Transaction, scope.Now);
            var sequence = await connection.ExecuteScalarAsync<int>(new CommandDefinition("SELECT count(*) + 1 FROM batch_exports WHERE batch_id = @Id", new { Id = id }, transaction, cancellationToken: token));
            var messageId = $"OZ-{batch.Month:yyyyMM}-B{id}-E{sequence}";
            var groups = (await connection.QueryAsync<GroupRow>(new CommandDefinition("""
                SELECT execution_date AS ExecutionDate, count(*)::int AS Count, sum(amount) AS Sum
                  FROM payments WHERE batch_id = @Id AND status <> 'cancelled' GROUP BY execution_date ORDER BY execution_date
                """, new { Id = id }, transaction, cancellationToken: token)))
                .Select(g => new Pain001Group(g.ExecutionDate, g.Count, Money.FromEuros(g.Sum))).ToList();
            var header = new Pain001Header(messageId, now, account.Value.Name, groups);
            var first = Parse(batch) == BatchStatus.Approved;
            var approved = (await connection.QuerySingleOrDefaultAsync<DigestRow>(new CommandDefinition(ApprovedDigest, new { Id = id }, transaction, cancellationToken: token)))?.Digest;
            if (groups.Count == 0)
            {
                RefuseUnlessApproved(scope, id, approved, PaymentsDigest.None);
                // Nothing to pay (e.g. a month after the end that only repays credit): no file, and nothing to settle.
                var settled = BatchStates.Settled(paymentsStillOpen: false);
                await connection.ExecuteAsync(new CommandDefinition("UPDATE batches SET status = @Status, exported_at = coalesce(exported_at, @Now) WHERE id = @Id",
                    new { Id = id, Now = now, Status = settled.Code() }, transaction, cancellationToken: token));
                scope.After = new { Status = settled.Code(), Payments = 0 };
                return new BatchExport(id, null, version, null, 0, Money.Zero, first);
            }

            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(file))!);
            var temporary = file + ".partial";

            // The file is written from a second connection that sees this transaction's snapshot, while
            // this connection books the export: the client writes XML while the server books the ledger.
            // Whatever fails (the file, the booking, the record, the commit) leaves neither a partial
            // file nor a file the database does not know; the batch then stays as it was. A crash
            // between the move and the commit leaves a file whose MsgId was not recorded: exporting
            // again writes it anew under the same MsgId, which the bank has not seen.
            var moved = false;
            scope.OnFailure(() => File.Delete(moved ? file : temporary));
            var snapshot = await SharedSnapshot.Export(connection, transaction, token);
            var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var write = Task.Run(() => WriteFile(temporary, version, header, id, batch.Month, snapshot, reading, token), token);
            // Booking starts once the writer reads the snapshot, so a booking that fails cannot stop it reading.
            await Task.WhenAny(reading.Task, write);
            var book = first ? MarkExported(connection, transaction, id, actor.Subject, now, token) : Task.CompletedTask;
            try
            {
                await Task.WhenAll(write, book);
            }
            catch (PostgresException) when (write.IsCompletedSuccessfully && PaymentsDigest.ExportRefusal(id, approved, write.Result) is not null)
            {
                // Rows that are not the approved ones can fail their booking (a household's balance
                // below zero): the refusal below says why, not the booking.
            }

            // The rows just written must be the ones approved; otherwise nothing of this export stays.
            RefuseUnlessApproved(scope, id, approved, await write);

            await connection.ExecuteAsync(new CommandDefinition("""
                INSERT INTO batch_exports (batch_id, msg_id, version, file_name, sha256, payment_count, control_sum, exported_by, exported_at)
                VALUES (@Id, @MessageId, @Version, @File, @Hash, @Count, @Sum, @User, @Now)
                """, new
            {
                Id = id, MessageId = messageId, Version = version.Code(), File = Path.GetFileName(file), Hash = await Sha256(temporary, token),
                header.Count, Sum = header.Sum.ToDecimal(), User = actor.Subject, Now = now,
            }, transaction, cancellationToken: token));
            scope.After = new { Status = (first ? BatchStates.After(BatchAction.Export) : Parse(batch)).Code(), MessageId = messageId, File = Path.GetFileName(file), Payments = header.Count, ControlSum = header.Sum.ToString() };
            scope.BeforeCommit(() =>
            {
                File.Move(temporary, file, overwrite: true);
                moved = true;
                return Task.CompletedTask;
            });
            return new BatchExport(id, messageId, version, file, header.Count, header.Sum, first);
        }, ct);

    /// <summary>
    /// Marks the exported payments that executed on or before <paramref name="through"/> as settled
    /// (in transit → bank, dated their execution date). Without a bank statement this is the
    /// officer's confirmation; bank ledger matching does the same from the statement.
    /// </summary>
    public Task<Result<BatchSettlement>> Settle(Actor actor, long id, LocalDate through, CancellationToken ct = default) =>
        Step(actor, id, BatchAction.Settle, async (scope, batch, token) =>
        {
            var settled = (await scope.Connection.QueryAsync<SettledPayment>(new CommandDefinition("""
                UPDATE payments p SET status = 'settled', settled_on = p.execution_date
                 WHERE p.batch_id = @Id AND p.status = 'open' AND p.execution_date <= @Through
                RETURNING p.household_id AS HouseholdId, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind, p.amount, p.settled_on AS SettledOn
                """, new { Id = id, Through = through }, scope.Transaction, cancellationToken: token))).ToList();
            await PaymentSettlement.Book(scope.Connection, scope.Transaction, settled, actor.Subject, scope.Now, token);
            var status = BatchStates.Parse((await scope.Connection.ExecuteScalarAsync<string>(new CommandDefinition(
                "SELECT status FROM batches WHERE id = @Id", new { Id = id }, scope.Transaction, cancellationToken: token)))!);
            scope.NothingChanged = settled.Count == 0;
            scope.After = new { Status = status.Code(), Settled = settled.Count, Through = through };
            return new BatchSettlement(id, settled.Count, status);
        }, ct);

    /// <summary>Settles, in every batch, the exported payments that executed on or before <paramref name="day"/>: one write per batch.</summary>
    public async Task<int> SettleDue(Actor actor, LocalDate day, CancellationToken ct = default)
    {
        List<long> due;
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            due = (await connection.QueryAsync<long>(new CommandDefinition(
                """
                SELECT DISTINCT p.batch_id FROM payments p JOIN batches b ON b.id = p.batch_id
                 WHERE p.status = 'open' AND p.execution_date <= @Day AND b.status = ANY(@Statuses) ORDER BY p.batch_id
                """, new { Day = day, Statuses = BatchStates.AllowedFrom(BatchAction.Settle).Select(BatchStates.Code).ToArray() }, cancellationToken: ct))).ToList();
        }

        var settled = 0;
        foreach (var id in due)
        {
            var outcome = await Settle(actor, id, day, ct);
            settled += outcome.Success ? outcome.Value.Settled : 0;
        }

        return settled;
    }

    /// <summary>
    /// An export writes exactly what was approved (docs/rules.md §14): the digest of the rows it wrote
    /// must be the approval's. Refused otherwise, and the record keeps what the export found.
    /// </summary>
    private static void RefuseUnlessApproved(WriteScope scope, long id, PaymentsDigest? approved, PaymentsDigest written)
    {
        if (PaymentsDigest.ExportRefusal(id, approved, written) is { } refusal)
        {
            scope.After = new { Payments = written.Count, ControlSum = written.ControlSum.ToString(), PaymentsSha256 = written.Sha256 };
            throw new RefusedException(refusal);
        }
    }

    /// <summary>Writes the file from the batch's rows as <paramref name="snapshot"/> sees them, and returns the digest of exactly those rows.</summary>
    private async Task<PaymentsDigest> WriteFile(string path, Pain001Version version, Pain001Header header, long id, LocalDate month, string snapshot,
        TaskCompletionSource snapshotRead, CancellationToken ct)
    {
        await using var reading = await SharedSnapshot.Import(dataSource, snapshot, ct);
        snapshotRead.SetResult();
        await using var output = OwnerOnlyFile.Create(path);
        await using var reader = await new NpgsqlCommand("""
            SELECT p.end_to_end_id, p.execution_date, p.amount, p.payee_name, p.payee_iban, p.reference, p.kind, h.reference
              FROM payments p JOIN households h ON h.id = p.household_id
             WHERE p.batch_id = @id AND p.status <> 'cancelled'
             ORDER BY p.execution_date, p.id
            """, reading.Connection, reading.Transaction) { Parameters = { new("id", id) } }.ExecuteReaderAsync(ct);
        var digest = new PaymentsDigest.Builder(header.Count);
        Pain001Writer.Write(output, version, header, account.Value, Read(reader, month, digest));
        return digest.Digest();
    }

    /// <summary>The first export: the batch becomes exported and every household's payments go into transit.</summary>
    private static async Task MarkExported(NpgsqlConnection connection, NpgsqlTransaction transaction, long id, string user, Instant now, CancellationToken ct)
    {
        await connection.ExecuteAsync(new CommandDefinition("UPDATE batches SET status = @Status, exported_at = @Now WHERE id = @Id", new { Id = id, Now = now, Status = BatchStates.After(BatchAction.Export).Code() }, transaction, cancellationToken: ct));
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

    private Task<Result<BatchStep>> Undo(Actor actor, long id, string reason, BatchAction action, CancellationToken ct)
    {
        var status = BatchStates.Undone(action);
        if (string.IsNullOrWhiteSpace(reason))
        {
            return door.Refuse<BatchStep>(actor, Name(action), $"batch {id}", Refusal.Of(RefusalCode.UndoNeedsReason, "reason", ("status", status)));
        }

        if (TextRules.ReasonRefusal(reason, TextRules.MaxReasonLength) is { } unfit)
        {
            return door.Refuse<BatchStep>(actor, Name(action), $"batch {id}", unfit);
        }

        reason = TextRules.Nfc(reason);

        return Step(actor, id, action, async (scope, batch, token) =>
        {
            var (connection, transaction, now) = (scope.Connection, scope.Transaction, scope.Now);
            var later = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
                "SELECT id FROM live_batches WHERE month > @Month ORDER BY month LIMIT 1", new { batch.Month }, transaction, cancellationToken: token));
            if (later is not null)
            {
                throw new RefusedException(Refusal.Of(RefusalCode.LaterBatchBuildsOn, null, ("later", later.Value), ("batch", id)));
            }

            CommandDefinition Command(string sql) => new(sql, new { Id = id, Status = status.Code(), User = actor.Subject, Reason = reason, Now = now }, transaction, cancellationToken: token);
            await connection.ExecuteAsync(Command(status == BatchStatus.Rejected
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
                new JournalEntry(e.First().Date, "correction", $"correction of entry {e.Key} ({e.First().Description}): batch {id} {status.Code()}: {reason}",
                    e.Select(l => new JournalLine(l.Account, Money.FromEuros(l.Credit), Money.FromEuros(l.Debit))).ToList()),
                new Posting($"correction:{e.Key}", actor.Subject, now, e.First().HouseholdId, id))).ToList(), token);
            scope.After = new { Status = status.Code(), Reason = reason };
            return new BatchStep(id, Parse(batch), status);
        }, ct);
    }

    /// <summary>One step on one batch: the batch is read under its row lock and must allow the step; its status before is kept in the record.</summary>
    private Task<Result<T>> Step<T>(Actor actor, long id, BatchAction action, Func<WriteScope, BatchRow, CancellationToken, Task<T>> change, CancellationToken ct) =>
        door.Run(actor, Name(action), $"batch {id}", async (scope, token) =>
        {
            var batch = await scope.Connection.QuerySingleOrDefaultAsync<BatchRow>(new CommandDefinition(Lock, new { Id = id, Actor = actor.Subject }, scope.Transaction, cancellationToken: token))
                ?? throw new RefusedException(Refusal.Of(RefusalCode.BatchUnknown, null, ("batch", id)));
            scope.Before = new { batch.Status };
            if (BatchStates.Refusal(action, batch.Id, Parse(batch)) is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            return await change(scope, batch, token);
        }, ct);

    private static string Name(BatchAction action) => AuditActions.BatchStep(action);

    private static BatchStatus Parse(BatchRow batch) => BatchStates.Parse(batch.Status);

    /// <summary>The payments to write, each added to <paramref name="digest"/> as it is stored.</summary>
    private static IEnumerable<Pain001Payment> Read(NpgsqlDataReader reader, LocalDate month, PaymentsDigest.Builder digest)
    {
        while (reader.Read())
        {
            var (endToEndId, executionDate, amount, payeeName, payeeIban) =
                (reader.GetString(0), reader.GetFieldValue<LocalDate>(1), Money.FromEuros(reader.GetDecimal(2)), reader.GetString(3), reader.GetString(4));
            var storedReference = reader.IsDBNull(5) ? null : reader.GetString(5);
            var kind = reader.GetString(6);
            var household = reader.GetString(7);
            digest.Add(new PaidFacts(payeeName, payeeIban, amount, executionDate, storedReference, endToEndId, kind));
            var reference = storedReference is null ? null : PaymentReference.Parse(storedReference).Value;
            var description = kind == "leefgeld" ? $"Leefgeld {month:yyyy-MM} {household}" : $"Ontzorging {household} {kind} {month:yyyy-MM}";
            yield return new Pain001Payment(endToEndId, executionDate, amount, payeeName, Iban.Of(payeeIban), reference, description);
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

        public string PreparerPerson { get; set; } = "";

        public string ActorPerson { get; set; } = "";
    }

    /// <summary>A digest as a row of <c>batches</c> or <c>batch_approvals</c> keeps it; all null for an approval made before there were digests.</summary>
    private sealed class DigestRow
    {
        public int? Count { get; set; }

        public decimal? Sum { get; set; }

        public string? Sha256 { get; set; }

        public PaymentsDigest? Digest => Count is { } count && Sum is { } sum && Sha256 is { } sha256 ? new PaymentsDigest(count, Money.FromEuros(sum), sha256) : null;
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
