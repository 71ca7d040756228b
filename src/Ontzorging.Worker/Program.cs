using Ontzorging.Infrastructure;
using Ontzorging.Worker;

var builder = Host.CreateApplicationBuilder(args);
builder.Services.Configure<HostOptions>(options => options.ShutdownTimeout = TimeSpan.FromSeconds(30));
builder.Services.AddOntzorging(builder.Configuration);
builder.Services.AddOntzorgingWorker(builder.Configuration);
await builder.Build().RunAsync();
