using System.Diagnostics;
using System.Globalization;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// Says how long the server took for each answer (<c>Server-Timing: app;dur=…</c> in
/// milliseconds), so a load generator measures the server and not the network (<c>bench web</c>).
/// </summary>
public sealed class ServerTiming(RequestDelegate next)
{
    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            context.Response.Headers["Server-Timing"] = string.Create(CultureInfo.InvariantCulture, $"app;dur={elapsed:0.00}");
            return Task.CompletedTask;
        });
        return next(context);
    }
}
