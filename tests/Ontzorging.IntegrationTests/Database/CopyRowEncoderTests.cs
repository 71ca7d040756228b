using Dapper;
using Microsoft.Extensions.DependencyInjection;
using NodaTime;
using Ontzorging.Infrastructure.Database;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Database;

public sealed class CopyRowEncoderTests
{
    private sealed record Row(int Number, long? Big, Guid Key, LocalDate? Day, long Cents, string? Text, bool Flag);

    [Test]
    public async Task Rows_encoded_by_hand_arrive_in_postgres_with_every_value_as_it_was()
    {
        long[] cents = [0, 1, -1, 7, 50, -50, 99, 100, -100, 1_00_00, 9999_99, 10000_00, -10000_01, 1234567_89, -99_999_999_999_99, 100000000_00, 12_0000_0000_05];
        var rows = cents.Select((c, i) => new Row(
            i - 3,
            i % 3 == 0 ? null : long.MaxValue - i,
            Guid.NewGuid(),
            i % 4 == 0 ? null : new LocalDate(1999 + i, 1 + (i % 12), 1 + (i * 3 % 28)),
            c,
            i % 5 == 0 ? null : i % 2 == 0 ? "" : $"Crèche ’t Kindje € {i} — \"quoted\"\nnext line",
            i % 2 == 1)).ToList();
        await using var db = ScratchDatabase.Create();
        await using var connection = await db.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TEMP TABLE copied (number int, big bigint, key uuid, day date, amount numeric(16,2), text text, flag bool)");

        await BinaryCopy.WriteEncoded(connection, "COPY copied (number, big, key, day, amount, text, flag) FROM STDIN (FORMAT BINARY)", rows, (row, r) =>
        {
            row.StartRow(7);
            row.Int4(r.Number);
            row.Bigint(r.Big);
            row.Uuid(r.Key);
            row.Date(r.Day);
            row.Cents(r.Cents);
            row.Text(r.Text);
            row.Bool(r.Flag);
        }, null, CancellationToken.None);

        var read = (await connection.QueryAsync<(int Number, long? Big, Guid Key, DateOnly? Day, decimal Amount, string? Text, bool Flag)>(
            "SELECT number, big, key, day, amount, text, flag FROM copied ORDER BY number")).ToList();
        read.Select(r => r.Number).Should().Equal(rows.Select(r => r.Number));
        read.Select(r => r.Big).Should().Equal(rows.Select(r => r.Big));
        read.Select(r => r.Key).Should().Equal(rows.Select(r => r.Key));
        read.Select(r => r.Day).Should().Equal(rows.Select(r => r.Day?.ToDateOnly()));
        read.Select(r => r.Amount).Should().Equal(cents.Select(c => c / 100m));
        read.Select(r => r.Text).Should().Equal(rows.Select(r => r.Text));
        read.Select(r => r.Flag).Should().Equal(rows.Select(r => r.Flag));
        (await connection.ExecuteScalarAsync<string>("SELECT string_agg(amount::text, ' ' ORDER BY number) FROM copied"))
            .Should().Be(string.Join(' ', cents.Select(c => (c / 100m).ToString("0.00", System.Globalization.CultureInfo.InvariantCulture))), "every amount keeps its two decimals");
    }

    [Test]
    public async Task Many_blocks_of_rows_arrive_once_each_and_in_order()
    {
        var rows = Enumerable.Range(1, 50_000).ToList();
        await using var db = ScratchDatabase.Create();
        await using var connection = await db.Services.GetRequiredService<Npgsql.NpgsqlDataSource>().OpenConnectionAsync();
        await connection.ExecuteAsync("CREATE TEMP TABLE copied (position serial, number int)");

        await BinaryCopy.WriteEncoded(connection, "COPY copied (number) FROM STDIN (FORMAT BINARY)", rows, (row, n) =>
        {
            row.StartRow(1);
            row.Int4(n);
        }, null, CancellationToken.None);

        (await connection.QueryAsync<int>("SELECT number FROM copied ORDER BY position")).Should().Equal(rows);
    }
}
