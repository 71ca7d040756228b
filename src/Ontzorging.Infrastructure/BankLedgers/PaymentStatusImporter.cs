using System.Security.Cryptography;
using Dapper;
using Microsoft.Extensions.Logging;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Resilience;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>A payment a status report re-opened: whose, which, and the bank's reason in words.</summary>
public sealed record RejectedPayment(string Household, string EndToEndId, string Kind, Money Amount, string Reason, bool AccountRefused);

/// <summary>
/// What importing a pain.002 did: the report, the batch it answers, the group status, the payments
/// re-opened (and those the report rejects that were already returned or are on a statement line),
/// how many it accepts; <see cref="ImportedBefore"/> when the same report was imported before, and then nothing changed.
/// </summary>
public sealed record StatusReportImport(
    string File,
    string Version,
    string MessageId,
    long Batch,
    string OriginalMessageId,
    string? GroupStatus,
    IReadOnlyList<RejectedPayment> Reopened,
    int AlreadyReopened,
    int AlreadySettled,
    int Accepted,
    int UnknownPayments,
    string? ImportedBefore,
    bool DryRun,
    int LeftForAPerson = 0);

/// <summary>
/// <c>ontzorging ledger import</c> of a pain.002 status report (docs/rules.md §9, "pain.002"): the
/// bank's answer to one of our pain.001 files. A file rejected whole (group status RJCT), a block
/// rejected, or a payment rejected re-opens each payment as a storno does: it is returned (with the
/// reason in words), the money is the household's again, and an installment is an arrear again, to
/// be sent with the next attempt number once the cause is fixed; the money signals then tell the
/// caseworker. A creditor's account the bank calls closed or wrong (AC04, AC01) is marked on the
/// contract, so the next batch that would pay it raises an exception a person acknowledges. Accepted
/// statuses are recorded on the batch. One write through the door; a report kept once by its MsgId.
/// </summary>
public sealed class PaymentStatusImporter(WriteDoor door, ILogger<PaymentStatusImporter> logger)
{
    private const string Payments = """
        SELECT p.id, p.household_id AS HouseholdId, h.reference AS Household, p.batch_id AS BatchId, p.end_to_end_id AS EndToEndId, p.kind,
               p.amount, p.status, p.settled_on AS SettledOn, p.contract_id AS ContractId, to_char(p.execution_date, 'YYYYMMDD') AS Block,
               EXISTS (SELECT 1 FROM bank_lines m WHERE m.payment_id = p.id) OR EXISTS (SELECT 1 FROM bank_line_payments lp WHERE lp.payment_id = p.id) AS OnStatement
          FROM payments p JOIN households h ON h.id = p.household_id
         WHERE p.batch_id = @Batch AND p.status <> 'cancelled'
         ORDER BY p.id
           FOR UPDATE OF p
        """;

    // Every re-opened payment in one statement, each with its reason in words.
    private const string Reopen = """
        UPDATE payments p SET status = 'returned', returned_on = @On, return_reason = r.reason, return_source = 'status_report'
          FROM unnest(@Ids, @Reasons) AS r(id, reason)
         WHERE p.id = r.id AND p.status IN ('open', 'settled')
        """;

    // One mark per contract, however many of its payments the report rejects (the latest payment named).
    private const string RefuseAccounts = """
        INSERT INTO refused_creditor_accounts (contract_id, refused_on, reason_code, payment_id)
        SELECT DISTINCT ON (r.contract) r.contract, @On, r.code, r.payment FROM unnest(@Contracts, @Codes, @Payments) AS r(contract, code, payment)
         ORDER BY r.contract, r.payment DESC
        ON CONFLICT (contract_id) DO UPDATE SET refused_on = excluded.refused_on, reason_code = excluded.reason_code, payment_id = excluded.payment_id,
                                                confirmed_by = NULL, confirmed_at = NULL
        """;

    public Task<Result<StatusReportImport>> Import(Actor actor, string path, bool dryRun = false, CancellationToken ct = default) =>
        TransientRetry.Run(token => door.Run(actor, AuditActions.LedgerStatusReport, $"status report {Path.GetFileName(path)}",
            (scope, inner) => ImportOnce(scope, path, dryRun, inner), token), logger, ct);

