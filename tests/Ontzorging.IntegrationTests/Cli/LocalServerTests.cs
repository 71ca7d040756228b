using Npgsql;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Cli;

/// <summary>
/// scripts/pg.sh works wherever a person clones (issue 15): in a private folder (mode 0700, as
/// /root is; as root the server runs as `postgres`, which cannot enter it), and beside another
/// checkout whose server is running, each with its own server, remembered inside the checkout.
/// </summary>
public sealed class LocalServerTests
{
    [Test]
    public async Task A_second_checkout_in_a_private_folder_gets_its_own_server_while_the_first_one_runs()
    {
        if (!string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable("ONTZORGING_TEST_CONNECTION")))
        {
            Assert.Ignore("this run uses a server of its own, not scripts/pg.sh");
        }

        var home = Directory.CreateTempSubdirectory("ontzorging-private-").FullName;
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(home, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var checkout = Path.Combine(home, "ontzorging");
        Directory.CreateDirectory(Path.Combine(checkout, "scripts"));
        File.Copy(Path.Combine(RepositoryPaths.Root, "scripts", "pg.sh"), Path.Combine(checkout, "scripts", "pg.sh"));
        try
        {
            var started = Run(checkout, "start");
            var url = Run(checkout, "url", "owner").Trim();
            var again = Run(checkout, "start");

            started.Should().EndWith("started\n");
            again.Should().EndWith("already running\n");
            var port = new NpgsqlConnectionStringBuilder(url).Port;
            port.Should().NotBe(new NpgsqlConnectionStringBuilder(TestServer.AdminConnectionString).Port, "the first checkout's server keeps its port");
            File.ReadAllText(Path.Combine(checkout, ".local", "pg.env")).Should().Contain($"PGPORT={port}");
            started.Should().Contain($"this checkout's server: 127.0.0.1:{port}", "the second checkout says which server it uses");
            await using var connection = new NpgsqlConnection(url);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT current_user", connection);
            (await command.ExecuteScalarAsync()).Should().Be("ontzorging_owner");
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            Run(checkout, "reset");
            Directory.Delete(home, recursive: true);
        }

        // The first checkout's server is still there.
        await using var first = new NpgsqlConnection(TestServer.AdminConnectionString);
        await first.OpenAsync();
    }

    private static string Run(string checkout, params string[] arguments)
    {
        var result = BashScript.Run(Path.Combine(checkout, "scripts", "pg.sh"), arguments, checkout, "ONTZORGING_PG_PORT");
        result.ExitCode.Should().Be(0, $"pg.sh {string.Join(' ', arguments)}: {result.Error}");
        return result.Out;
    }
}
