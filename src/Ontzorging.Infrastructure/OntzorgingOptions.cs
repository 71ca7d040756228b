namespace Ontzorging.Infrastructure;

/// <summary>
/// Settings bound from the <c>Ontzorging</c> configuration section (appsettings.json, then
/// environment variables such as <c>Ontzorging__Database__ConnectionString</c>).
/// </summary>
public sealed class OntzorgingOptions
{
    public const string SectionName = "Ontzorging";

    /// <summary>The connection that <c>scripts/pg.sh start</c> provides.</summary>
    public const string LocalConnectionString =
        "Host=127.0.0.1;Port=54329;Username=ontzorging_app;Database=ontzorging";

    public DatabaseOptions Database { get; set; } = new();
}

public sealed class DatabaseOptions
{
    /// <summary>The application's connection: a role that reads and writes data and changes no schema.</summary>
    public string ConnectionString { get; set; } = OntzorgingOptions.LocalConnectionString;

    /// <summary>
    /// The schema owner's connection, for <c>db migrate</c> and for the scratch databases of
    /// <c>simulate</c> and <c>bench</c> (it may create databases). Empty: the application's.
    /// </summary>
    public string? OwnerConnectionString { get; set; }

    public string Owner => string.IsNullOrWhiteSpace(OwnerConnectionString) ? ConnectionString : OwnerConnectionString;
}
