using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
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

            quartz.AddJob<HeartbeatJob>(job => job.WithIdentity(HeartbeatJob.Key).StoreDurably().RequestRecovery()
                .WithDescription("Records that the scheduler is alive"));
            quartz.AddTrigger(trigger => trigger.ForJob(HeartbeatJob.Key).WithIdentity("heartbeat-cron", "ontzorging")
                .WithCronSchedule(scheduling.HeartbeatCron, cron => cron.InTimeZone(zone)));
        });
        services.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);

        services.AddHealthChecks()
            .AddCheck<DatabaseHealthCheck>("database")
            .AddQuartz();
        services.AddSingleton<IHealthCheckPublisher, LoggingHealthCheckPublisher>();
        return services;
    }
}