    private static async Task<StatusReportImport> ImportOnce(WriteScope scope, string path, bool dryRun, CancellationToken ct)
    {
        var file = Path.GetFileName(path);
        var errors = new List<InputError>();
        if (!File.Exists(path))
        {
            throw new InputRejectedException([new InputError(file, 0, "(file)", "does not exist")]);
        }

        var version = Iso20022Files.Detect(path, errors);
        if (version is { } found && found.IsStatement())
        {
            errors.Add(new InputError(file, 1, "(document)", $"is a statement ({found.Name()}), not a payment status report"));
        }

        var report = errors.Count == 0 && version is { } message ? Pain002Reader.Read(path, message, errors) : null;
        if (report is null || errors.Count > 0)
        {
            throw new InputRejectedException(errors.Count > 0 ? errors : [new InputError(file, 0, "(file)", "could not be read")]);
        }

        var (connection, transaction) = (scope.Connection, scope.Transaction);
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);
        await connection.ExecuteAsync(Command("SELECT pg_advisory_xact_lock(@Lock)", new { Lock = BankStatementImporter.ImportLock }));

        var export = await connection.QuerySingleOrDefaultAsync<(long BatchId, string MsgId)?>(Command(
            "SELECT batch_id, msg_id FROM batch_exports WHERE msg_id = @Id", new { Id = report.OriginalMessageId }));
        if (export is not { } answered)
        {
            throw new InputRejectedException([new InputError(file, 1, "OrgnlGrpInfAndSts/OrgnlMsgId",
                $"'{report.OriginalMessageId}' is not the MsgId of a pain.001 file this engine exported")]);
        }

        var before = await connection.QuerySingleOrDefaultAsync<(string By, Instant At)?>(Command(
            "SELECT imported_by, imported_at FROM payment_status_reports WHERE message_id = @Id", new { Id = report.MessageId }));
        if (before is { } earlier)
        {
            scope.NothingChanged = true;
            return new StatusReportImport(file, report.Version.Name(), report.MessageId, answered.BatchId, report.OriginalMessageId, report.GroupStatus, [], 0, 0, 0, 0,
                $"{earlier.At} by {earlier.By}", dryRun);
        }

        // Locked: an officer settling one of them waits until the report is applied, and then finds it returned.
        var payments = (await connection.QueryAsync<PaymentRow>(Command(Payments, new { Batch = answered.BatchId }))).ToList();

        // A report on an earlier export of a batch exported again answers a file the bank has since
        // had anew: what it rejects is left for a person, not re-opened.
        var latest = await connection.ExecuteScalarAsync<string>(Command("SELECT msg_id FROM batch_exports WHERE batch_id = @Batch ORDER BY id DESC LIMIT 1", new { Batch = answered.BatchId }));
        var superseded = latest != answered.MsgId;
        var prefix = answered.MsgId[..Math.Min(answered.MsgId.Length, 26)] + "-";

        // Each payment's status: a payment's own, else its block's, else the file's.
        var statuses = new Dictionary<long, (string Status, StatusReason Reason)>();
        if (report.GroupStatus is { } group && (PaymentStatusRule.Rejects(group) || PaymentStatusRule.Accepts(group)))
        {
            foreach (var payment in payments)
            {
                statuses[payment.Id] = (group, report.GroupReason);
            }
        }

        foreach (var block in report.Blocks)
        {
            foreach (var payment in payments.Where(p => block.PaymentInformationId == prefix + p.Block))
            {
                statuses[payment.Id] = (block.Status, block.Reason);
            }
        }

        var byEndToEnd = payments.ToDictionary(p => p.EndToEndId, StringComparer.Ordinal);
        var unknown = 0;
        foreach (var said in report.Transactions)
        {
            if (byEndToEnd.TryGetValue(said.EndToEndId, out var payment))
            {
                statuses[payment.Id] = (said.Status, said.Reason);
            }
            else
            {
                unknown++;
            }
        }

        var reopened = new List<(PaymentRow Payment, StatusOutcome Outcome, string Reason, bool Refused)>();
        var lines = new List<(long Payment, string Status, StatusReason Reason, StatusOutcome Outcome)>();
        foreach (var payment in payments)
        {
            if (!statuses.TryGetValue(payment.Id, out var said))
            {
                continue;
            }

            var outcome = PaymentStatusRule.Decide(said.Status, said.Reason.Code, payment.Status, payment.OnStatement, superseded);
            lines.Add((payment.Id, said.Status, said.Reason, outcome));
            if (outcome is StatusOutcome.Reopened or StatusOutcome.ReopenedAfterSettlement)
            {
                reopened.Add((payment, outcome, ReturnReasons.Describe(said.Reason.Code, said.Reason.Text),
                    ReturnReasons.RefusesAccount(said.Reason.Code) && payment.ContractId is not null));
            }
        }

        var on = report.CreatedOn;
        var (user, now) = (scope.Actor.Subject, scope.Now);
        await connection.ExecuteAsync(Command(Reopen, new { Ids = reopened.Select(r => r.Payment.Id).ToArray(), Reasons = reopened.Select(r => r.Reason).ToArray(), On = on }));
        var refusedAccounts = reopened.Where(r => r.Refused).ToList();
        await connection.ExecuteAsync(Command(RefuseAccounts, new
        {
            Contracts = refusedAccounts.Select(r => r.Payment.ContractId!.Value).ToArray(), Codes = refusedAccounts.Select(r => statuses[r.Payment.Id].Reason.Code!).ToArray(),
            Payments = refusedAccounts.Select(r => r.Payment.Id).ToArray(), On = on,
        }));

