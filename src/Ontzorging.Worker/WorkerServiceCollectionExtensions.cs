using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Ontzorging.Domain;
using Ontzorging.Infrastructure;
using Ontzorging.Infrastructure.Database;
using Ontzorging.Worker.Health;
using Ontzorging.Worker.Jobs;
using Quartz;

namespace Ontzorging.Worker;

public static class WorkerServiceCollectionExtensions
{
    /// <summary>
    /// The clustered Quartz scheduler on the PostgreSQL job store (tables created by
    /// <c>ontzorging db migrate</c>; the scheduler only validates them), its jobs and the health checks.
    /// Call after <see cref="ServiceCollectionExtensions.AddOntzorging"/>.
    /// </summary>
    public static IServiceCollection AddOntzorgingWorker(this IServiceCollection services, IConfiguration configuration, TimeProvider? timeProvider = null)
    {
        var scheduling = configuration.GetSection(SchedulingOptions.SectionName).Get<SchedulingOptions>() ?? new SchedulingOptions();
        var connectionString = configuration.GetSection(OntzorgingOptions.SectionName).Get<OntzorgingOptions>()?.Database.ConnectionString
            ?? OntzorgingOptions.LocalConnectionString;
        var zone = TimeZoneInfo.FindSystemTimeZoneById(scheduling.TimeZone);
        var policy = configuration.GetSection(Policy.SectionName).Get<Policy>() ?? Policy.Default;

        services.AddSingleton(scheduling);
        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(options =>
            {
                options.InstanceName = "Ontzorging";
                options.GenerateInstanceId = true;
                options.DefaultTimeZone = zone;
            });
            if (timeProvider is not null)
            {
                quartz.UseTimeProvider(timeProvider);
            }

            quartz.UseDefaultThreadPool(scheduling.ThreadCount);
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(connectionString);
                store.UseSystemTextJsonSerializer();
                store.ConfigureStore(options => options.StoreJobDataAsStrings = true);
                store.UseClustering(cluster =>
                {
                    cluster.CheckinInterval = scheduling.ClusterCheckinInterval;
                    cluster.CheckinMisfireThreshold = scheduling.ClusterCheckinMisfireThreshold;
                });
            });
            quartz.AddJobListener(sp => ActivatorUtilities.CreateInstance<JobRunRecorder>(sp));

            Schedule<HeartbeatJob>(quartz, HeartbeatJob.Key, scheduling.HeartbeatCron, zone, "Records that the scheduler is alive");
            Schedule<DailyBookkeepingJob>(quartz, DailyBookkeepingJob.Key, scheduling.BookkeepingCron, zone, "Books receipts and write-offs dated up to today");
            Schedule<PrepareMonthlyBatchJob>(quartz, PrepareMonthlyBatchJob.Key, scheduling.PrepareBatchCron ?? $"0 0 6 {policy.PreparationDay} * ?", zone,
                "Prepares next month's payment batch");
            Schedule<ToeslagWatchJob>(quartz, ToeslagWatchJob.Key, scheduling.ToeslagWatchCron, zone, "Flags overdue toeslagen");
            Schedule<SignalWatchJob>(quartz, SignalWatchJob.Key, scheduling.SignalWatchCron, zone, "Signals payments missing, off, doubled, short or returned");
            Schedule<ForecastWatchJob>(quartz, ForecastWatchJob.Key, scheduling.ForecastWatchCron, zone, "Signals households whose forecast shows a month at risk soon");
            Schedule<StatementRenderJob>(quartz, StatementRenderJob.Key, scheduling.StatementRenderCron, zone, "Prints the monthly statements of each exported batch");
            Schedule<PeriodEndNoticesJob>(quartz, PeriodEndNoticesJob.Key, scheduling.PeriodEndNoticesCron, zone, "Notices periods ending soon");
            Schedule<JobRequestsJob>(quartz, JobRequestsJob.Key, scheduling.JobRequestsCron, zone, "Starts the jobs an administrator asked to run now");
            Schedule<MonthEndReadinessJob>(quartz, MonthEndReadinessJob.Key, scheduling.MonthEndReadinessCron, zone, "Evaluates readiness and writes the month's report");
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddQuartz();
        services.AddSingleton<IHealthCheckPublisher, LoggingHealthCheckPublisher>();
        return services;
    }

    /// <summary>A durable, recoverable job with one cron trigger in the municipality's time zone (static keys, no data in the map).</summary>
    private static void Schedule<TJob>(IQuartzBuilder quartz, JobKey key, string cron, TimeZoneInfo zone, string description)
        where TJob : class, IJob
    {
        quartz.AddJob<TJob>(job => job.WithIdentity(key).StoreDurably().RequestRecovery().WithDescription(description));
        quartz.AddTrigger(trigger => trigger.ForJob(key).WithIdentity($"{key.Name}-cron", key.Group).WithCronSchedule(cron, schedule => schedule.InTimeZone(zone)));
    }
}
