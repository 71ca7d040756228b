using Dapper;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Ledger;
using Ontzorging.Infrastructure.Database;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>A batch booking the import left for a person: the line's place in the file and why it settles nothing (<see cref="BatchBookingRule"/>).</summary>
public sealed record BatchDifference(int Line, string Reference, Money Amount, string Reason);

/// <summary>
/// Batch bookings of one import: lines that matched their batch, how many payments they settled and
/// linked (settled by an officer before the statement came), and those left as a difference.
/// </summary>
public sealed record BatchBookingReport(int Lines, int Settled, int Linked, IReadOnlyList<BatchDifference> Differences)
{
    public int Payments => Settled + Linked;
}

/// <summary>
/// Matches the statement lines that book a whole pain.001 batch as one amount (docs/rules.md §9,
/// "Batch bookings") inside the import's transaction, after the one-payment lines have been matched:
/// the payments each line names in its transaction details (by EndToEndId), else those of the batch
/// block its PmtInfId names (or the whole batch of its MsgId), else the one exported block with its
/// control sum and execution date. <see cref="BatchBookingRule"/> decides whether the line settles
/// them; a line that does is a row of <c>line_matches</c> (with its <c>batch_ref</c>) and its
/// payments are rows of <c>batch_line_matches</c>.
/// </summary>
internal static class BatchBookingMatcher
{
    public const string Staging = """
        CREATE TEMP TABLE batch_lines_staging (
            line_no int PRIMARY KEY, booking_date date NOT NULL, amount numeric(14,2) NOT NULL, msg_id text, pmt_inf_id text, transactions int, detailed bool NOT NULL) ON COMMIT DROP;
        CREATE TEMP TABLE batch_details_staging (line_no int NOT NULL, end_to_end_id text NOT NULL, amount numeric(14,2)) ON COMMIT DROP;
        CREATE TEMP TABLE batch_line_matches (line_no int NOT NULL, payment_id bigint PRIMARY KEY, settles bool NOT NULL) ON COMMIT DROP;
        """;

    private const string CopyLines = """
        COPY batch_lines_staging (line_no, booking_date, amount, msg_id, pmt_inf_id, transactions, detailed) FROM STDIN (FORMAT BINARY)
        """;

    private const string CopyDetails = "COPY batch_details_staging (line_no, end_to_end_id, amount) FROM STDIN (FORMAT BINARY)";

    // A payment still waiting for a statement line: exported and open, or settled by an officer and
    // on no line yet; and not matched by another line of this import.
    private const string Waiting = """
        coalesce(((p.status = 'open' AND b.status IN ('exported', 'partially_settled'))
          OR (p.status = 'settled' AND NOT EXISTS (SELECT 1 FROM bank_lines m WHERE m.payment_id = p.id)
                                   AND NOT EXISTS (SELECT 1 FROM bank_line_payments lp WHERE lp.payment_id = p.id)))
          AND NOT EXISTS (SELECT 1 FROM line_matches lm WHERE lm.payment_id = p.id), false)
        """;

    // The payments each detailed line names (none found: the EndToEndId is not ours).
    private const string Named = $"""
        SELECT DISTINCT ON (d.line_no, d.end_to_end_id) d.line_no AS Line, d.end_to_end_id AS EndToEndId, d.amount AS Stated, p.id AS Payment, p.amount AS Amount, coalesce(p.status = 'open', false) AS Open, {Waiting} AS Waiting, 1 AS Blocks
          FROM batch_details_staging d
          LEFT JOIN payments p ON p.end_to_end_id = d.end_to_end_id AND p.status <> 'cancelled'
          LEFT JOIN batches b ON b.id = p.batch_id
         ORDER BY d.line_no, d.end_to_end_id
        """;

