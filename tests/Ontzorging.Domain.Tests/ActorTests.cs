namespace Ontzorging.Domain.Tests;

/// <summary>docs/rules.md §14: who acts is a subject from sign-in or the operating system, never a typed name.</summary>
public sealed class ActorTests
{
    [Test]
    public void Subjects_of_the_three_channels_never_coincide()
    {
        var web = Actor.SignedIn("anna", "Anna Bakker");
        var cli = Actor.OperatingSystemUser("anna");
        var job = Actor.System("anna");

        new[] { web.Subject, cli.Subject, job.Subject }.Should().OnlyHaveUniqueItems();
        web.Should().Be(new Actor("oidc:anna", "Anna Bakker", ActorChannel.Web));
        cli.Should().Be(new Actor("os:anna", "anna", ActorChannel.Cli));
    }

    [Test]
    public void A_provider_without_a_display_name_shows_the_subject()
    {
        Actor.SignedIn("4f1c", " ").DisplayName.Should().Be("4f1c");
    }

    [TestCase("")]
    [TestCase("   ")]
    public void An_actor_without_a_subject_is_refused(string subject)
    {
        var act = () => Actor.SignedIn(subject, "name");

        act.Should().Throw<ArgumentException>();
    }
}
