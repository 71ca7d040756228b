using Ontzorging.Domain;
using System.Diagnostics;
using System.Globalization;
using Dapper;
using NodaTime;
using Npgsql;
using Ontzorging.Infrastructure.Audit;
using Ontzorging.Infrastructure.BankLedgers;
using Ontzorging.Infrastructure.Time;

namespace Ontzorging.Infrastructure.Benchmarks;

public sealed record CopyComparison(TimeSpan Elapsed, string? Unavailable);

/// <summary>
/// <c>ontzorging bench import</c>: a bank statement of N generated rows in the generic format,
/// consistent with a seeded municipality whose June batch was exported — every payment on it
/// (outgoing, matched by EndToEndId), a zorgtoeslag per household (incoming, booked as receipts),
/// and the rest other traffic that stays unmatched or becomes a suggestion. It times what
/// <c>ledger import</c> does (parse + COPY + dedupe + match, one transaction), a second import of the same
/// file (nothing added), and <c>psql \copy</c> of the same file into an unlogged table.
/// </summary>
public sealed class ImportBenchmark(NpgsqlDataSource dataSource, BatchBenchmark batch, BankStatementImporter importer)
{
    private const string Account = "NL82BNGH0285010001";
    private const string Toeslagen = "NL86INGB0002445588";

    private static readonly string[] PsqlLocations = ["/usr/lib/postgresql/15/bin/psql", "/usr/bin/psql"];

    /// <summary>Seeds households (one per 20 rows, at most 10,000), exports their June batch and writes the statement.</summary>
    public async Task<PhaseResult> Generate(int rows, string file, CancellationToken ct = default)
    {
        var households = Math.Clamp(rows / 20, 10, 10_000);
        await batch.Seed(households, ct);
        await batch.Run(Path.ChangeExtension(file, ".xml"), ct);
        var generated = await BatchBenchmark.Measure("generate", async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync(ct);
            var payments = await connection.QueryAsync<(string Key, string Iban, string Name, decimal Amount, LocalDate Date, string Kind)>(new CommandDefinition(
                "SELECT end_to_end_id, payee_iban, payee_name, amount, execution_date, kind FROM payments ORDER BY execution_date, id", cancellationToken: ct));
            var toeslagen = await connection.QueryAsync<(string Reference, int Adults)>(new CommandDefinition("SELECT reference, adults FROM households ORDER BY id", cancellationToken: ct));
            var others = Enumerable.Range(1, 997).Select(i => BatchBenchmark.DutchIban("ABNA", 700_000_000 + i)).ToArray();
            var random = new Random(20260601);
            var written = 0;
            await using var writer = new StreamWriter(file, append: false, new System.Text.UTF8Encoding(false), bufferSize: 1 << 20);
            await writer.WriteLineAsync(string.Join(',', BankStatementReader.GenericColumns));
            void Line(LocalDate date, decimal amount, string iban, string name, string description, string reference)
            {
                writer.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{Account},{date:yyyy-MM-dd},{amount:0.00},{iban},{name},{description},{reference}"));
                written++;
            }

            foreach (var p in payments.TakeWhile(_ => written < rows))
            {
                Line(p.Date, -p.Amount, p.Iban, p.Name, $"{p.Kind} {p.Name}", p.Key);
            }

            foreach (var h in toeslagen.TakeWhile(_ => written < rows))
            {
                Line(new LocalDate(2026, 6, 20), 129m * h.Adults, Toeslagen, "Belastingdienst/Toeslagen", $"Zorgtoeslag {h.Reference} 2026-06", "");
            }

            for (var i = 1; written < rows; i++)
            {
                var date = new LocalDate(2026, 6, 1 + random.Next(30));
                var cents = random.Next(100, 250_000) / 100m;
                if (i % 10 == 0)
                {
                    Line(date, cents, others[random.Next(others.Length)], "Onbekend", $"storting {i}", "");
                }
                else
                {
                    Line(date, -cents, others[random.Next(others.Length)], "Leverancier", $"factuur {i}", $"F{i:000000000}");
                }
            }

            return $"{written:N0} rows, {new FileInfo(file).Length / 1048576.0:0} MiB ({households:N0} households, their June batch exported)";
        });

