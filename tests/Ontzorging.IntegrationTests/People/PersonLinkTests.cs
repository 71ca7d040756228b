using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Cli;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.People;

/// <summary>
/// One person, one identity (issue 21): an administrator links a person's OS login and provider
/// subject; four eyes then compares persons, in the engine and in the database; a link is set once
/// and never undone, by any role; two persons are never merged into one.
/// </summary>
public sealed class PersonLinkTests
{
    private ScratchDatabase db = null!;

    [SetUp]
    public async Task ImportSamples()
    {
        db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
    }

    [TearDown]
    public async Task Drop() => await db.DisposeAsync();

    [Test]
    public async Task Once_an_administrator_links_a_login_to_a_provider_subject_that_person_cannot_approve_what_the_login_prepared()
    {
        var link = await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:kees", "oidc:dev-bob");
        var prepare = await CliRunner.RunAs("kees", db.Configuration, "batch", "prepare", "--month", "2026-06", "--reason", "the samples are paid after the fact");

        link.ExitCode.Should().Be(ExitCodes.Ok, link.Error);
        link.Out.Should().Contain("are now one person");
        prepare.ExitCode.Should().Be(ExitCodes.Ok, prepare.Error);
        var approve = await db.Services.GetRequiredService<BatchLifecycle>().Approve(Actor.SignedIn("dev-bob", "Bob Visser"), 1);
        approve.Refusal!.Code.Should().Be(RefusalCode.FourEyes);
        var bypass = () => db.Execute("INSERT INTO batch_approvals (batch_id, approved_by, approved_at) VALUES (1, 'oidc:dev-bob', now())");
        (await bypass.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("four eyes");
        (await db.Services.GetRequiredService<BatchLifecycle>().AcknowledgeAll(Actor.SignedIn("dev-bob", "Bob Visser"), 1)).Refusal!.Code.Should().Be(RefusalCode.AcknowledgedByPreparer);
        (await db.Services.GetRequiredService<BatchLifecycle>().AcknowledgeAll(Actor.SignedIn("dev-carla", "Carla"), 1)).Refusal.Should().BeNull();
        (await db.Services.GetRequiredService<BatchLifecycle>().Approve(Actor.SignedIn("dev-carla", "Carla"), 1)).Refusal.Should().BeNull("another person may");
        (await db.Scalar<string>("SELECT actor_subject || ' ' || outcome || ' ' || (after->>'person') FROM audit_log WHERE action = 'person.link'")).Should().Be("os:beheer done oidc:dev-bob");
        (await CliRunner.RunAs("beheer", db.Configuration, "people", "list")).Out.Should().Contain("os:kees");
    }

    [Test]
    public async Task A_link_is_never_undone_or_moved_by_the_application_role_or_the_owner()
    {
        (await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:kees", "oidc:dev-bob")).ExitCode.Should().Be(ExitCodes.Ok);

        var undo = () => db.Execute("UPDATE people SET person = subject WHERE subject = 'os:kees'");
        var move = () => db.ExecuteAsOwner("UPDATE people SET person = 'os:beheer' WHERE subject = 'os:kees'");
        var forget = () => db.Execute("DELETE FROM people WHERE subject = 'os:kees'");

        (await undo.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("never undone");
        (await move.Should().ThrowAsync<Npgsql.PostgresException>()).Which.MessageText.Should().Contain("never undone");
        await forget.Should().ThrowAsync<Npgsql.PostgresException>();
        (await db.Scalar<string>("SELECT person_of('os:kees')")).Should().Be("oidc:dev-bob");
    }

    [Test]
    public async Task Two_persons_with_several_subjects_each_are_never_merged_and_a_system_subject_is_never_a_person()
    {
        await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:kees", "oidc:dev-bob");
        await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:anna", "oidc:dev-anna");

        var merge = await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:kees", "os:anna");
        var system = await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "system:scheduler", "oidc:dev-anna");
        var again = await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "oidc:dev-anna", "os:anna");

        merge.ExitCode.Should().Be(ExitCodes.BadInput);
        merge.Error.Should().Contain("never merged");
        system.ExitCode.Should().Be(ExitCodes.BadInput);
        system.Error.Should().Contain("not a person's subject");
        again.ExitCode.Should().Be(ExitCodes.Ok);
        again.Out.Should().Contain("were already one person");
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'person.link' AND outcome = 'refused'")).Should().Be(2);
        (await db.Scalar<string>("SELECT person_of('os:anna') || ' ' || person_of('os:kees')")).Should().Be("oidc:dev-anna oidc:dev-bob");
    }

    [Test]
    public async Task A_sign_in_whose_provider_names_the_login_of_another_person_is_refused_and_recorded()
    {
        await CliRunner.RunAs("beheer", db.Configuration, "people", "link", "os:anna", "oidc:dev-bob");
        var links = db.Services.GetRequiredService<Ontzorging.Infrastructure.People.PersonLinks>();

        var refused = await links.LinkAtSignIn(Actor.SignedIn("dev-anna", "Anna Bakker"), "anna");
        var fine = await links.LinkAtSignIn(Actor.SignedIn("dev-carla", "Carla de Vries"), "carla");

        refused.Refusal!.Code.Should().Be(RefusalCode.LoginOfAnotherPerson);
        refused.Refusal.Message.Should().Contain("os:anna").And.Contain("oidc:dev-bob");
        fine.Refusal.Should().BeNull();
        (await db.Scalar<string>("SELECT person_of('oidc:dev-anna') || ' ' || person_of('os:carla')")).Should().Be("oidc:dev-anna oidc:dev-carla");
        (await db.Scalar<long>("SELECT count(*) FROM audit_log WHERE action = 'person.link' AND outcome = 'refused' AND actor_subject = 'oidc:dev-anna'")).Should().Be(1);
    }
}
