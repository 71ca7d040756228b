using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Complaints;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.Complaints;

/// <summary>A complaint in a list: no words of it, only what its clock and the register need.</summary>
public sealed record ComplaintSummary(long Id, string Household, string Municipality, ComplaintSubject Subject, ComplaintClock Clock, LocalDate? Acknowledged,
    ComplaintOutcome? Outcome, IReadOnlyList<ComplaintLink> Links);

/// <summary>Money a complaint links, with what it was, so a page can name it.</summary>
public sealed record LinkedMoney(ComplaintLink Link, string? Kind, string? Payee, Money? Amount, LocalDate? Date);

public sealed record ComplaintRemedyRecord(RemedyKind Kind, long? PaymentId, long? DecisionId, string? Note, string RecordedBy, Instant RecordedAt);

public sealed record DeadlineMoveRecord(DeadlineMove Move, string RecordedBy, Instant RecordedAt);

/// <summary>One complaint, whole: its words, its steps, the money it is about and what was put right.</summary>
public sealed record ComplaintDetail(
    ComplaintSummary Summary,
    string Language,
    ComplaintChannel Channel,
    ComplainantKind Complainant,
    string ComplainantName,
    string Description,
    string? Conduct,
    string? StaffMember,
    bool AdvisoryCommittee,
    string RegisteredBy,
    Instant RegisteredAt,
    string? AcknowledgedBy,
    LocalDate? HearingHeldOn,
    HearingWaiver? HearingWaiver,
    string? HearingNote,
    string? HeardBy,
    LocalDate? DecidedOn,
    string? Findings,
    string? DecidedBy,
    IReadOnlyList<DeadlineMoveRecord> Moves,
    IReadOnlyList<LinkedMoney> Money,
    IReadOnlyList<ComplaintRemedyRecord> Remedies);

/// <summary>The register of one year (Awb 9:12a): complaints received that year, counted.</summary>
public sealed record ComplaintRegister(
    int Year,
    int Received,
    IReadOnlyList<(ComplaintSubject Subject, int Count)> BySubject,
    IReadOnlyList<(ComplaintOutcome? Outcome, int Count)> ByOutcome,
    IReadOnlyList<(string Bucket, int Count)> ByTimeToDecide,
    int Decided,
    int DecidedLate,
    int OpenOverdue,
    double? MedianDaysToDecide);

/// <summary>What complaints a person may see, and how (docs/rules.md §19). Reads only; a view of a complaint's words is recorded first.</summary>
public sealed class ComplaintQueries(NpgsqlDataSource dataSource, WriteDoor door)
{
    private const string Scoped = """
        (@All::text[] IS NULL OR h.municipality = ANY(@All)
         OR (c.subject <> 'conduct' AND c.conduct IS NULL AND c.staff_member IS NULL AND (@NotConduct::text[] IS NULL OR h.municipality = ANY(@NotConduct))))
        """;

    private const string SummaryColumns = """
        c.id, h.reference AS Household, h.municipality, c.subject, c.received_on AS Received, c.statutory_deadline AS StatutoryDeadline,
        c.acknowledged_on AS Acknowledged, c.outcome, c.decided_on AS Decided,
        coalesce((SELECT json_agg(json_build_array(m.kind, m.new_deadline, m.told_on) ORDER BY m.seq) FROM complaint_deadline_moves m WHERE m.complaint_id = c.id)::text, '[]') AS Moves,
        coalesce((SELECT json_agg(json_build_array(l.kind, coalesce(l.payment_id, l.receipt_id, l.decision_id), l.month)) FROM complaint_links l WHERE l.complaint_id = c.id)::text, '[]') AS Links
        """;

    // The open complaints in the clock's order, a page at a time: the deadline is the latest move's
    // (one index probe each), and the order is ComplaintClock.State's, computed by the database so a
    // page reads only its rows (the worklist reads the first 20 on every request).
    private static readonly string OpenPageSql = $"""
        SELECT c.id, h.reference AS Household, h.municipality, c.subject, c.received_on AS Received, c.statutory_deadline AS StatutoryDeadline,
               c.acknowledged_on AS Acknowledged, m.kind AS MoveKind, m.new_deadline AS MoveDeadline, m.told_on AS MoveToldOn, count(*) OVER () AS Total
          FROM complaints c JOIN households h ON h.id = c.household_id
          LEFT JOIN LATERAL (SELECT kind, new_deadline, told_on FROM complaint_deadline_moves WHERE complaint_id = c.id ORDER BY seq DESC LIMIT 1) m ON true
         WHERE c.decided_on IS NULL AND {Scoped}
         ORDER BY CASE WHEN coalesce(m.new_deadline, c.statutory_deadline) < @Today THEN 0
                       WHEN (coalesce(m.new_deadline, c.statutory_deadline) - @Today) * 4 < (coalesce(m.new_deadline, c.statutory_deadline) - c.received_on) THEN 1
                       ELSE 2 END,
                  coalesce(m.new_deadline, c.statutory_deadline), c.id
         LIMIT @Limit OFFSET @Offset
        """;

