using Dapper;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Audit;

namespace Ontzorging.Infrastructure.People;

/// <summary>What linking two subjects did: the person both now belong to, or that they already did.</summary>
public sealed record PersonLink(string First, string Second, string Person, bool AlreadyLinked);

/// <summary>A subject the engine knows, with the person it belongs to.</summary>
public sealed record KnownSubject(string Subject, string DisplayName, string Person, NodaTime.Instant LastSeenAt);

/// <summary>
/// One person, one identity (docs/rules.md §14): links an OS login and a provider subject as one
/// person, so four eyes sees anna in the CLI and anna on the site as the same person. An
/// administrator links from the CLI (<c>people link</c>); the site links at sign-in when the
/// provider names the person's login in a configured claim. A link is set once and never undone
/// (migrations/always/people.sql enforces it for every role).
/// </summary>
public sealed class PersonLinks(WriteDoor door, Npgsql.NpgsqlDataSource dataSource)
{
    // Both subjects known (a login that never acted yet is known by its login), then each one's
    // person and whether it stands for others too, under the rows' locks.
    private const string KnowAndLock = """
        INSERT INTO people (subject, display_name, first_seen_at, last_seen_at)
        SELECT s, substr(s, strpos(s, ':') + 1), @Now, @Now FROM unnest(@Subjects) AS s
        ON CONFLICT (subject) DO NOTHING;
        SELECT p.subject, p.person,
               p.person = p.subject AND NOT EXISTS (SELECT 1 FROM people o WHERE o.person = p.subject AND o.subject <> p.subject) AS Alone
          FROM people p WHERE p.subject = ANY(@Subjects) ORDER BY p.subject FOR UPDATE;
        """;

    /// <summary>
    /// At sign-in: the provider names the person's OS login. The provider subject joins the login
    /// (or the login joins it), unless the login is already part of another person: then the
    /// sign-in is refused, for the provider and the administrator disagree about who this is.
    /// </summary>
    public Task<Result<PersonLink>> LinkAtSignIn(Actor actor, string login, CancellationToken ct = default) =>
        Link(actor, actor.Subject, Subjects.OperatingSystem + login, intoAnother: false, ct);

    /// <summary>An administrator's link: either subject may join the other's person, as long as one of them stands for itself alone.</summary>
    public Task<Result<PersonLink>> Link(Actor actor, string first, string second, CancellationToken ct = default) => Link(actor, first, second, intoAnother: true, ct);

    private Task<Result<PersonLink>> Link(Actor actor, string first, string second, bool intoAnother, CancellationToken ct) =>
        door.Run(actor, AuditActions.PersonLink, $"person {first}", async (scope, token) =>
        {
            if (Subjects.LinkRefusal(first, second) is { } refusal)
            {
                throw new RefusedException(refusal);
            }

            var rows = (await scope.Connection.QueryAsync<SubjectRow>(new CommandDefinition(KnowAndLock,
                new { Subjects = new[] { first, second }, scope.Now }, scope.Transaction, cancellationToken: token))).ToDictionary(r => r.Subject);
            var (a, b) = (rows[first], rows[second]);
            scope.Before = new { First = first, FirstPerson = a.Person, Second = second, SecondPerson = b.Person };
            if (a.Person == b.Person)
            {
                scope.NothingChanged = true;
                return new PersonLink(first, second, a.Person, AlreadyLinked: true);
            }

            if (!intoAnother && !b.Alone)
            {
                throw new RefusedException(Subjects.LoginOfAnotherPerson(second, b.Person));
            }

            // The one that stands for itself alone joins the other's person. When both do, the person is
            // known by the provider subject (the login joins it), else by the first named.
            var (joins, person) = (a.Alone, b.Alone) switch
            {
                (true, true) when Subjects.IsProvider(first) && !Subjects.IsProvider(second) => (second, a.Person),
                (true, true) when Subjects.IsProvider(second) && !Subjects.IsProvider(first) => (first, b.Person),
                (_, true) => (second, a.Person),
                (true, false) => (first, b.Person),
                _ => throw new RefusedException(Subjects.PersonsStayApart(first, a.Person, second, b.Person)),
            };
            await scope.Connection.ExecuteAsync(new CommandDefinition("UPDATE people SET person = @Person WHERE subject = @Joins",
                new { Person = person, Joins = joins }, scope.Transaction, cancellationToken: token));
            scope.After = new { Person = person, Linked = joins };
            return new PersonLink(first, second, person, AlreadyLinked: false);
        }, ct);

    /// <summary>Every subject the engine knows, grouped by person.</summary>
    public async Task<IReadOnlyList<KnownSubject>> Known(CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        return (await connection.QueryAsync<KnownSubject>(new CommandDefinition(
            "SELECT subject, display_name AS DisplayName, person, last_seen_at AS LastSeenAt FROM people ORDER BY person, subject <> person, subject",
            cancellationToken: ct))).ToList();
    }

    private sealed class SubjectRow
    {
        public string Subject { get; set; } = "";

        public string Person { get; set; } = "";

        public bool Alone { get; set; }
    }
}