    // The payments of the block a line's PmtInfId names (the engine writes MsgId[..26]-yyyyMMdd), or
    // of the whole batch its MsgId names; a payment the bank rejected before it left is not booked.
    private const string Referenced = $"""
        WITH target AS MATERIALIZED (
            SELECT DISTINCT s.line_no, e.batch_id,
                   CASE WHEN s.pmt_inf_id = left(e.msg_id, 26) || '-' || right(s.pmt_inf_id, 8) THEN right(s.pmt_inf_id, 8) END AS block
              FROM batch_lines_staging s
              JOIN batch_exports e ON s.pmt_inf_id = left(e.msg_id, 26) || '-' || right(s.pmt_inf_id, 8) OR e.msg_id = s.msg_id
             WHERE NOT s.detailed),
        chosen AS (
            SELECT t.* FROM target t
             WHERE t.block IS NOT NULL OR NOT EXISTS (SELECT 1 FROM target o WHERE o.line_no = t.line_no AND o.block IS NOT NULL))
        SELECT DISTINCT ON (t.line_no, p.id) t.line_no AS Line, p.end_to_end_id AS EndToEndId, NULL::numeric AS Stated, p.id AS Payment, p.amount AS Amount,
               p.status = 'open' AS Open, {Waiting} AS Waiting, 1 AS Blocks
          FROM chosen t
          JOIN payments p ON p.batch_id = t.batch_id AND p.status <> 'cancelled' AND p.return_source IS DISTINCT FROM 'status_report'
                         AND (t.block IS NULL OR to_char(p.execution_date, 'YYYYMMDD') = t.block)
          JOIN batches b ON b.id = p.batch_id
         ORDER BY t.line_no, p.id
        """;

    // Lines that name nothing: the exported blocks (batch, execution date) with the line's amount as
    // their control sum and its booking date as their execution date; with how many fit.
    private const string BySum = $"""
        WITH blocks AS MATERIALIZED (
            SELECT s.line_no, p.batch_id, p.execution_date
              FROM batch_lines_staging s
              JOIN payments p ON p.execution_date = s.booking_date AND p.status <> 'cancelled' AND p.return_source IS DISTINCT FROM 'status_report'
              JOIN batches b ON b.id = p.batch_id AND b.status IN ('exported', 'partially_settled', 'settled')
             WHERE NOT s.detailed AND s.msg_id IS NULL AND s.pmt_inf_id IS NULL
             GROUP BY s.line_no, s.amount, p.batch_id, p.execution_date
            HAVING sum(p.amount) = -s.amount),
        counted AS (SELECT line_no, count(*)::int AS blocks, min(batch_id) AS batch_id, min(execution_date) AS execution_date FROM blocks GROUP BY line_no)
        SELECT c.line_no AS Line, p.end_to_end_id AS EndToEndId, NULL::numeric AS Stated, p.id AS Payment, p.amount AS Amount, p.status = 'open' AS Open,
               {Waiting} AS Waiting, c.blocks AS Blocks
          FROM counted c
          JOIN payments p ON p.batch_id = c.batch_id AND p.execution_date = c.execution_date AND p.status <> 'cancelled' AND p.return_source IS DISTINCT FROM 'status_report'
          JOIN batches b ON b.id = p.batch_id
         ORDER BY c.line_no, p.id
        """;

    private const string MatchLines = """
        INSERT INTO line_matches (line_no, booking_date, amount, batch_ref)
        SELECT s.line_no, s.booking_date, s.amount, m.ref FROM batch_lines_staging s JOIN unnest(@Lines, @Refs) AS m(line_no, ref) ON m.line_no = s.line_no
        """;

    private const string MatchPayments = """
        INSERT INTO batch_line_matches (line_no, payment_id, settles) SELECT * FROM unnest(@Lines, @Payments, @Settles)
        """;

    /// <summary>Stages the batch bookings among the new outgoing lines, with their transaction details.</summary>
    public static async Task Stage(NpgsqlConnection connection, IReadOnlyList<BankLine> lines, CancellationToken ct)
    {
        await BinaryCopy.WriteEncoded(connection, CopyLines, lines, (row, line) =>
        {
            var batch = line.Batch!;
            row.StartRow(7);
            row.Int4(line.Line);
            row.Date(line.BookingDate);
            row.Cents(line.Amount.Cents);
            row.Text(batch.MessageId);
            row.Text(batch.PaymentInformationId);
            if (batch.Transactions is { } transactions)
            {
                row.Int4(transactions);
            }
            else
            {
                row.Null();
            }

            row.Bool(batch.Payments.Count > 0);
        }, null, ct);
        var details = lines.SelectMany(l => l.Batch!.Payments.Select(p => (l.Line, p.EndToEndId, p.Amount))).ToList();
        await BinaryCopy.WriteEncoded(connection, CopyDetails, details, (row, d) =>
        {
            row.StartRow(3);
            row.Int4(d.Line);
            row.Text(d.EndToEndId);
            if (d.Amount is { } amount)
            {
                row.Cents(amount.Cents);
            }
            else
            {
                row.Null();
            }
        }, null, ct);
    }