    private static readonly string HouseholdSql = $"""
        SELECT {SummaryColumns}
          FROM complaints c JOIN households h ON h.id = c.household_id
         WHERE h.reference = @Reference AND {Scoped}
         ORDER BY c.received_on, c.id
        """;

    // The register counts every complaint of the municipalities counted, conduct included: it shows no words and no names.
    private static readonly string YearSql = $"""
        SELECT {SummaryColumns}
          FROM complaints c JOIN households h ON h.id = c.household_id
         WHERE c.received_on >= @From AND c.received_on < @To
           AND (@Counted::text[] IS NULL OR h.municipality = ANY(@Counted)) AND h.municipality = @Municipality
        """;

    private static readonly string OneSql = $"""
        SELECT {SummaryColumns}, h.language, c.channel, c.complainant_kind AS Complainant, c.complainant_name AS ComplainantName, c.description, c.conduct,
               c.staff_member AS StaffMember, c.advisory_committee AS AdvisoryCommittee, coalesce(pr.display_name, c.registered_by) AS RegisteredBy, c.registered_at AS RegisteredAt,
               coalesce(pa.display_name, c.acknowledged_by) AS AcknowledgedBy, c.hearing_held_on AS HearingHeldOn, c.hearing_waiver AS HearingWaiver,
               c.hearing_note AS HearingNote, coalesce(ph.display_name, c.heard_by) AS HeardBy, c.findings, coalesce(pd.display_name, c.decided_by) AS DecidedBy
          FROM complaints c JOIN households h ON h.id = c.household_id
          LEFT JOIN people pr ON pr.subject = c.registered_by
          LEFT JOIN people pa ON pa.subject = c.acknowledged_by
          LEFT JOIN people ph ON ph.subject = c.heard_by
          LEFT JOIN people pd ON pd.subject = c.decided_by
         WHERE c.id = @Id AND {Scoped}
        """;

    private const string MovesSql = """
        SELECT m.kind, m.new_deadline AS NewDeadline, m.told_on AS ToldOn, coalesce(p.display_name, m.recorded_by) AS RecordedBy, m.recorded_at AS RecordedAt
          FROM complaint_deadline_moves m LEFT JOIN people p ON p.subject = m.recorded_by WHERE m.complaint_id = @Id ORDER BY m.seq
        """;

    private const string MoneySql = """
        SELECT l.kind AS LinkKind, coalesce(l.payment_id, l.receipt_id, l.decision_id) AS Id, l.month,
               coalesce(p.kind, r.kind, d.kind) AS Kind, p.payee_name AS Payee, coalesce(p.amount, r.amount, d.amount) AS Amount,
               coalesce(p.execution_date, r.received_on, d.decided_on) AS Date
          FROM complaint_links l
          LEFT JOIN payments p ON p.id = l.payment_id
          LEFT JOIN receipts r ON r.id = l.receipt_id
          LEFT JOIN decisions d ON d.id = l.decision_id
         WHERE l.complaint_id = @Id
         ORDER BY coalesce(l.month, p.execution_date, r.received_on, d.decided_on), l.kind
        """;

    private const string RemediesSql = """
        SELECT r.kind, r.payment_id AS PaymentId, r.decision_id AS DecisionId, r.note, coalesce(p.display_name, r.recorded_by) AS RecordedBy, r.recorded_at AS RecordedAt
          FROM complaint_remedies r LEFT JOIN people p ON p.subject = r.recorded_by WHERE r.complaint_id = @Id ORDER BY r.id
        """;

    /// <summary>
    /// A page of the open complaints, overdue first, then at risk, then on track, each by its deadline,
    /// and how many are open in all. Their clocks carry only the latest move (what the deadline and
    /// the state need); the lists name no money, so no links are read.
    /// </summary>
    public async Task<(IReadOnlyList<ComplaintSummary> Page, int Total)> Open(ComplaintScope scope, LocalDate today, int limit, int offset = 0, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var rows = (await connection.QueryAsync<OpenRow>(new CommandDefinition(OpenPageSql,
            new { All = scope.AllCodes, NotConduct = scope.NotConductCodes, Today = today, Limit = limit, Offset = offset }, cancellationToken: ct))).ToList();
        return (rows.Select(r => new ComplaintSummary(r.Id, r.Household, r.Municipality, ComplaintCodes.Subjects.Parse(r.Subject)!.Value,
            new ComplaintClock(r.Received, r.StatutoryDeadline, r.MoveKind is { } kind ? [new DeadlineMove(ComplaintCodes.Moves.Parse(kind)!.Value, r.MoveDeadline!.Value, r.MoveToldOn!.Value)] : [], null),
            r.Acknowledged, null, [])).ToList(), rows.Count == 0 ? 0 : (int)rows[0].Total);
    }

