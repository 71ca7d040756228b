using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests;

/// <summary>Once per test run, for every fixture under this namespace: the server and the template.</summary>
[SetUpFixture]
public sealed class TestRun
{
    [OneTimeSetUp]
    public void StartServerAndMigrateTemplate() => TestServer.Start();

    [OneTimeTearDown]
    public void DropTemplateAndStopServer() => TestServer.Stop();
}
