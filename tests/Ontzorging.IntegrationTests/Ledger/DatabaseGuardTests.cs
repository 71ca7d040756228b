using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Ontzorging.Infrastructure.Intake;
using Ontzorging.IntegrationTests.Intake;
using Ontzorging.Infrastructure.Batches;
using Ontzorging.IntegrationTests.Support;

namespace Ontzorging.IntegrationTests.Ledger;

/// <summary>
/// What the database itself refuses, whatever code tries (issue 3 §2), tried as the schema's owner:
/// past every privilege, so only the constraints and triggers stand. The application role is refused
/// sooner, by its privileges (<c>Database/DatabaseSecurityTests</c>).
/// </summary>
public sealed class DatabaseGuardTests
{
    private ScratchDatabase db = null!;
    private NpgsqlConnection connection = null!;

    [SetUp]
    public async Task ImportSamples()
    {
        db = ScratchDatabase.Create();
        await db.Services.GetRequiredService<IntakeImporter>().Import(SampleCopy.Samples, "tester");
        connection = new NpgsqlConnection(db.OwnerConnectionString);
        await connection.OpenAsync();
    }

    [TearDown]
    public async Task Drop()
    {
        await connection.DisposeAsync();
        await db.DisposeAsync();
    }

    [Test]
    public async Task A_batch_s_preparer_month_and_preparation_are_set_once_even_for_the_schema_owner()
    {
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");

        foreach (var change in new[] { "prepared_by = 'os:somebody-else'", "month = '2026-05-01'", "prepared_at = now() - interval '1 day'", "preparation_day = '2026-03-01'" })
        {
            var update = () => connection.ExecuteAsync($"UPDATE batches SET {change} WHERE id = {batch.Id}");
            (await update.Should().ThrowAsync<PostgresException>(change)).Which.MessageText.Should().Contain("set once and never changed");
        }

        (await db.Scalar<string>($"SELECT prepared_by FROM batches WHERE id = {batch.Id}")).Should().Be("os:anna");
    }

    [Test]
    public async Task What_an_approved_batch_pays_and_to_whom_cannot_be_changed_even_by_the_schema_owner()
    {
        var batch = await db.Services.GetRequiredService<BatchPreparer>().Prepare(new NodaTime.YearMonth(2026, 4), new NodaTime.LocalDate(2026, 3, 24), "anna");
        await db.Services.GetRequiredService<BatchLifecycle>().Approve(batch.Id, "bob");

        foreach (var change in new[] { "payee_iban = 'NL91ABNA0417164300', payee_name = 'Mallory'", "amount = amount + 1", "execution_date = execution_date + 1", "end_to_end_id = 'OZ-X'" })
        {
            var update = () => connection.ExecuteAsync($"UPDATE payments SET {change} WHERE batch_id = {batch.Id}");
            (await update.Should().ThrowAsync<PostgresException>(change)).Which.MessageText.Should().Contain("never changed");
        }

        (await db.Scalar<long>($"SELECT count(*) FROM payments WHERE batch_id = {batch.Id} AND payee_name = 'Mallory'")).Should().Be(0);
    }

    [Test]
    public async Task An_audit_record_is_dated_by_the_database_whatever_time_the_client_sends()
    {
        await connection.ExecuteAsync("""
            INSERT INTO audit_log (at, actor_subject, actor_name, channel, action, target, outcome)
            VALUES ('2020-01-01T00:00:00Z', 'oidc:bob', 'Bob Visser', 'web', 'batch.approve', 'batch 1', 'done')
            """);

        (await db.Scalar<bool>("SELECT at > now() - interval '1 minute' FROM audit_log WHERE actor_subject = 'oidc:bob'")).Should().BeTrue();
    }

