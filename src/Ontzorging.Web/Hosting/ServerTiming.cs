using System.Diagnostics;
using System.Globalization;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// Says how long the server took for each answer (<c>Server-Timing: app;dur=…</c> in
/// milliseconds), so a load generator measures the server and not the network (<c>bench web</c>).
/// </summary>
public sealed class ServerTiming(RequestDelegate next)
{
    private const string Key = "ozg.server-timing";

    /// <summary>Adds a named part (<c>data;dur=…</c>) to the answer's Server-Timing header.</summary>
    public static void Add(HttpContext context, string name, TimeSpan elapsed)
    {
        if (context.Items[Key] is not List<string> parts)
        {
            context.Items[Key] = parts = [];
        }

        parts.Add(string.Create(CultureInfo.InvariantCulture, $"{name};dur={elapsed.TotalMilliseconds:0.00}"));
    }

    public Task InvokeAsync(HttpContext context)
    {
        var started = Stopwatch.GetTimestamp();
        context.Response.OnStarting(() =>
        {
            var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            var parts = context.Items[Key] as List<string>;
            context.Response.Headers["Server-Timing"] = string.Join(", ", (parts ?? []).Prepend(string.Create(CultureInfo.InvariantCulture, $"app;dur={elapsed:0.00}")));
            return Task.CompletedTask;
        });
        return next(context);
    }
}
