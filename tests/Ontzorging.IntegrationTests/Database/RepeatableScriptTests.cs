using System.Text.RegularExpressions;
using Dapper;
using Npgsql;
using Ontzorging.Infrastructure.Database;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

/// <summary>
/// A schema a reader can see (issue 15): every function and trigger the database has is defined
/// once, in migrations/always/, and applying those scripts again changes nothing.
/// </summary>
public sealed partial class RepeatableScriptTests : DatabaseFixture
{
    [Test]
    public void Every_function_and_trigger_is_defined_in_exactly_one_repeatable_script()
    {
        var definitions = DatabaseMigrator.RepeatableScripts()
            .SelectMany(s => Definition().Matches(s.Contents).Select(m => (Kind: m.Groups["kind"].Value.Contains("FUNCTION") ? "function" : "trigger", m.Groups["name"].Value, Script: s.Name)))
            .ToList();

        definitions.GroupBy(d => (d.Kind, d.Value)).Where(g => g.Count() > 1).Should().BeEmpty("each function and trigger has one current definition");
        definitions.Should().NotBeEmpty();
    }

    [Test]
    public async Task The_database_has_exactly_the_functions_and_triggers_of_the_repeatable_scripts()
    {
        var scripts = DatabaseMigrator.RepeatableScripts().Select(s => s.Contents).ToList();
        string[] Defined(string kind) => scripts.SelectMany(s => Definition().Matches(s)).Where(m => m.Groups["kind"].Value.Contains(kind, StringComparison.Ordinal))
            .Select(m => m.Groups["name"].Value).Order(StringComparer.Ordinal).ToArray();
        await using var connection = new NpgsqlConnection(ConnectionString);

        var functions = (await connection.QueryAsync<string>("""
            SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.prokind = 'f' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
             ORDER BY p.proname COLLATE "C"
            """)).ToArray();
        var triggers = (await connection.QueryAsync<string>("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal ORDER BY tgname COLLATE \"C\"")).ToArray();

        functions.Should().Equal(Defined("FUNCTION"));
        triggers.Should().Equal(Defined("TRIGGER"));
    }

    [Test]
    public async Task Migrating_again_applies_no_migration_and_leaves_every_definition_as_it_was()
    {
        const string Definitions = """
            SELECT string_agg(pg_get_functiondef(p.oid), E'\n' ORDER BY p.proname) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
             WHERE n.nspname = 'public' AND p.prokind = 'f' AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.objid = p.oid AND d.deptype = 'e')
            """;
        await using var connection = new NpgsqlConnection(TestServer.OwnerConnectionStringFor(DatabaseName));
        var before = await connection.ExecuteScalarAsync<string>(Definitions);

        var applied = new DatabaseMigrator(new NpgsqlConnectionStringBuilder(TestServer.OwnerConnectionStringFor(DatabaseName)) { Pooling = false }.ConnectionString).Migrate();

        applied.Should().BeEmpty();
        (await connection.ExecuteScalarAsync<string>(Definitions)).Should().Be(before);
    }

    [GeneratedRegex(@"CREATE (?<kind>OR REPLACE FUNCTION|TRIGGER|CONSTRAINT TRIGGER) (?:public\.)?(?<name>\w+)", RegexOptions.CultureInvariant)]
    private static partial Regex Definition();
}