        // A municipality's batch went out days before its statement comes, and autovacuum has long
        // since been over the new rows. Vacuumed here, so that autovacuum does not take a core from the import.
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("VACUUM (ANALYZE)", cancellationToken: ct, commandTimeout: 0));
        }

        return generated;
    }

    /// <summary>
    /// Writes the transactions of the generated CSV statement as camt.053.001.02, one statement per
    /// booking day (with its opening and closing balances), every entry with its transaction details
    /// as a bank gives them: the same lines, so that <c>ledger import</c> of either can be compared.
    /// </summary>
    public static Task<PhaseResult> ToCamt053(string csv, string xml) => BatchBenchmark.Measure("convert to camt.053", () =>
    {
        var lines = BankStatementReader.Read(csv, BankFormat.Generic, []).Lines;
        // Indented, as banks write their files: each statement starts a line, so a large file is read in parts (StatementParts).
        var settings = new System.Xml.XmlWriterSettings { Encoding = new System.Text.UTF8Encoding(false), Indent = true };
        const string ns = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.02";
        using var writer = System.Xml.XmlWriter.Create(xml, settings);
        void Text(string name, string value) => writer.WriteElementString(name, ns, value);
        void Amount(string name, Money amount)
        {
            writer.WriteStartElement(name, ns);
            writer.WriteAttributeString("Ccy", "EUR");
            writer.WriteString(amount.ToString());
            writer.WriteEndElement();
        }

        writer.WriteStartDocument();
        writer.WriteStartElement("Document", ns);
        writer.WriteStartElement("BkToCstmrStmt", ns);
        writer.WriteStartElement("GrpHdr", ns);
        Text("MsgId", "BENCH-STATEMENTS");
        Text("CreDtTm", "2026-07-01T06:00:00");
        writer.WriteEndElement();
        var balance = Money.FromEuros(250_000m);
        var statement = 0;
        foreach (var day in lines.GroupBy(l => l.BookingDate).OrderBy(d => d.Key))
        {
            var opening = balance;
            balance += Money.Sum(day.Select(l => l.Amount));
            writer.WriteStartElement("Stmt", ns);
            Text("Id", $"BENCH-{++statement:0000}");
            Text("CreDtTm", $"{day.Key:yyyy-MM-dd}T23:00:00");
            writer.WriteStartElement("Acct", ns);
            writer.WriteStartElement("Id", ns);
            Text("IBAN", Account);
            writer.WriteEndElement();
            Text("Ccy", "EUR");
            writer.WriteEndElement();
            foreach (var (code, amount) in new[] { ("OPBD", opening), ("CLBD", balance) })
            {
                writer.WriteStartElement("Bal", ns);
                writer.WriteStartElement("Tp", ns);
                writer.WriteStartElement("CdOrPrtry", ns);
                Text("Cd", code);
                writer.WriteEndElement();
                writer.WriteEndElement();
                Amount("Amt", amount.IsNegative ? -amount : amount);
                Text("CdtDbtInd", amount.IsNegative ? "DBIT" : "CRDT");
                writer.WriteStartElement("Dt", ns);
                Text("Dt", $"{day.Key:yyyy-MM-dd}");
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            foreach (var line in day)
            {
                var debit = line.Amount.IsNegative;
                writer.WriteStartElement("Ntry", ns);
                Amount("Amt", debit ? -line.Amount : line.Amount);
                Text("CdtDbtInd", debit ? "DBIT" : "CRDT");
                Text("Sts", "BOOK");
                writer.WriteStartElement("BookgDt", ns);
                Text("Dt", $"{line.BookingDate:yyyy-MM-dd}");
                writer.WriteEndElement();
                Text("AcctSvcrRef", $"B{line.Line:000000000}");
                writer.WriteStartElement("BkTxCd", ns);
                writer.WriteStartElement("Domn", ns);
                Text("Cd", "PMNT");
                writer.WriteStartElement("Fmly", ns);
                Text("Cd", debit ? "ICDT" : "RCDT");
                Text("SubFmlyCd", "ESCT");
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteStartElement("NtryDtls", ns);
                writer.WriteStartElement("TxDtls", ns);
                writer.WriteStartElement("Refs", ns);
                Text("EndToEndId", line.Reference ?? "NOTPROVIDED");
                writer.WriteEndElement();
                writer.WriteStartElement("RltdPties", ns);
                writer.WriteStartElement(debit ? "Cdtr" : "Dbtr", ns);
                Text("Nm", line.CounterpartyName);
                writer.WriteEndElement();
                writer.WriteStartElement(debit ? "CdtrAcct" : "DbtrAcct", ns);
                writer.WriteStartElement("Id", ns);
                Text("IBAN", line.CounterpartyIban!);
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteStartElement("RmtInf", ns);
                Text("Ustrd", line.Description);
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement();
                writer.WriteEndElement();
            }

            writer.WriteEndElement();
        }

        writer.WriteEndDocument();
        writer.Flush();
        return Task.FromResult($"{lines.Count:N0} entries in {statement} daily statements, {new FileInfo(xml).Length / 1048576.0:0} MiB");
    });

    public async Task<IReadOnlyList<PhaseResult>> Run(string file, CancellationToken ct = default)
    {
        var import = await BatchBenchmark.Measure("import", async () =>
        {
            var report = (await importer.Import(Actor.Simulated("bench-auditor"), file, null, dryRun: false, ct: ct)).OrThrow();
            var (outgoing, receipts) = (report.Outgoing!, report.Incoming!);
            return $"{report.Added:N0} added: {outgoing.ByEndToEndId + outgoing.ByAccountAmountDate:N0} payments settled, {receipts.Booked + receipts.Linked:N0} receipts booked, " +
                   $"{outgoing.Unmatched:N0} outgoing unmatched, {receipts.Suggested:N0} suggested";
        });
        var again = await BatchBenchmark.Measure("re-import", async () =>
        {
            var second = (await importer.Import(Actor.Simulated("bench-auditor"), file, null, dryRun: false, ct: ct)).OrThrow();
            return $"same file again: {second.Added:N0} added";
        });
        return [import, again];
    }

    /// <summary><c>psql \copy</c> of the same file into an unlogged table of text columns: the floor for getting these bytes into PostgreSQL.</summary>
    public async Task<CopyComparison> PsqlCopy(string file, CancellationToken ct = default)
    {
        var psql = PsqlLocations.FirstOrDefault(File.Exists);
        if (psql is null)
        {
            return new CopyComparison(TimeSpan.Zero, "psql not found");
        }

        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("""
                DROP TABLE IF EXISTS bench_psql_copy;
                CREATE UNLOGGED TABLE bench_psql_copy (account text, booking_date date, amount numeric(14,2), counterparty_iban text,
                                                       counterparty_name text, description text, reference text)
                """, cancellationToken: ct));
        }

        var builder = new NpgsqlConnectionStringBuilder(dataSource.ConnectionString);
        var start = new ProcessStartInfo(psql) { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in new[] { "-X", "-v", "ON_ERROR_STOP=1", "-h", builder.Host!, "-p", builder.Port.ToString(CultureInfo.InvariantCulture),
                     "-U", builder.Username!, "-d", builder.Database!, "-c", $"\\copy bench_psql_copy FROM '{file.Replace("'", "''", StringComparison.Ordinal)}' WITH (FORMAT csv, HEADER true)" })
        {
            start.ArgumentList.Add(argument);
        }

        if (builder.Password is { } password)
        {
            start.Environment["PGPASSWORD"] = password;
        }

        if (builder.Passfile is { } passfile)
        {
            start.Environment["PGPASSFILE"] = passfile;
        }

        var stopwatch = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("psql did not start");
        var error = await process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        stopwatch.Stop();

        // Dropped at once: a million fresh rows would call autovacuum onto them while the import runs.
        await using (var connection = await dataSource.OpenConnectionAsync(ct))
        {
            await connection.ExecuteAsync(new CommandDefinition("DROP TABLE bench_psql_copy", cancellationToken: ct));
        }

        return process.ExitCode == 0 ? new CopyComparison(stopwatch.Elapsed, null) : new CopyComparison(TimeSpan.Zero, $"psql failed: {error.Trim()}");
    }
}
