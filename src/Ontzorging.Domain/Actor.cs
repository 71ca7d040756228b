namespace Ontzorging.Domain;

/// <summary>Where an actor acts from; kept with every audit record.</summary>
public enum ActorChannel
{
    Web,
    Cli,
    Job,
    Simulate,
}

/// <summary>
/// Who acts: a stable subject id and the name people know (docs/rules.md §14). The subject comes
/// from sign-in (<c>oidc:&lt;sub&gt;</c>) or the operating system (<c>os:&lt;login&gt;</c>), never
/// from a name the caller types; <c>system:&lt;name&gt;</c> only where no person acts (a
/// simulation, a benchmark, a scheduled job). Four-eyes compares subjects, not names.
/// </summary>
public sealed record Actor(string Subject, string DisplayName, ActorChannel Channel)
{
    public static Actor SignedIn(string subject, string displayName) =>
        new("oidc:" + Required(subject, nameof(subject)), string.IsNullOrWhiteSpace(displayName) ? subject : displayName, ActorChannel.Web);

    public static Actor OperatingSystemUser(string login) =>
        new("os:" + Required(login, nameof(login)), login, ActorChannel.Cli);

    /// <summary>The person running this process, as the operating system knows them.</summary>
    public static Actor CurrentOperatingSystemUser() => OperatingSystemUser(Environment.UserName);

    /// <summary>A scheduled job, where no person acts.</summary>
    public static Actor System(string name) => new("system:" + Required(name, nameof(name)), name, ActorChannel.Job);

    /// <summary>A simulation or benchmark acting on its own scratch database, in the role of <paramref name="name"/>.</summary>
    public static Actor Simulated(string name) => new("system:" + Required(name, nameof(name)), name, ActorChannel.Simulate);

    public override string ToString() => DisplayName == Subject ? Subject : $"{DisplayName} ({Subject})";

    private static string Required(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"an actor needs a {name}", name) : value.Trim();
}

public static class ActorChannels
{
    /// <summary>The channel as the audit log keeps it: web, cli, job or simulate.</summary>
    public static string Code(this ActorChannel channel) => channel.ToString().ToLowerInvariant();
}

/// <summary>
/// Subjects that stand for a person (docs/rules.md §14): an OS login <c>os:&lt;login&gt;</c> and a
/// provider subject <c>oidc:&lt;sub&gt;</c>. Linked, they are one person, and four eyes compares
/// persons; a <c>system:</c> subject is never a person and is never linked.
/// </summary>
public static class Subjects
{
    public const string OperatingSystem = "os:";
    public const string Provider = "oidc:";

    public static bool IsPerson(string? subject) =>
        subject is not null
        && (subject.StartsWith(OperatingSystem, StringComparison.Ordinal) || subject.StartsWith(Provider, StringComparison.Ordinal))
        && subject.Length > subject.IndexOf(':') + 1 && subject.Length <= 200
        && !subject.Any(c => char.IsWhiteSpace(c) || char.IsControl(c));

    public static bool IsProvider(string subject) => subject.StartsWith(Provider, StringComparison.Ordinal);

    /// <summary>Why <paramref name="first"/> and <paramref name="second"/> cannot be linked as one person, or null.</summary>
    public static Refusal? LinkRefusal(string first, string second) =>
        !IsPerson(first) ? Refusal.Of(RefusalCode.SubjectNotAPerson, "first", ("subject", first))
        : !IsPerson(second) || second == first ? Refusal.Of(RefusalCode.SubjectNotAPerson, "second", ("subject", second))
        : null;

    /// <summary>The provider names a login that is already part of another person: the sign-in waits for an administrator.</summary>
    public static Refusal LoginOfAnotherPerson(string login, string person) =>
        Refusal.Of(RefusalCode.LoginOfAnotherPerson, null, ("login", login), ("person", person));

    /// <summary>
    /// Two subjects that are each part of a larger person are never merged: a link is set once and
    /// never moved, so only a subject that stands for itself alone joins another person.
    /// </summary>
    public static Refusal PersonsStayApart(string first, string firstPerson, string second, string secondPerson) =>
        Refusal.Of(RefusalCode.PersonsStayApart, null, ("first", first), ("firstPerson", firstPerson), ("second", second), ("secondPerson", secondPerson));
}
