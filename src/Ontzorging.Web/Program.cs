using Ontzorging.Web.Hosting;

try
{
    await WebApp.Build(args).RunAsync();
}
catch (SiteConfigurationException ex)
{
    // What to configure, without a stack trace: the site did not start.
    await Console.Error.WriteLineAsync(ex.Message);
    return 2;
}

return 0;