    /// <summary>The complaints about one household (its money story shows them at their months and payments).</summary>
    public Task<IReadOnlyList<ComplaintSummary>> OfHousehold(string reference, ComplaintScope scope, CancellationToken ct = default) =>
        Summaries(HouseholdSql, new { Reference = reference, All = scope.AllCodes, NotConduct = scope.NotConductCodes }, ct);

    /// <summary>
    /// One complaint with its words, for <paramref name="actor"/>: recorded as a view of personal data
    /// before it is returned; null (and nothing recorded) when it does not exist for them.
    /// </summary>
    public async Task<ComplaintDetail?> View(Actor actor, long id, ComplaintScope scope, string purpose, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var row = await connection.QuerySingleOrDefaultAsync<DetailRow>(new CommandDefinition(OneSql, new { Id = id, All = scope.AllCodes, NotConduct = scope.NotConductCodes }, cancellationToken: ct));
        if (row is null)
        {
            return null;
        }

        await using var more = await connection.QueryMultipleAsync(new CommandDefinition(string.Join(";\n", MovesSql, MoneySql, RemediesSql), new { Id = id }, cancellationToken: ct));
        var moves = (await more.ReadAsync<MoveRow>()).Select(m => new DeadlineMoveRecord(
            new DeadlineMove(ComplaintCodes.Moves.Parse(m.Kind)!.Value, m.NewDeadline, m.ToldOn), m.RecordedBy, m.RecordedAt)).ToList();
        var money = (await more.ReadAsync<MoneyRow>()).Select(m => new LinkedMoney(
            new ComplaintLink(ComplaintCodes.Links.Parse(m.LinkKind)!.Value, m.Id, m.Month?.ToYearMonth()), m.Kind, m.Payee,
            m.Amount is { } a ? Money.FromEuros(a) : null, m.Date)).ToList();
        var remedies = (await more.ReadAsync<RemedyRow>()).Select(r => new ComplaintRemedyRecord(
            ComplaintCodes.Remedies.Parse(r.Kind)!.Value, r.PaymentId, r.DecisionId, r.Note, r.RecordedBy, r.RecordedAt)).ToList();

        await door.Viewed(actor, new AuditEntry(AuditActions.ComplaintView, $"complaint {id}", AuditOutcome.Viewed, row.Municipality,
            Detail: $"household {row.Household}; {purpose}"), ct);
        return new ComplaintDetail(row.Summary(), row.Language ?? "nl", ComplaintCodes.Channels.Parse(row.Channel)!.Value,
            ComplaintCodes.Complainants.Parse(row.Complainant)!.Value, row.ComplainantName, row.Description, row.Conduct, row.StaffMember, row.AdvisoryCommittee,
            row.RegisteredBy, row.RegisteredAt, row.AcknowledgedBy, row.HearingHeldOn, ComplaintCodes.Waivers.Parse(row.HearingWaiver), row.HearingNote, row.HeardBy,
            row.Decided, row.Findings, row.DecidedBy, moves, money, remedies);
    }

    /// <summary>
    /// The register of <paramref name="municipality"/> for <paramref name="year"/> (Awb 9:12a): the complaints
    /// received that year, by subject, outcome and time to decide, and how many were decided late;
    /// each municipality keeps its own (a shared social service reports for each).
    /// </summary>
    public async Task<ComplaintRegister> Register(int year, string municipality, ComplaintScope scope, LocalDate today, CancellationToken ct = default)
    {
        var rows = await Summaries(YearSql, new { From = new LocalDate(year, 1, 1), To = new LocalDate(year + 1, 1, 1), Counted = scope.Counted.Codes?.ToArray(), Municipality = municipality }, ct);
        return Count(year, rows, today);
    }

    /// <summary>Counts a year's complaints for the register; pure, so the page, the CSV and the tests count alike.</summary>
    public static ComplaintRegister Count(int year, IReadOnlyList<ComplaintSummary> rows, LocalDate today)
    {
        var decided = rows.Where(r => r.Clock.Decided is not null).ToList();
        var days = decided.Select(r => r.Clock.DaysOpen(today)).Order().ToList();
        double? median = days.Count == 0 ? null : days.Count % 2 == 1 ? days[days.Count / 2] : (days[(days.Count / 2) - 1] + days[days.Count / 2]) / 2.0;
        return new ComplaintRegister(
            year,
            rows.Count,
            ComplaintCodes.Subjects.All.Select(s => (s.Value, rows.Count(r => r.Subject == s.Value))).ToList(),
            [.. ComplaintCodes.Outcomes.All.Select(o => ((ComplaintOutcome?)o.Value, rows.Count(r => r.Outcome == o.Value))), (null, rows.Count(r => r.Outcome is null))],
            [
                ("within_6_weeks", decided.Count(r => r.Clock.DaysOpen(today) <= 42)),
                ("6_to_10_weeks", decided.Count(r => r.Clock.DaysOpen(today) is > 42 and <= 70)),
                ("over_10_weeks", decided.Count(r => r.Clock.DaysOpen(today) > 70)),
            ],
            decided.Count,
            decided.Count(r => r.Clock.DecidedLate),
            rows.Count(r => r.Clock.State(today) == ClockState.Overdue),
            median);
    }

