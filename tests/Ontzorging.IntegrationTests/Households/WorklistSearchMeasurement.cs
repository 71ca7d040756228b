using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using NodaTime.Testing;
using Ontzorging.Infrastructure.Benchmarks;
using Ontzorging.Infrastructure.Households;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Households;

/// <summary>
/// How long the caseworker's worklist takes to search (docs/benchmarks.md): the households of
/// <c>bench batch</c> with one or two persons each, named from many scripts, accented and not; the
/// list computed once, then each term searched 200 times through <see cref="HouseholdWorklist.Page"/>.
/// A measurement, run by name only:
/// <c>ONTZORGING_SEARCH_HOUSEHOLDS=100000 dotnet test tests/Ontzorging.IntegrationTests -c Release --no-build --filter "FullyQualifiedName~WorklistSearchMeasurement" --logger "console;verbosity=detailed"</c>.
/// </summary>
[Explicit("a measurement, not a test: docs/benchmarks.md")]
public sealed class WorklistSearchMeasurement
{
    private const string SeedPersons = """
        INSERT INTO persons (household_id, bsn, name, date_of_birth, role)
        SELECT h.id, lpad((h.id * 2 + n)::text, 9, '0'), (@Names::text[])[1 + (h.id * 7 + n * 3) % cardinality(@Names::text[])] || ' ' || (h.id % 997), date '1980-01-01', 'adult'
          FROM households h CROSS JOIN generate_series(0, 1) AS n
         WHERE n < h.adults
        """;

    private static readonly string[] Names =
    [
        "René Dupont", "Saba Alkhatib", "Nahom Tesfay", "José Müller", "Łukasz Nowak", "Omar Ibrahim", "Selam Osman", "Zoë van der Berg",
        "محمد العلي", "ሰላም ተስፋይ", "زهرا احمدی", "Олена Шевченко", "Björn Ødegård", "François Lefèvre", "Ayşe Yılmaz", "Amanuel Haile",
    ];

    [Test]
    public async Task Worklist_search()
    {
        var households = int.Parse(Environment.GetEnvironmentVariable("ONTZORGING_SEARCH_HOUSEHOLDS") ?? "100000", CultureInfo.InvariantCulture);
        var today = new LocalDate(2026, 6, 1);
        await using var db = ScratchDatabase.Create(new FakeClock(Instant.FromUtc(2026, 6, 1, 9, 0)));
        await db.Services.GetRequiredService<BatchBenchmark>().Seed(households);
        await using (var connection = new Npgsql.NpgsqlConnection(db.ConnectionString))
        {
            await Dapper.SqlMapper.ExecuteAsync(connection, new Dapper.CommandDefinition(SeedPersons, new { Names }, commandTimeout: 600));
        }

        var worklist = db.Services.GetRequiredService<HouseholdWorklist>();
        var started = Stopwatch.GetTimestamp();
        var all = await worklist.Page(MunicipalityScope.All, today, new WorklistQuery());
        TestContext.Out.WriteLine($"{all.Total:N0} households; the list computed in {Stopwatch.GetElapsedTime(started).TotalMilliseconds:0} ms");

        foreach (var term in new[] { "Alkhatib", "rene", "René", "B0012", "محمد", "nobody" })
        {
            var times = new List<double>();
            var found = 0;
            for (var i = 0; i < 200; i++)
            {
                var start = Stopwatch.GetTimestamp();
                found = (await worklist.Page(MunicipalityScope.All, today, new WorklistQuery(Search: term))).Total;
                times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }

            times.Sort();
            TestContext.Out.WriteLine($"search '{term}': {found:N0} found; p50 {times[99]:0.0} ms, p99 {times[197]:0.0} ms");
        }
    }
}
