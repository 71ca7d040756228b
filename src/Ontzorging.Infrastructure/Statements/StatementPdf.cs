using Microsoft.Playwright;

namespace Ontzorging.Infrastructure.Statements;

/// <summary>HTML holding one or more statements, each starting under a heading <paramref name="Marker"/>, and the file each goes to, in order.</summary>
public sealed record PrintJob(string Html, IReadOnlyList<string> Paths, string Marker);

/// <summary>
/// Prints statements to PDF with headless Chromium (Debian's, /usr/bin/chromium, or
/// <c>ONTZORGING_CHROMIUM</c>): one browser for a whole run, a few pages at a time, each PDF written
/// whole to a temporary name and then moved into place, so a file that exists is complete.
/// </summary>
public sealed class StatementPdf : IAsyncDisposable
{
    private readonly IPlaywright playwright;
    private readonly IBrowser browser;

    private StatementPdf(IPlaywright playwright, IBrowser browser)
    {
        this.playwright = playwright;
        this.browser = browser;
    }

    public static string ChromiumPath => Environment.GetEnvironmentVariable("ONTZORGING_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    public static async Task<StatementPdf> Start()
    {
        if (!File.Exists(ChromiumPath))
        {
            throw new StatementRefusedException($"Chromium was not found at {ChromiumPath}: install it (scripts/packages.sh) or set ONTZORGING_CHROMIUM");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ChromiumPath,
                Headless = true,
                // No network: a statement is its own HTML and the system's fonts.
                Args = ["--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            return new StatementPdf(playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Prints each job, <paramref name="parallel"/> at a time, a page reused for the next job. A
    /// job of one statement is printed to its file as it is, tagged for screen readers. A job of
    /// several is one document, each statement starting on a new page under a heading
    /// <see cref="PrintJob.Marker"/>, printed once (a print costs Chromium some 100 ms whatever its
    /// length) and cut into one file per statement where the PDF's outline says each heading lies;
    /// the cut files keep the text but not the tags.
    /// </summary>
    public async Task Print(IReadOnlyList<PrintJob> jobs, int parallel, CancellationToken ct)
    {
        var queue = new System.Collections.Concurrent.ConcurrentQueue<PrintJob>(jobs);
        var workers = Enumerable.Range(0, Math.Max(1, parallel)).Select(async _ =>
        {
            var page = await browser.NewPageAsync(new BrowserNewPageOptions { JavaScriptEnabled = false });
            try
            {
                while (queue.TryDequeue(out var job))
                {
                    ct.ThrowIfCancellationRequested();
                    await page.SetContentAsync(job.Html, new PageSetContentOptions { WaitUntil = WaitUntilState.Load });
                    var pdf = await page.PdfAsync(new PagePdfOptions { PreferCSSPageSize = true, PrintBackground = true, Tagged = true, Outline = job.Paths.Count > 1 });
                    if (job.Paths.Count == 1)
                    {
                        Write(job.Paths[0], pdf);
                    }
                    else
                    {
                        Cut(pdf, job);
                    }
                }
            }
            finally
            {
                await page.CloseAsync();
            }
        });
        await Task.WhenAll(workers);
    }

    /// <summary>One file per statement: the pages from its heading up to the next statement's.</summary>
    private static void Cut(byte[] pdf, PrintJob job)
    {
        using var document = UglyToad.PdfPig.PdfDocument.Open(pdf);
        var starts = new List<int>();
        if (document.TryGetBookmarks(out var bookmarks))
        {
            void Walk(IEnumerable<UglyToad.PdfPig.Outline.BookmarkNode> nodes)
            {
                foreach (var node in nodes)
                {
                    if (node is UglyToad.PdfPig.Outline.DocumentBookmarkNode heading && string.Equals(node.Title.Trim(), job.Marker, StringComparison.Ordinal))
                    {
                        starts.Add(heading.PageNumber);
                    }

                    Walk(node.Children);
                }
            }

            Walk(bookmarks.Roots);
        }

        starts.Sort();
        if (starts.Count != job.Paths.Count || starts.Distinct().Count() != starts.Count || starts[0] != 1)
        {
            throw new InvalidOperationException($"the printed statements' outline names {starts.Count} start page(s) for {job.Paths.Count} statement(s); nothing of this print was written");
        }

        for (var i = 0; i < starts.Count; i++)
        {
            var last = i + 1 < starts.Count ? starts[i + 1] - 1 : document.NumberOfPages;
            using var builder = new UglyToad.PdfPig.Writer.PdfDocumentBuilder();
            for (var number = starts[i]; number <= last; number++)
            {
                builder.AddPage(document, number);
            }

            Write(job.Paths[i], builder.Build());
        }
    }

    /// <summary>Written whole under a temporary name and moved into place, so a file that exists is complete; the owner's only.</summary>
    private static void Write(string path, byte[] pdf)
    {
        var temporary = path + ".part";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var file = new FileStream(temporary, options))
        {
            file.Write(pdf);
        }

        File.Move(temporary, path, overwrite: true);
    }

    public async ValueTask DisposeAsync()
    {
        await browser.CloseAsync();
        playwright.Dispose();
    }
}
