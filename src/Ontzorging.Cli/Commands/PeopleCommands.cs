using System.CommandLine;
using Microsoft.Extensions.DependencyInjection;
using Ontzorging.Infrastructure.People;
using Spectre.Console;

namespace Ontzorging.Cli.Commands;

/// <summary>
/// <c>ontzorging people list|link</c>: the subjects the engine knows and the persons they belong to.
/// An administrator links a person's OS login to their provider subject, so four eyes sees one person.
/// </summary>
public static class PeopleCommands
{
    public static Command Create(CliEnvironment env)
    {
        var json = CommonOptions.Json();
        var list = new Command("list", "Every subject that acted or signed in, grouped by the person it belongs to.\nExample: ontzorging people list") { json };
        list.SetAction((parse, ct) => env.Run(async token =>
        {
            var known = await env.Services.GetRequiredService<PersonLinks>().Known(token);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(env.OutWriter, known);
                return ExitCodes.Ok;
            }

            var table = new Table().AddColumns("Person", "Subject", "Name", "Last seen");
            foreach (var s in known)
            {
                table.AddRow(Markup.Escape(s.Person), Markup.Escape(s.Subject), Markup.Escape(s.DisplayName), s.LastSeenAt.ToString("yyyy-MM-dd HH:mm'Z'", env.Culture));
            }

            env.Out.Write(table);
            return ExitCodes.Ok;
        }, ct));

        var first = new Argument<string>("SUBJECT") { Description = "One subject of the person, e.g. os:anna" };
        var second = new Argument<string>("OTHER") { Description = "Another subject of the same person, e.g. oidc:7f3c… (see people list)" };
        var link = new Command("link", "Administrators: make two subjects one person, e.g. a colleague's OS login and their sign-in at the identity provider, so four eyes sees one person (a link is never undone).\nExample: ontzorging people link os:anna oidc:dev-anna")
        {
            first, second,
        };
        link.SetAction((parse, ct) => env.Run(async token =>
        {
            var done = CliEnvironment.Done(await env.Services.GetRequiredService<PersonLinks>().Link(env.Actor, parse.GetValue(first)!, parse.GetValue(second)!, token));
            env.Out.WriteLine(done.AlreadyLinked
                ? $"{done.First} and {done.Second} were already one person ({done.Person})."
                : $"{done.First} and {done.Second} are now one person ({done.Person}).");
            return ExitCodes.Ok;
        }, ct));
        return new Command("people", "Administrators: the people who act, and linking a person's subjects.  Example: ontzorging people list") { list, link };
    }
}