    private async Task<IReadOnlyList<ComplaintSummary>> Summaries(string sql, object parameters, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<SummaryRow>(new CommandDefinition(sql, parameters, cancellationToken: ct))).Select(r => r.Summary()).ToList();
    }

    /// <summary>What every list of complaints reads of one.</summary>
    private abstract class ComplaintRow
    {
        public long Id { get; set; }

        public string Household { get; set; } = "";

        public string Municipality { get; set; } = "";

        public string Subject { get; set; } = "";

        public LocalDate Received { get; set; }

        public LocalDate StatutoryDeadline { get; set; }

        public LocalDate? Acknowledged { get; set; }
    }

    private class SummaryRow : ComplaintRow
    {

        public string? Outcome { get; set; }

        public LocalDate? Decided { get; set; }

        public string Moves { get; set; } = "[]";

        public string Links { get; set; } = "[]";

        public ComplaintSummary Summary()
        {
            var moves = JsonArrays(Moves).Select(m => new DeadlineMove(ComplaintCodes.Moves.Parse(m[0].GetString())!.Value,
                LocalDate.FromDateTime(m[1].GetDateTime()), LocalDate.FromDateTime(m[2].GetDateTime()))).ToList();
            var links = JsonArrays(Links).Select(l => new ComplaintLink(ComplaintCodes.Links.Parse(l[0].GetString())!.Value,
                l[1].ValueKind == System.Text.Json.JsonValueKind.Number ? l[1].GetInt64() : null,
                l[2].ValueKind == System.Text.Json.JsonValueKind.String ? LocalDate.FromDateTime(l[2].GetDateTime()).ToYearMonth() : null)).ToList();
            return new ComplaintSummary(Id, Household, Municipality, ComplaintCodes.Subjects.Parse(Subject)!.Value,
                new ComplaintClock(Received, StatutoryDeadline, moves, Decided), Acknowledged, ComplaintCodes.Outcomes.Parse(Outcome), links);
        }

        private static List<System.Text.Json.JsonElement[]> JsonArrays(string json)
        {
            using var document = System.Text.Json.JsonDocument.Parse(json);
            return document.RootElement.EnumerateArray().Select(e => e.EnumerateArray().Select(x => x.Clone()).ToArray()).ToList();
        }
    }

    private sealed class OpenRow : ComplaintRow
    {

        public string? MoveKind { get; set; }

        public LocalDate? MoveDeadline { get; set; }

        public LocalDate? MoveToldOn { get; set; }

        public long Total { get; set; }
    }

    private sealed class DetailRow : SummaryRow
    {
        public string? Language { get; set; }

        public string Channel { get; set; } = "";

        public string Complainant { get; set; } = "";

        public string ComplainantName { get; set; } = "";

        public string Description { get; set; } = "";

        public string? Conduct { get; set; }

        public string? StaffMember { get; set; }

        public bool AdvisoryCommittee { get; set; }

        public string RegisteredBy { get; set; } = "";

        public Instant RegisteredAt { get; set; }

        public string? AcknowledgedBy { get; set; }

        public LocalDate? HearingHeldOn { get; set; }

        public string? HearingWaiver { get; set; }

        public string? HearingNote { get; set; }

        public string? HeardBy { get; set; }

        public string? Findings { get; set; }

        public string? DecidedBy { get; set; }
    }

    private sealed class MoveRow
    {
        public string Kind { get; set; } = "";

        public LocalDate NewDeadline { get; set; }

        public LocalDate ToldOn { get; set; }

        public string RecordedBy { get; set; } = "";

        public Instant RecordedAt { get; set; }
    }

    private sealed class MoneyRow
    {
        public string LinkKind { get; set; } = "";

        public long? Id { get; set; }

        public LocalDate? Month { get; set; }

        public string? Kind { get; set; }

        public string? Payee { get; set; }

        public decimal? Amount { get; set; }

        public LocalDate? Date { get; set; }
    }

    private sealed class RemedyRow
    {
        public string Kind { get; set; } = "";

        public long? PaymentId { get; set; }

        public long? DecisionId { get; set; }

        public string? Note { get; set; }

        public string RecordedBy { get; set; } = "";

        public Instant RecordedAt { get; set; }
    }
}
