using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Infrastructure.Households;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.Infrastructure.Ledger;
using Ontzorging.Infrastructure.Monitoring;
using Ontzorging.Infrastructure.Readiness;
using Ontzorging.Infrastructure.Sepa;
using Ontzorging.Infrastructure.Simulation;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure;

public static class ServiceCollectionExtensions
{
    /// <summary>
    /// Everything the worker, the CLI and the tests share: options, the clock (the system clock
    /// unless a fake one is given), the matching <see cref="TimeProvider"/>, the data source and the
    /// services built on them.
    /// </summary>
    public static IServiceCollection AddOntzorging(this IServiceCollection services, IConfiguration configuration, IClock? clock = null)
    {
        // Text is stored in NFC (docs/rules.md §10): a host started without ICU's Unicode data stops
        // here, instead of storing a decomposed "René" that search and duplicates then miss.
        TextRules.RequireUnicodeData();
        services.AddOptions<OntzorgingOptions>()
            .Bind(configuration.GetSection(OntzorgingOptions.SectionName))
            .Validate(o => !string.IsNullOrWhiteSpace(o.Database.ConnectionString), "Ontzorging:Database:ConnectionString is empty")
            .ValidateOnStart();

        services.AddSingleton(clock ?? SystemClock.Instance);
        services.AddSingleton<TimeProvider>(sp => new ClockTimeProvider(sp.GetRequiredService<IClock>()));
        services.AddSingleton(sp => DataSourceFactory.Create(ConnectionString(sp)));
        services.AddSingleton(sp => new DatabaseMigrator(OwnerConnectionString(sp), sp.GetService<ILogger<DatabaseMigrator>>(),
            DatabaseMigrator.ApplicationRoleOf(ConnectionString(sp), OwnerConnectionString(sp))));
        services.AddSingleton(configuration.GetSection(Policy.SectionName).Get<Policy>() ?? Policy.Default);
        services.AddSingleton<IntakeImporter>();
        services.AddSingleton<DailyBookkeeping>();
        services.AddSingleton<BatchPreparer>();
        services.AddSingleton<ReadinessService>();
        services.AddSingleton<SimulationRunner>();
        services.AddSingleton<HouseholdQueries>();
        services.AddSingleton<HouseholdWorklist>();
        services.AddSingleton<Forecasts.HouseholdForecasts>();
        services.AddSingleton<Forecasts.ForecastSignals>();
        services.AddSingleton<Signals.MoneySignals>();
        services.AddSingleton(Statements.MunicipalityContacts.From(configuration));
        services.AddSingleton<Statements.MonthlyStatements>();
        services.AddSingleton<Statements.StatementRenderer>();
        services.AddSingleton<BatchLifecycle>();
        services.AddSingleton<BatchQueries>();
        services.AddSingleton<BatchReview>();
        services.AddSingleton<ReadinessReport>();
        services.AddSingleton<Watches>();
        services.AddSingleton<JobRuns>();
        services.AddSingleton<BatchBenchmark>();
        services.AddSingleton<ImportBenchmark>();
        services.AddSingleton<BankStatementImporter>();
        services.AddSingleton<PaymentStatusImporter>();
        services.AddSingleton<Households.RefusedAccounts>();
        services.AddSingleton<LedgerAudit>();
        services.AddSingleton<OpeningExport>();
        services.AddSingleton<BankReconciliation>();
        services.AddSingleton<StatementQueries>();
        services.AddSingleton<IncomingMatcher>();
        services.AddOptions<ManagedAccountOptions>().Bind(configuration.GetSection(ManagedAccountOptions.SectionName))
            .Validate(o => Domain.Iban.Parse(o.Iban).Success, "Ontzorging:ManagedAccount:Iban is not a valid IBAN")
            .Validate(o => Domain.Iban.Parse(o.MunicipalityIban).Success, "Ontzorging:ManagedAccount:MunicipalityIban is not a valid IBAN");
        services.AddSingleton<DecisionRecorder>();
        services.AddSingleton<Complaints.ComplaintDesk>();
        services.AddSingleton<Complaints.ComplaintQueries>();
        services.AddSingleton<Complaints.ComplaintLetterDesk>();
        services.AddSingleton<Audit.AuditLog>();
        services.AddSingleton<Audit.AuditSearch>();
        services.AddSingleton<Operations>();
        services.AddSingleton<JobRequests>();
        services.AddSingleton<Audit.WriteDoor>();
        services.AddSingleton<Audit.PersonalDataViews>();
        services.AddSingleton<People.PersonLinks>();
        services.AddSingleton<Sessions.SessionRows>();
        services.AddSingleton<Sessions.KeyRingRows>();
        return services;
    }

    public static string ConnectionString(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<OntzorgingOptions>>().Value.Database.ConnectionString;

    /// <summary>The schema owner's connection (migrations, scratch databases); the application's when none is configured.</summary>
    public static string OwnerConnectionString(this IServiceProvider services) =>
        services.GetRequiredService<IOptions<OntzorgingOptions>>().Value.Database.Owner;

    public static NpgsqlDataSource DataSource(this IServiceProvider services) =>
        services.GetRequiredService<NpgsqlDataSource>();
}