    [Test]
    public async Task An_unbalanced_journal_entry_is_refused_at_commit()
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var id = await Entry(transaction);
        await connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, debit) VALUES (@Id, 'bank', 10)", new { Id = id }, transaction);
        await connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, credit) VALUES (@Id, 'household:HH-0001', 9.99)", new { Id = id }, transaction);

        var commit = () => transaction.CommitAsync();

        (await commit.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("does not balance");
    }

    [Test]
    public async Task A_negative_household_balance_is_refused()
    {
        var act = () => Transfer("household:HH-0001", "bank", 0.01m);

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_ledger_accounts_household_not_negative");
    }

    [Test]
    public async Task A_negative_credit_balance_is_refused()
    {
        var act = () => Transfer("household:HH-0001", "credit:HH-0001", 0.01m, fundFirst: true);

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_ledger_accounts_credit_not_negative");
    }

    [Test]
    public async Task Credit_above_the_cap_is_refused()
    {
        await Transfer("credit:HH-0001", "household:HH-0001", 1000.00m);

        var act = () => Transfer("credit:HH-0001", "household:HH-0001", 0.01m);

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_ledger_accounts_credit_cap");
    }

    [Test]
    public async Task Journal_lines_cannot_be_changed_or_deleted()
    {
        await Transfer("bank", "household:HH-0001", 5m);

        var act = () => connection.ExecuteAsync("UPDATE journal_lines SET debit = debit + 1 WHERE debit > 0");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("append-only");
    }

    [Test]
    public async Task An_entry_without_lines_is_refused_at_commit()
    {
        await using var transaction = await connection.BeginTransactionAsync();
        await Entry(transaction);

        var commit = () => transaction.CommitAsync();

        (await commit.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("does not balance");
    }

    [Test]
    public async Task Lines_cannot_be_added_to_an_entry_recorded_earlier()
    {
        await Transfer("bank", "household:HH-0001", 5m);
        var id = await connection.ExecuteScalarAsync<long>("SELECT max(id) FROM journal_entries");

        var act = () => connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, debit, credit) VALUES (@Id, 'bank', 1, 0), (@Id, 'in_transit', 0, 1)", new { Id = id });

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("recorded earlier");
    }

    [Test]
    public async Task A_line_of_an_entry_that_does_not_exist_is_refused()
    {
        var act = () => connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, debit, credit) VALUES (-1, 'bank', 1, 0), (-1, 'in_transit', 0, 1)");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("entry -1, which does not exist");
    }

    [Test]
    public async Task Journal_entries_cannot_be_deleted()
    {
        await Transfer("bank", "household:HH-0001", 5m);

        var act = () => connection.ExecuteAsync("DELETE FROM journal_entries WHERE id = (SELECT max(id) FROM journal_entries)");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("cannot be deleted");
    }

    [Test]
    public async Task Only_the_unbalanced_entry_of_a_bulk_statement_is_named_at_commit()
    {
        await using var transaction = await connection.BeginTransactionAsync();
        var ids = (await connection.QueryAsync<long>("""
            INSERT INTO journal_entries (entry_date, kind, description, recorded_by, recorded_at)
            SELECT '2026-04-01', 'test', 'bulk ' || i, 'tester', now() FROM generate_series(1, 3) i RETURNING id
            """, transaction: transaction)).Order().ToList();
        await connection.ExecuteAsync("""
            INSERT INTO journal_lines (entry_id, account, debit, credit)
            SELECT id, 'bank', 5, 0 FROM unnest(@Ids) id
            UNION ALL SELECT id, 'household:HH-0001', 0, CASE WHEN id = @Odd THEN 4 ELSE 5 END FROM unnest(@Ids) id
            """, new { Ids = ids.ToArray(), Odd = ids[1] }, transaction);

        var commit = () => transaction.CommitAsync();

        (await commit.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be($"journal entry {ids[1]} does not balance (debits - credits = 1.00, 2 lines)");
    }

    [Test]
    public async Task A_line_on_an_unknown_account_is_refused()
    {
        var act = () => Transfer("petty_cash", "bank", 1m);

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("unknown account petty_cash");
    }

    [Test]
    public async Task A_duplicate_natural_key_is_refused()
    {
        var act = () => connection.ExecuteAsync("INSERT INTO persons (household_id, bsn, name, date_of_birth, role) SELECT household_id, bsn, 'Twin', date_of_birth, role FROM persons LIMIT 1");

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("uq_persons_bsn");
    }

    [Test]
    public async Task Overlapping_contract_versions_are_refused_by_the_database()
    {
        var act = () => connection.ExecuteAsync("""
            INSERT INTO contract_versions (contract_id, creditor_name, amount, due_day, valid_from)
            SELECT contract_id, creditor_name, amount + 10, due_day, valid_from + 1 FROM contract_versions WHERE valid_to IS NULL LIMIT 1
            """);

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ex_contract_versions_overlap");
    }

    [Test]
    public async Task A_batch_cannot_be_approved_by_its_preparer()
    {
        var act = () => connection.ExecuteAsync("""
            INSERT INTO batches (month, status, preparation_day, prepared_by, prepared_at, approved_by, approved_at)
            VALUES ('2030-01-01', 'approved', '2029-12-24', 'anna', now(), 'anna', now())
            """);

        (await act.Should().ThrowAsync<PostgresException>()).Which.ConstraintName.Should().Be("ck_batches_four_eyes");
    }

    [Test]
    public async Task A_payment_for_a_household_outside_its_batch_is_refused()
    {
        var act = () => connection.ExecuteAsync("""
            WITH b AS (INSERT INTO batches (month, preparation_day, prepared_by, prepared_at) VALUES ('2030-01-01', '2029-12-24', 'anna', now()) RETURNING id)
            INSERT INTO payments (batch_id, household_id, end_to_end_id, obligation, attempt, kind, payee_name, payee_iban, amount, execution_date)
            SELECT b.id, h.id, 'HH-0001/LG3001/300101/1', 'LG3001', 1, 'leefgeld', 'Stray', 'NL91ABNA0417164300', 10, '2030-01-01'
              FROM b, households h WHERE h.reference = 'HH-0001'
            """);

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("is not in batch");
    }

    [Test]
    public async Task A_journal_entry_for_a_household_that_does_not_exist_is_refused()
    {
        var act = () => connection.ExecuteAsync(
            "INSERT INTO journal_entries (entry_date, kind, description, household_id, recorded_by, recorded_at) VALUES ('2026-04-01', 'test', 'stray', -7, 'tester', now())");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Contain("names household -7, which does not exist");
    }

    [Test]
    public async Task Households_and_batches_are_kept_for_the_record()
    {
        var act = () => connection.ExecuteAsync("DELETE FROM households WHERE reference = 'HH-0001'");

        (await act.Should().ThrowAsync<PostgresException>()).Which.MessageText.Should().Be("households rows are kept for the record: they cannot be deleted or renumbered");
    }

    private async Task<long> Entry(NpgsqlTransaction? transaction) =>
        await connection.ExecuteScalarAsync<long>(
            "INSERT INTO journal_entries (entry_date, kind, description, recorded_by, recorded_at) VALUES ('2026-04-01', 'test', 'guard test', 'tester', now()) RETURNING id",
            transaction: transaction);

    private async Task Transfer(string debit, string credit, decimal amount, bool fundFirst = false)
    {
        await using var transaction = await connection.BeginTransactionAsync();
        if (fundFirst)
        {
            var funding = await Entry(transaction);
            await connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, debit, credit) VALUES (@Id, 'bank', @A, 0), (@Id, @Credit, 0, @A)",
                new { Id = funding, A = amount, Credit = debit }, transaction);
        }

        var id = await Entry(transaction);
        await connection.ExecuteAsync("INSERT INTO journal_lines (entry_id, account, debit, credit) VALUES (@Id, @Debit, @A, 0), (@Id, @Credit, 0, @A)",
            new { Id = id, Debit = debit, Credit = credit, A = amount }, transaction);
        await transaction.CommitAsync();
    }
}
