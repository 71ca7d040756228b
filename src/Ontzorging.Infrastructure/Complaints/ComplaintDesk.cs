using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Complaints;
using Ontzorging.Domain.Households;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Complaints;

/// <summary>
/// The use cases of a complaint (Awb chapter 9; docs/rules.md §19): register it, acknowledge its
/// receipt, postpone or extend its deadline, record the hearing, decide it, record what was put
/// right. Each is one write through the door with its audit record, which keeps codes and dates
/// only: the complaint's words are personal data and stay in the complaint. A complaint outside the
/// actor's <see cref="ComplaintScope"/> does not exist for them.
/// </summary>
public sealed class ComplaintDesk(WriteDoor door, Policy policy)
{
    private const string LockHousehold = "SELECT id, municipality FROM households WHERE reference = @Reference FOR NO KEY UPDATE";

    private const string InsertComplaint = """
        INSERT INTO complaints (household_id, received_on, channel, complainant_kind, complainant_name, subject, description, conduct, staff_member,
                                advisory_committee, statutory_deadline, registered_by, registered_at)
        VALUES (@HouseholdId, @Received, @Channel, @Complainant, @ComplainantName, @Subject, @Description, @Conduct, @StaffMember,
                @AdvisoryCommittee, @Deadline, @By, @Now)
        ON CONFLICT DO NOTHING
        RETURNING id
        """;

    // The same complaint sent twice (a form submitted again): the one registered first.
    private const string SameComplaint = """
        SELECT id FROM complaints
         WHERE household_id = @HouseholdId AND received_on = @Received AND channel = @Channel AND complainant_name = @ComplainantName
           AND subject = @Subject AND md5(description) = md5(@Description)
        """;

    private const string InsertLinks = """
        INSERT INTO complaint_links (complaint_id, kind, payment_id, receipt_id, decision_id, month)
        SELECT @Id, k, CASE WHEN k = 'payment' THEN i END, CASE WHEN k = 'receipt' THEN i END, CASE WHEN k = 'decision' THEN i END, m
          FROM unnest(@Kinds::text[], @Ids::bigint[], @Months::date[]) AS l(k, i, m)
        ON CONFLICT DO NOTHING
        """;

    // Which of the ids named are this household's: the rest are refused by name.
    private const string OwnedIds = """
        SELECT 'payment' AS Kind, id FROM payments WHERE household_id = @HouseholdId AND id = ANY(@Payments)
        UNION ALL SELECT 'receipt', id FROM receipts WHERE household_id = @HouseholdId AND id = ANY(@Receipts)
        UNION ALL SELECT 'decision', id FROM decisions WHERE household_id = @HouseholdId AND id = ANY(@Decisions)
        """;

    private const string LockComplaint = """
        SELECT c.id, c.household_id AS HouseholdId, h.reference AS Household, h.municipality, c.subject, c.received_on AS Received,
               c.advisory_committee AS AdvisoryCommittee, c.statutory_deadline AS StatutoryDeadline, c.acknowledged_on AS Acknowledged,
               c.heard_by IS NOT NULL AS Heard, c.hearing_held_on AS HeardOn, c.hearing_waiver AS Waiver, c.decided_on AS Decided,
               (c.subject = 'conduct' OR c.conduct IS NOT NULL OR c.staff_member IS NOT NULL) AS AboutConduct
          FROM complaints c JOIN households h ON h.id = c.household_id
         WHERE c.id = @Id
           FOR NO KEY UPDATE OF c
        """;

    private const string Moves = "SELECT kind, new_deadline AS NewDeadline, told_on AS ToldOn FROM complaint_deadline_moves WHERE complaint_id = @Id ORDER BY seq";

