using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace Ontzorging.Web.Hosting;

/// <summary>
/// A request a page has no handler for (a POST to a page that only shows, a PUT, DELETE or PATCH
/// anywhere) answers 405 Method Not Allowed instead of running the page without its data (a 500).
/// </summary>
public sealed class NoHandlerFilter : IAsyncPageFilter
{
    public Task OnPageHandlerSelectionAsync(PageHandlerSelectedContext context) => Task.CompletedTask;

    public async Task OnPageHandlerExecutionAsync(PageHandlerExecutingContext context, PageHandlerExecutionDelegate next)
    {
        // The error page shown for another page's 404 or 500 runs with that request's method: not ours to refuse.
        var reExecuted = context.HttpContext.Features.Get<IStatusCodeReExecuteFeature>() is not null || context.HttpContext.Features.Get<IExceptionHandlerFeature>() is not null;
        if (context.HandlerMethod is null && !reExecuted && !HttpMethods.IsGet(context.HttpContext.Request.Method) && !HttpMethods.IsHead(context.HttpContext.Request.Method))
        {
            context.Result = new StatusCodeResult(StatusCodes.Status405MethodNotAllowed);
            return;
        }

        await next();
    }
}