        await connection.ExecuteAsync(Command(BankMatcher.ReopenArrears, new { Ids = reopened.Select(r => r.Payment.Id).ToArray() }));
        await BulkLedgerWriter.PostMany(connection, transaction, reopened.Select(r => (
            r.Outcome == StatusOutcome.Reopened
                ? Postings.PaymentRejected(r.Payment.Household, on, Money.FromEuros(r.Payment.Amount), $"{r.Payment.Kind} {r.Payment.EndToEndId}")
                // Settled without a statement line, on the day it was to leave: undone on that day, so the
                // bank account of that day is as the bank's statement shows it.
                : Postings.PaymentReturned(r.Payment.Household, r.Payment.SettledOn ?? on, Money.FromEuros(r.Payment.Amount), $"{r.Payment.Kind} {r.Payment.EndToEndId}"),
            new Posting($"rejection:{r.Payment.EndToEndId}", user, now, r.Payment.HouseholdId, r.Payment.BatchId))).ToList(), ct);
        if (reopened.Count > 0)
        {
            await PaymentSettlement.Restate(connection, transaction, [answered.BatchId], ct);
        }

        var accepted = lines.Count(l => l.Outcome == StatusOutcome.Accepted);
        var reportId = await connection.ExecuteScalarAsync<long>(Command("""
            INSERT INTO payment_status_reports (message_id, version, file_name, sha256, original_message_id, batch_id, group_status, rejected, accepted, imported_by, imported_at)
            VALUES (@MessageId, @Version, @File, @Hash, @Original, @Batch, @Group, @Rejected, @Accepted, @User, @Now) RETURNING id
            """, new
        {
            report.MessageId, Version = report.Version.Name(), File = file, Hash = Convert.ToHexStringLower(await Sha256(path, ct)), Original = report.OriginalMessageId,
            Batch = answered.BatchId, Group = report.GroupStatus, Rejected = reopened.Count, Accepted = accepted, User = user, Now = now,
        }));
        await connection.ExecuteAsync(Command("""
            INSERT INTO payment_status_report_lines (report_id, payment_id, status, reason_code, reason_text, outcome)
            SELECT @Report, * FROM unnest(@Payments, @Statuses, @Codes, @Texts, @Outcomes)
            """, new
        {
            Report = reportId, Payments = lines.Select(l => l.Payment).ToArray(), Statuses = lines.Select(l => l.Status).ToArray(),
            Codes = lines.Select(l => l.Reason.Code).ToArray(), Texts = lines.Select(l => l.Reason.Text).ToArray(), Outcomes = lines.Select(l => l.Outcome.Code()).ToArray(),
        }));

        var result = new StatusReportImport(file, report.Version.Name(), report.MessageId, answered.BatchId, report.OriginalMessageId, report.GroupStatus,
            reopened.Select(r => new RejectedPayment(r.Payment.Household, r.Payment.EndToEndId, r.Payment.Kind, Money.FromEuros(r.Payment.Amount), r.Reason, r.Refused)).ToList(),
            lines.Count(l => l.Outcome == StatusOutcome.AlreadyReopened), lines.Count(l => l.Outcome == StatusOutcome.AlreadySettled), accepted, unknown, null, dryRun,
            lines.Count(l => l.Outcome == StatusOutcome.NotOpen && PaymentStatusRule.Rejects(l.Status)));
        scope.After = new
        {
            Report = report.MessageId, Batch = answered.BatchId, result.GroupStatus, Reopened = reopened.Select(r => r.Payment.EndToEndId).ToArray(),
            result.AlreadyReopened, result.AlreadySettled, result.Accepted, result.UnknownPayments,
        };
        // A dry run did everything to say what would happen; the door rolls it back and keeps no record.
        scope.NothingChanged = dryRun;
        return result;
    }

    private static async Task<byte[]> Sha256(string path, CancellationToken ct)
    {
        await using var stream = File.OpenRead(path);
        return await SHA256.HashDataAsync(stream, ct);
    }

    private sealed class PaymentRow
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public long BatchId { get; set; }

        public string EndToEndId { get; set; } = "";

        public string Kind { get; set; } = "";

        public decimal Amount { get; set; }

        public string Status { get; set; } = "";

        public LocalDate? SettledOn { get; set; }

        public long? ContractId { get; set; }

        public string Block { get; set; } = "";

        public bool OnStatement { get; set; }
    }
}
