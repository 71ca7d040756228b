using System.CommandLine;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Ontzorging.Cli;

namespace Ontzorging.IntegrationTests.Cli;

/// <summary>Every command's <c>--help</c> example is a command that parses: no removed option (such as --as) and no unknown one.</summary>
public sealed partial class HelpExampleTests
{
    private static IEnumerable<TestCaseData> Examples()
    {
        var root = OntzorgingCli.BuildRoot(new CliEnvironment(new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null));
        foreach (var command in Walk(root))
        {
            foreach (Match example in ExamplePattern().Matches(command.Description ?? ""))
            {
                yield return new TestCaseData(example.Groups[1].Value.Trim()).SetName($"The example of '{Path(command)}' parses: {{a}}");
            }
        }
    }

    [Test]
    public void Every_command_that_does_something_shows_an_example()
    {
        var root = OntzorgingCli.BuildRoot(new CliEnvironment(new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null));
        var leaves = Walk(root).Where(c => c.Subcommands.Count == 0 && c.Parents.FirstOrDefault() is not Command { Name: "decide" }).ToList();

        leaves.Where(c => !ExamplePattern().IsMatch(c.Description ?? "")).Select(Path).Should().BeEmpty();
    }

    [TestCaseSource(nameof(Examples))]
    public void A_help_example_parses_without_an_unknown_option(string example)
    {
        var root = OntzorgingCli.BuildRoot(new CliEnvironment(new ConfigurationBuilder().Build(), TextWriter.Null, TextWriter.Null));
        var words = Split(example);
        words[0].Should().Be("ontzorging");

        var parse = root.Parse(words.Skip(1).ToArray());

        parse.Errors.Select(e => e.Message).Should().BeEmpty();
    }

    private static IEnumerable<Command> Walk(Command command) => command.Subcommands.SelectMany(Walk).Prepend(command);

    private static string Path(Command command) =>
        string.Join(' ', command.Parents.OfType<Command>().Reverse().Append(command).Skip(1).Select(c => c.Name).Prepend("ontzorging"));

    /// <summary>Words as a POSIX shell splits them (double quotes group, backslash escapes a quote).</summary>
    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var word = new StringBuilder();
        var quoted = false;
        var any = false;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (c == '\\' && i + 1 < line.Length && line[i + 1] == '"')
            {
                word.Append('"');
                i++;
            }
            else if (c == '"')
            {
                quoted = !quoted;
                any = true;
            }
            else if (c == ' ' && !quoted)
            {
                if (word.Length > 0 || any)
                {
                    words.Add(word.ToString());
                }

                word.Clear();
                any = false;
            }
            else
            {
                word.Append(c);
            }
        }

        if (word.Length > 0 || any)
        {
            words.Add(word.ToString());
        }

        return words;
    }

    [GeneratedRegex(@"Example:\s*(ontzorging[^\n]*)")]
    private static partial Regex ExamplePattern();
}
