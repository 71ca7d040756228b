using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Domain;
using Ontzorging.Domain.Forecasts;
using Ontzorging.Infrastructure.Csv;
using Ontzorging.Infrastructure.Households;

namespace Ontzorging.Infrastructure.Forecasts;

/// <summary>A household's forecast, with who the household is (for the views that show it).</summary>
public sealed record ForecastView(HouseholdData Household, ForecastStart Start, HouseholdForecast Forecast);

/// <summary>
/// Reads a household's state as of a day and projects it (docs/rules.md §16). Reads only: nothing
/// a forecast computes is written, so it needs no door.
/// </summary>
public sealed class HouseholdForecasts(NpgsqlDataSource dataSource, Policy policy)
{
    /// <summary>The columns of monthly.csv (rules §12), which a forecast's CSV has too.</summary>
    public static readonly string[] MonthlyColumns =
        ["household_ref", "month", "bijstand", "receipts", "credit_drawn", "installments_paid", "arrears_open", "leefgeld", "credit_repaid", "credit_outstanding"];

    public Policy Policy => policy;

    /// <summary>The forecast of the household <paramref name="reference"/>, or null when there is none by that reference (or in <paramref name="scope"/>).</summary>
    public async Task<ForecastView?> For(string reference, LocalDate asOf, ForecastScenario scenario, MunicipalityScope? scope = null, CancellationToken ct = default)
    {
        if (await Start(reference, asOf, scope, ct) is not { } found)
        {
            return null;
        }

        return new ForecastView(found.Household, found.Start, Forecaster.Project(found.Start, scenario, policy));
    }

    /// <summary>Where the household stands as of <paramref name="asOf"/>: what every scenario, and every what-if, starts from.</summary>
    public async Task<(HouseholdData Household, ForecastStart Start)?> Start(string reference, LocalDate asOf, MunicipalityScope? scope = null, CancellationToken ct = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM households WHERE reference = @Reference AND (@All OR municipality = ANY(@Codes))",
            new { Reference = reference, All = scope?.Codes is null, Codes = scope?.Codes?.ToArray() ?? [] }, cancellationToken: ct));
        if (id is not { } household)
        {
            return null;
        }

        var starts = await ForecastStarts.Load(connection, null, HouseholdRange.Only(household), asOf, policy, ct);
        return starts.Count == 0 ? null : starts[0];
    }

    /// <summary>A month of the forecast as a row of monthly.csv.</summary>
    public static string[] MonthlyRow(string household, ForecastMonth month)
    {
        var w = month.Result.Waterfall;
        return
        [
            household, Formats.Text(month.Month), month.Result.Bijstand.ToString(), month.Receipts.ToString(), w.Drawn.ToString(), w.InstallmentsPaid.ToString(),
            w.ArrearsOpen.ToString(), month.Result.LeefgeldPaid.ToString(), w.Repaid.ToString(), w.CreditOutstandingAfter.ToString(),
        ];
    }
}