    /// <summary>Registers <paramref name="complaint"/> about household <paramref name="reference"/>; its id.</summary>
    public async Task<Result<long>> Register(Actor actor, string reference, NewComplaint complaint, ComplaintScope scope, CancellationToken ct = default)
    {
        complaint = complaint with
        {
            ComplainantName = TextRules.Nfc(complaint.ComplainantName.Trim()),
            Description = TextRules.Nfc(complaint.Description.Trim()),
            Conduct = Clean(complaint.Conduct),
            StaffMember = Clean(complaint.StaffMember),
        };
        var target = $"household {reference}";
        var attempted = Describe(complaint);
        return await door.Run(actor, AuditActions.ComplaintRegister, target, async (w, token) =>
        {
            w.After = attempted;
            var household = await w.Connection.QuerySingleOrDefaultAsync<(long Id, string Municipality)?>(new CommandDefinition(
                LockHousehold, new { Reference = reference }, w.Transaction, cancellationToken: token));
            if (household is not { } h || !scope.MayRegister(h.Municipality))
            {
                throw new RefusedException(Refusal.Of(RefusalCode.HouseholdUnknown, "household", ("household", reference)));
            }

            // A refusal is recorded under the household's municipality, which only its auditors read (§14).
            w.Municipality = h.Municipality;
            if (ComplaintRules.Register(complaint, MunicipalTime.DateOf(w.Now)) is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            await RequireOwn(w, h.Id, reference, complaint.Links, "links", token);
            var deadline = ComplaintClock.StatutoryDeadlineOf(complaint.Received, complaint.AdvisoryCommittee, policy);
            var row = new
            {
                HouseholdId = h.Id,
                complaint.Received,
                Channel = ComplaintCodes.Channels.Code(complaint.Channel),
                Complainant = ComplaintCodes.Complainants.Code(complaint.Complainant),
                complaint.ComplainantName,
                Subject = ComplaintCodes.Subjects.Code(complaint.Subject),
                complaint.Description,
                complaint.Conduct,
                complaint.StaffMember,
                complaint.AdvisoryCommittee,
                Deadline = deadline,
                By = actor.Subject,
                w.Now,
            };
            if (await w.Connection.ExecuteScalarAsync<long?>(new CommandDefinition(InsertComplaint, row, w.Transaction, cancellationToken: token)) is not { } id)
            {
                w.NothingChanged = true;
                return await w.Connection.ExecuteScalarAsync<long>(new CommandDefinition(SameComplaint, row, w.Transaction, cancellationToken: token));
            }

            await w.Connection.ExecuteAsync(new CommandDefinition(InsertLinks, new
            {
                Id = id,
                Kinds = complaint.Links.Select(l => ComplaintCodes.Links.Code(l.Kind)).ToArray(),
                Ids = complaint.Links.Select(l => l.Id).ToArray(),
                Months = complaint.Links.Select(l => l.Month?.OnDayOfMonth(1)).ToArray(),
            }, w.Transaction, cancellationToken: token));
            w.Target = $"complaint {id}";
            w.After = new { Complaint = id, Household = reference, Deadline = deadline, Registered = attempted };
            return id;
        }, ct);
    }

    /// <summary>The acknowledgement of receipt was sent on <paramref name="sentOn"/> (Awb 9:6). The same day again changes nothing.</summary>
    public Task<Result<ComplaintStep>> Acknowledge(Actor actor, long id, LocalDate sentOn, ComplaintScope scope, CancellationToken ct = default) =>
        Step(actor, AuditActions.ComplaintAcknowledge, id, scope, new { SentOn = sentOn }, (state, today) => ComplaintRules.Acknowledge(state, sentOn, today),
            async (complaint, s, token) =>
            {
                if (complaint.Acknowledged == sentOn)
                {
                    s.NothingChanged = true;
                    return;
                }

                await s.Connection.ExecuteAsync(new CommandDefinition(
                    "UPDATE complaints SET acknowledged_on = @SentOn, acknowledged_by = @By WHERE id = @Id",
                    new { SentOn = sentOn, By = actor.Subject, Id = id }, s.Transaction, cancellationToken: token));
            }, ct);

    /// <summary>The municipality's one postponement (Awb 9:11(2)), told to the complainant on <paramref name="noticeOn"/>.</summary>
    public Task<Result<ComplaintStep>> Postpone(Actor actor, long id, LocalDate newDeadline, LocalDate noticeOn, ComplaintScope scope, CancellationToken ct = default) =>
        Move(actor, AuditActions.ComplaintPostpone, id, DeadlineMoveKind.Postponement, newDeadline, noticeOn, scope,
            (state, today) => ComplaintRules.Postpone(state, newDeadline, noticeOn, today, policy), ct);

    /// <summary>A further delay the complainant agreed to in writing on <paramref name="consentOn"/> (Awb 9:11(2)).</summary>
    public Task<Result<ComplaintStep>> Extend(Actor actor, long id, LocalDate newDeadline, LocalDate consentOn, ComplaintScope scope, CancellationToken ct = default) =>
        Move(actor, AuditActions.ComplaintExtend, id, DeadlineMoveKind.Consent, newDeadline, consentOn, scope,
            (state, today) => ComplaintRules.Extend(state, newDeadline, consentOn, today), ct);

    /// <summary>The hearing (Awb 9:10): held on a day, or waived on one of the law's grounds.</summary>
    public Task<Result<ComplaintStep>> Hear(Actor actor, long id, Hearing hearing, ComplaintScope scope, CancellationToken ct = default)
    {
        hearing = hearing with { Note = Clean(hearing.Note) };
        return Step(actor, AuditActions.ComplaintHearing, id, scope,
            new { hearing.HeldOn, Waiver = hearing.Waiver is { } w ? ComplaintCodes.Waivers.Code(w) : null },
            (state, today) => ComplaintRules.Hear(state, hearing, today),
            async (_, s, token) => await s.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE complaints SET hearing_held_on = @HeldOn, hearing_waiver = @Waiver, hearing_note = @Note, heard_by = @By WHERE id = @Id",
                new { hearing.HeldOn, Waiver = hearing.Waiver is { } w ? ComplaintCodes.Waivers.Code(w) : null, hearing.Note, By = actor.Subject, Id = id },
                s.Transaction, cancellationToken: token)), ct);
    }

    /// <summary>Decides the complaint (Awb 9:12): outcome, day and findings.</summary>
    public Task<Result<ComplaintStep>> Decide(Actor actor, long id, ComplaintDecision decision, ComplaintScope scope, CancellationToken ct = default)
    {
        decision = decision with { Findings = Clean(decision.Findings) ?? "" };
        return Step(actor, AuditActions.ComplaintDecide, id, scope,
            new { Outcome = ComplaintCodes.Outcomes.Code(decision.Outcome), decision.DecidedOn },
            (state, today) => ComplaintRules.Decide(state, decision, today),
            async (_, s, token) => await s.Connection.ExecuteAsync(new CommandDefinition(
                "UPDATE complaints SET outcome = @Outcome, decided_on = @DecidedOn, findings = @Findings, decided_by = @By WHERE id = @Id",
                new { Outcome = ComplaintCodes.Outcomes.Code(decision.Outcome), decision.DecidedOn, decision.Findings, By = actor.Subject, Id = id },
                s.Transaction, cancellationToken: token)), ct);
    }

    /// <summary>Records what was put right: a payment paid again, a write-off (each the household's own), an apology, or something else.</summary>
    public Task<Result<ComplaintStep>> AddRemedy(Actor actor, long id, Remedy remedy, ComplaintScope scope, CancellationToken ct = default)
    {
        remedy = remedy with { Note = Clean(remedy.Note) };
        return Step(actor, AuditActions.ComplaintRemedy, id, scope,
            new { Kind = ComplaintCodes.Remedies.Code(remedy.Kind), remedy.PaymentId, remedy.DecisionId },
            (_, _) => ComplaintRules.Remedy(remedy),
            async (complaint, s, token) =>
            {
                var links = new List<ComplaintLink>();
                if (remedy.PaymentId is { } payment)
                {
                    links.Add(ComplaintLink.Of(ComplaintLinkKind.Payment, payment));
                }

                if (remedy.DecisionId is { } decision)
                {
                    links.Add(ComplaintLink.Of(ComplaintLinkKind.Decision, decision));
                    var kind = await s.Connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
                        "SELECT kind FROM decisions WHERE id = @Id AND household_id = @HouseholdId", new { Id = decision, complaint.HouseholdId }, s.Transaction, cancellationToken: token));
                    if (kind is not null && kind != DecisionKind.WriteOff.Code())
                    {
                        throw new RefusedException(Refusal.Of(RefusalCode.RemedyNeedsLink, "remedy_decision"));
                    }
                }

                await RequireOwn(s, complaint.HouseholdId, complaint.Household, links, remedy.PaymentId is null ? "remedy_decision" : "remedy_payment", token);
                // The same remedy sent twice (a form submitted again) is kept once.
                s.NothingChanged = await s.Connection.ExecuteAsync(new CommandDefinition(
                    "INSERT INTO complaint_remedies (complaint_id, kind, payment_id, decision_id, note, recorded_by, recorded_at) VALUES (@Id, @Kind, @PaymentId, @DecisionId, @Note, @By, @Now) ON CONFLICT DO NOTHING",
                    new { Id = id, Kind = ComplaintCodes.Remedies.Code(remedy.Kind), remedy.PaymentId, remedy.DecisionId, remedy.Note, By = actor.Subject, s.Now },
                    s.Transaction, cancellationToken: token)) == 0;
            }, ct);
    }

    private Task<Result<ComplaintStep>> Move(Actor actor, string action, long id, DeadlineMoveKind kind, LocalDate newDeadline, LocalDate toldOn, ComplaintScope scope,
        Func<ComplaintState, LocalDate, Refusal?> rule, CancellationToken ct) =>
        Step(actor, action, id, scope, new { NewDeadline = newDeadline, ToldOn = toldOn }, rule,
            async (complaint, s, token) => await s.Connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO complaint_deadline_moves (complaint_id, seq, kind, new_deadline, told_on, recorded_by, recorded_at)
                VALUES (@Id, @Seq, @Kind, @NewDeadline, @ToldOn, @By, @Now)
                """,
                new { Id = id, Seq = (short)(complaint.Moves.Count + 1), Kind = ComplaintCodes.Moves.Code(kind), NewDeadline = newDeadline, ToldOn = toldOn, By = actor.Subject, s.Now },
                s.Transaction, cancellationToken: token)), ct);

    /// <summary>One step on a complaint: lock it, check it is the actor's to see, check the rule, change it; all with its record.</summary>
    private async Task<Result<ComplaintStep>> Step(Actor actor, string action, long id, ComplaintScope scope, object attempted,
        Func<ComplaintState, LocalDate, Refusal?> rule, Func<LockedComplaint, WriteScope, CancellationToken, Task> change, CancellationToken ct) =>
        await door.Run(actor, action, $"complaint {id}", async (s, token) =>
        {
            s.After = attempted;
            var row = await s.Connection.QuerySingleOrDefaultAsync<LockedRow>(new CommandDefinition(LockComplaint, new { Id = id }, s.Transaction, cancellationToken: token));
            if (row is null || !scope.Sees(row.Municipality, row.AboutConduct))
            {
                throw new RefusedException(Refusal.Of(RefusalCode.ComplaintUnknown, null, ("complaint", id)));
            }

            s.Municipality = row.Municipality;
            var moves = (await s.Connection.QueryAsync<MoveRow>(new CommandDefinition(Moves, new { Id = id }, s.Transaction, cancellationToken: token)))
                .Select(m => new DeadlineMove(ComplaintCodes.Moves.Parse(m.Kind)!.Value, m.NewDeadline, m.ToldOn)).ToList();
            var clockState = new ComplaintClock(row.Received, row.StatutoryDeadline, moves, row.Decided);
            var state = new ComplaintState(clockState, row.Acknowledged, row.Heard, row.HeardOn, ComplaintCodes.Waivers.Parse(row.Waiver));
            s.Before = new { clockState.Deadline, row.Acknowledged, row.Heard, row.Decided };
            var today = MunicipalTime.DateOf(s.Now);
            if (rule(state, today) is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            var complaint = new LockedComplaint(id, row.HouseholdId, row.Household, row.Municipality, moves, row.Acknowledged);
            await change(complaint, s, token);
            return new ComplaintStep(id, row.Household);
        }, ct);

    /// <summary>Refuses, by its field, any payment, receipt or decision named that is not the household's own.</summary>
    private static async Task RequireOwn(WriteScope s, long householdId, string reference, IReadOnlyList<ComplaintLink> links, string field, CancellationToken token)
    {
        long[] Ids(ComplaintLinkKind kind) => links.Where(l => l.Kind == kind && l.Id is not null).Select(l => l.Id!.Value).Distinct().ToArray();
        var named = new[] { ComplaintLinkKind.Payment, ComplaintLinkKind.Receipt, ComplaintLinkKind.Decision }.SelectMany(k => Ids(k).Select(i => (Kind: ComplaintCodes.Links.Code(k), Id: i))).ToList();
        if (named.Count == 0)
        {
            return;
        }

        var owned = (await s.Connection.QueryAsync<(string Kind, long Id)>(new CommandDefinition(OwnedIds, new
        {
            HouseholdId = householdId,
            Payments = Ids(ComplaintLinkKind.Payment),
            Receipts = Ids(ComplaintLinkKind.Receipt),
            Decisions = Ids(ComplaintLinkKind.Decision),
        }, s.Transaction, cancellationToken: token))).ToHashSet();
        if (named.FirstOrDefault(n => !owned.Contains(n)) is { Kind: not null } foreign)
        {
            throw new RefusedException(Refusal.Of(RefusalCode.ComplaintLinkNotOfHousehold, field, ("kind", foreign.Kind), ("id", foreign.Id), ("household", reference)));
        }
    }

    /// <summary>What the audit record keeps of a registration: codes, dates and how much was written, never the words.</summary>
    private static object Describe(NewComplaint c) => new
    {
        c.Received,
        Channel = ComplaintCodes.Channels.Code(c.Channel),
        Complainant = ComplaintCodes.Complainants.Code(c.Complainant),
        Subject = ComplaintCodes.Subjects.Code(c.Subject),
        c.AdvisoryCommittee,
        Links = c.Links.Select(l => l.Month is { } m ? $"month {m:yyyy-MM}" : $"{ComplaintCodes.Links.Code(l.Kind)} {l.Id}").ToList(),
    };

    private static string? Clean(string? text) => string.IsNullOrWhiteSpace(text) ? null : TextRules.Nfc(text.Trim());

    private sealed record LockedComplaint(long Id, long HouseholdId, string Household, string Municipality, IReadOnlyList<DeadlineMove> Moves, LocalDate? Acknowledged);

    private sealed class LockedRow
    {
        public long Id { get; set; }

        public long HouseholdId { get; set; }

        public string Household { get; set; } = "";

        public string Municipality { get; set; } = "";

        public string Subject { get; set; } = "";

        public LocalDate Received { get; set; }

        public bool AdvisoryCommittee { get; set; }

        public LocalDate StatutoryDeadline { get; set; }

        public LocalDate? Acknowledged { get; set; }

        public bool Heard { get; set; }

        public LocalDate? HeardOn { get; set; }

        public string? Waiver { get; set; }

        public LocalDate? Decided { get; set; }

        public bool AboutConduct { get; set; }
    }

    private sealed class MoveRow
    {
        public string Kind { get; set; } = "";

        public LocalDate NewDeadline { get; set; }

        public LocalDate ToldOn { get; set; }
    }
}

/// <summary>A step done on a complaint: which, and its household.</summary>
public sealed record ComplaintStep(long Complaint, string Household);