    /// <summary>Matches the staged batch bookings: those that settle their batch become matches, the others differences.</summary>
    public static async Task<BatchBookingReport> Match(NpgsqlConnection connection, NpgsqlTransaction transaction, CancellationToken ct)
    {
        CommandDefinition Command(string sql, object? parameters = null) => new(sql, parameters, transaction, cancellationToken: ct);

        var lines = (await connection.QueryAsync<(int Line, decimal Amount, string? MsgId, string? PmtInfId, int? Transactions)>(Command(
            "SELECT line_no, amount, msg_id, pmt_inf_id, transactions FROM batch_lines_staging ORDER BY line_no"))).ToList();
        if (lines.Count == 0)
        {
            return new BatchBookingReport(0, 0, 0, []);
        }

        var candidates = (await connection.QueryAsync<CandidateRow>(Command(Named)))
            .Concat(await connection.QueryAsync<CandidateRow>(Command(Referenced)))
            .Concat(await connection.QueryAsync<CandidateRow>(Command(BySum)))
            .ToLookup(c => c.Line);

        var matched = new List<(int Line, string Ref)>();
        var payments = new List<(int Line, long Payment, bool Settles)>();
        var differences = new List<BatchDifference>();
        var claimed = new Dictionary<long, int>();
        foreach (var line in lines)
        {
            // A payment another batch line of this statement took is no longer waiting for this one.
            var found = candidates[line.Line].Select(c => c.Payment is { } id && claimed.ContainsKey(id) ? c with { Waiting = false } : c).ToList();
            var booked = -Money.FromEuros(line.Amount);
            var reason = BatchBookingRule.Difference(booked, line.Transactions,
                found.Select(c => new BatchBookingRule.Candidate(c.EndToEndId, c.Amount is { } a ? Money.FromEuros(a) : null, c.Stated is { } s ? Money.FromEuros(s) : null, c.Waiting)).ToList(),
                found.Count == 0 ? 1 : found.Max(c => c.Blocks));
            var reference = line.PmtInfId ?? line.MsgId ?? "control sum and execution date";
            if (reason is not null)
            {
                differences.Add(new BatchDifference(line.Line, reference, booked, reason));
                continue;
            }

            matched.Add((line.Line, reference));
            payments.AddRange(found.Select(c => (line.Line, c.Payment!.Value, c.Open)));
            foreach (var c in found)
            {
                claimed[c.Payment!.Value] = line.Line;
            }
        }

        await connection.ExecuteAsync(Command(MatchLines, new { Lines = matched.Select(m => m.Line).ToArray(), Refs = matched.Select(m => m.Ref).ToArray() }));
        await connection.ExecuteAsync(Command(MatchPayments, new
        {
            Lines = payments.Select(p => p.Line).ToArray(), Payments = payments.Select(p => p.Payment).ToArray(), Settles = payments.Select(p => p.Settles).ToArray(),
        }));
        return new BatchBookingReport(matched.Count, payments.Count(p => p.Settles), payments.Count(p => !p.Settles), differences);
    }

    /// <summary>What one payment a batch booking points at looks like (a row of the queries above).</summary>
    private sealed record CandidateRow
    {
        public int Line { get; init; }

        public string EndToEndId { get; init; } = "";

        public decimal? Stated { get; init; }

        public long? Payment { get; init; }

        public decimal? Amount { get; init; }

        public bool Open { get; init; }

        public bool Waiting { get; init; }

        public int Blocks { get; init; }
    }
}
