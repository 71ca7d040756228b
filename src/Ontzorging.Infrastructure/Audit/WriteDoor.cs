using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.Audit;

/// <summary>A use case's <see cref="Result{T}"/> where a refusal is a failure to the caller.</summary>
public static class UseCaseResults
{
    /// <summary>
    /// The value, or the refusal thrown (an input refusal as <see cref="InputRejectedException"/>):
    /// for callers to whom a refusal is a failure, such as a simulation or a benchmark.
    /// </summary>
    public static T OrThrow<T>(this Result<T> result) => result.Refusal is not { } refusal
        ? result.Value
        : InputRejectedException.ErrorsOf(refusal) is { Count: > 0 } errors ? throw new InputRejectedException(errors) : throw new RefusedException(refusal);
}

/// <summary>
/// A use case's change in progress: its connection and transaction, the moment it acts, and what
/// its audit record will say. The use case reads the row it changes under its lock, sets
/// <see cref="Before"/> and <see cref="After"/>, and the door writes the record before it commits.
/// </summary>
public sealed class WriteScope
{
    private readonly List<Func<Task>> beforeCommit = [];
    private readonly List<Action> onFailure = [];

    internal WriteScope(NpgsqlConnection connection, NpgsqlTransaction transaction, Actor actor, Instant now, string action, string? target)
    {
        Connection = connection;
        Transaction = transaction;
        Actor = actor;
        Now = now;
        Action = action;
        Target = target;
    }

    public NpgsqlConnection Connection { get; }

    public NpgsqlTransaction Transaction { get; }

    public Actor Actor { get; }

    public Instant Now { get; }

    public string Action { get; }

    public string? Target { get; set; }

    public string? Municipality { get; set; }

    public object? Before { get; set; }

    public object? After { get; set; }

    public string? Detail { get; set; }

    /// <summary>Nothing changed (the same write was already made, or a dry run): roll back and keep no record.</summary>
    public bool NothingChanged { get; set; }

    /// <summary>Runs after the audit record is written and just before the commit (e.g. moving a finished file into place).</summary>
    public void BeforeCommit(Func<Task> step) => beforeCommit.Add(step);

    /// <summary>Runs when the write does not commit (e.g. removing a file it made).</summary>
    public void OnFailure(Action undo) => onFailure.Add(undo);

    internal async Task Finish()
    {
        foreach (var step in beforeCommit)
        {
            await step();
        }
    }

    internal void Fail()
    {
        foreach (var undo in onFailure)
        {
            undo();
        }
    }

    internal AuditEntry Entry(AuditOutcome outcome) => new(Action, Target, outcome, Municipality, Before, After, Detail);
}

/// <summary>
/// The one door every write goes through (docs/architecture.md "One door"): it opens the
/// transaction, lets the use case check its rule and make its change, writes the audit record in
/// the same transaction and commits, so a write never stands without its record, nor a record
/// without its write. A rule that says no (<see cref="RefusedException"/>) rolls the change back,
/// and the refusal is recorded on its own and returned as a value. Pages, commands and jobs only
/// call use cases; none of them opens a transaction or writes a record.
/// </summary>
public sealed class WriteDoor(NpgsqlDataSource dataSource, IClock clock)
{
    /// <summary>
    /// Runs <paramref name="change"/> as one write by <paramref name="actor"/>.
    /// <paramref name="ct"/> may stop the change (Ctrl+C while an import waits for another), which
    /// leaves nothing; once the change is made, its record and the commit run to the end whatever
    /// the token. The site passes no token to a write at all, so a browser that gives up
    /// mid-request never undoes what it sent.
    /// </summary>
    public async Task<Result<T>> Run<T>(Actor actor, string action, string? target, Func<WriteScope, CancellationToken, Task<T>> change, CancellationToken ct = default)
    {
        ct.ThrowIfCancellationRequested();
        var scope = (WriteScope?)null;
        try
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            await using var transaction = await connection.BeginTransactionAsync(ct);
            scope = new WriteScope(connection, transaction, actor, clock.GetCurrentInstant(), action, target);
            var result = await change(scope, ct);
            if (scope.NothingChanged)
            {
                await transaction.RollbackAsync(CancellationToken.None);
                return result;
            }

            await AuditTrail.Write(connection, transaction, actor, scope.Now, scope.Entry(AuditOutcome.Done), remember: true, CancellationToken.None);
            await scope.Finish();
            await transaction.CommitAsync(CancellationToken.None);
            return result;
        }
        catch (Exception ex) when (ex is RefusedException or InputRejectedException or PostgresException { SqlState: PostgresErrorCodes.CheckViolation })
        {
            scope?.Fail();
            // An input's errors are kept by place only: their words may quote personal data (an
            // IBAN, a BSN), which has no place in a log nobody can erase.
            var (refusal, attempted) = ex switch
            {
                InputRejectedException input => (input.Refusal, (object?)new { Errors = input.Errors.Count, First = input.Errors.Take(20).Select(e => $"{e.File} line {e.Line}, column {e.Column}") }),
                PostgresException database => (Refusal.Of(RefusalCode.DatabaseRefused, null, ("message", database.MessageText)), scope?.After),
                _ => (((RefusedException)ex).Refusal, scope?.After),
            };
            var entry = (scope?.Entry(AuditOutcome.Refused) ?? new AuditEntry(action, target, AuditOutcome.Refused)) with { After = attempted, Detail = refusal.Message };
            await Refused(actor, entry);
            return refusal;
        }
        catch
        {
            scope?.Fail();
            throw;
        }
    }

    /// <summary>Records a refusal that a use case found before it changed anything (its input could not be read).</summary>
    public async Task<Result<T>> Refuse<T>(Actor actor, string action, string? target, Refusal refusal, object? attempted = null)
    {
        await Refused(actor, new AuditEntry(action, target, AuditOutcome.Refused, After: attempted, Detail: refusal.Message));
        return refusal;
    }

    /// <summary>
    /// Records a view of personal data before it is shown. The record is written whatever the
    /// caller does next; when it cannot be written, nothing is shown.
    /// </summary>
    public async Task Viewed(Actor actor, AuditEntry entry, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        await AuditTrail.Write(connection, null, actor, clock.GetCurrentInstant(), entry with { Outcome = AuditOutcome.Viewed }, remember: false, ct);
    }

    /// <summary>A session event (sign-in, sign-out): the person is remembered under their subject in the same statement.</summary>
    public async Task Session(Actor actor, AuditEntry entry)
    {
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await AuditTrail.Write(connection, null, actor, clock.GetCurrentInstant(), entry, remember: true, CancellationToken.None);
    }

    private async Task Refused(Actor actor, AuditEntry entry)
    {
        // The change was rolled back; the refusal is a record of its own.
        await using var connection = await dataSource.OpenConnectionAsync(CancellationToken.None);
        await AuditTrail.Write(connection, null, actor, clock.GetCurrentInstant(), entry, remember: true, CancellationToken.None);
    }
}
