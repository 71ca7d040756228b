using System.Globalization;
using System.Xml;
using NodaTime;
using Ontzorging.Domain;
using Ontzorging.Domain.Batches;
using Ontzorging.Infrastructure.Csv;

namespace Ontzorging.Infrastructure.BankLedgers;

/// <summary>
/// Reads a camt.053 statement file (.001.02 or .001.08) into <see cref="BankLine"/>s, streaming it
/// with one <see cref="XmlReader"/> that checks the official schema as it goes: a year of a large
/// municipality's statements is never held as a document, only as the lines it yields. What it
/// reads and how it maps is docs/rules.md §9 ("camt.053"). A file with any error yields no lines:
/// the schema, the account, one currency (euro), a booking date on every booked entry, and per
/// statement opening plus entries equal to closing.
/// </summary>
/// <remarks>
/// A line's <see cref="BankLine.Line"/> is the entry's number in the file (1, 2, …), which stays
/// unique when a bank writes its XML on one line; error messages give the XML line and column.
/// Entries that are not booked (status PDNG or INFO) are counted and left out, as the bank's own
/// balances leave them out.
/// </remarks>
public static class Camt053Reader
{
    /// <summary>The account's currency; the managed account holds euros, so every amount is in euros.</summary>
    public const string Euro = "EUR";

    /// <summary>Below this size a file is read in one pass; above it, its statements are read in parts on every core.</summary>
    private const long PartedFrom = 4 << 20;

    /// <param name="partedFrom">From which size on a file is read in parts (tests read small files so).</param>
    public static (List<BankLine> Lines, int NotBooked) Read(string path, Iso20022Message message, List<InputError> errors, IProgress<double>? progress = null,
        long partedFrom = PartedFrom)
    {
        var file = Path.GetFileName(path);
        var before = errors.Count;
        var parts = new FileInfo(path).Length >= partedFrom ? StatementParts.Of(path, Environment.ProcessorCount * 2) : null;
        var (lines, notBooked) = parts is null ? ReadWhole(path, file, message, errors, progress) : ReadParts(path, file, message, parts, errors, progress);
        if (errors.Count > before)
        {
            return ([], 0);
        }

        if (lines.Count == 0)
        {
            errors.Add(new InputError(file, 0, "(file)", "holds no booked entries; nothing to import"));
        }

        return (lines, notBooked);
    }

    private static (List<BankLine> Lines, int NotBooked) ReadWhole(string path, string file, Iso20022Message message, List<InputError> errors, IProgress<double>? progress)
    {
        var lines = new List<BankLine>();
        var state = new Reading(file, errors, lines);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var length = Math.Max(1, stream.Length);
        Run(state, stream, file, message, errors, 0, progress is null ? null : () => progress.Report(Math.Min(1, stream.Position / (double)length)));
        return (lines, state.NotBooked);
    }

    /// <summary>
    /// Reads a large file's statements in parts, each on a core of its own: a part is the file's
    /// header, a run of whole statements and its end tags, checked against the schema as the whole
    /// file would be. Lines come back in file order, numbered through; errors name the file's lines.
    /// A file the parts cannot be cut from faithfully (not well-formed) is read whole, for the right error.
    /// </summary>
    private static (List<BankLine> Lines, int NotBooked) ReadParts(string path, string file, Iso20022Message message, StatementParts parts, List<InputError> errors, IProgress<double>? progress)
    {
        var results = new (List<BankLine> Lines, List<InputError> Errors, int NotBooked, bool Malformed)[parts.Count];
        var done = 0;
        Parallel.For(0, parts.Count, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, i =>
        {
            var partLines = new List<BankLine>();
            var partErrors = new List<InputError>();
            var state = new Reading(file, partErrors, partLines);
            using var stream = parts.Open(path, i);
            var malformed = !Run(state, stream, file, message, partErrors, parts.LineOffset(i), null);
            results[i] = (partLines, partErrors.Where(e => parts.Holds(i, e.Line)).ToList(), state.NotBooked, malformed);
            progress?.Report(Interlocked.Increment(ref done) / (double)parts.Count);
        });

        if (results.Any(r => r.Malformed))
        {
            return ReadWhole(path, file, message, errors, progress);
        }

        foreach (var result in results)
        {
            errors.AddRange(result.Errors.Take(Math.Max(0, Iso20022Files.MaxErrors - errors.Count)));
        }

        // Each part's lines are numbered on from the parts before it, every part on a core.
        var firsts = new int[results.Length];
        for (var i = 1; i < results.Length; i++)
        {
            firsts[i] = firsts[i - 1] + results[i - 1].Lines.Count;
        }

        var numbered = new BankLine[results.Sum(r => r.Lines.Count)];
        Parallel.For(0, results.Length, i =>
        {
            var part = results[i].Lines;
            for (var k = 0; k < part.Count; k++)
            {
                numbered[firsts[i] + k] = part[k] with { Line = firsts[i] + k + 1 };
            }
        });

        return ([.. numbered], results.Sum(r => r.NotBooked));
    }

    /// <summary>Reads one stream through the schema into <paramref name="state"/>; false when it is not well-formed XML (the error is in <paramref name="errors"/>).</summary>
    private static bool Run(Reading state, Stream stream, string file, Iso20022Message message, List<InputError> errors, int lineOffset, Action? progress)
    {
        state.LineOffset = lineOffset;
        try
        {
            using var reader = Iso20022Files.Reader(stream);
            var check = Iso20022Files.Check(reader, file, message, errors, lineOffset);
            state.Run(reader, check, progress);
            check.End();
            return true;
        }
        catch (XmlException ex)
        {
            errors.Add(Iso20022Files.NotXml(file, ex) with { Line = ex.LineNumber + lineOffset });
            return false;
        }
        catch (Iso20022Files.TooManyErrorsException)
        {
            // The first errors are in the list.
            return true;
        }
    }

    /// <summary>One pass over the file: a stack of the elements it is in, and the statement, balance, entry and transaction being read.</summary>
    private sealed class Reading(string file, List<InputError> errors, List<BankLine> lines)
    {
        private readonly string[] stack = new string[128];
        private int depth;

        private Statement? statement;
        private Balance? balance;
        private Entry? entry;
        private Transaction? transaction;
        private bool inBatch;
        private int entries;
        private string? currency;

        // An element's text as its nodes bring it (a CDATA section or a character reference between
        // two runs of text makes several), used whole at the element's end, as the schema checks it;
        // and where it started, for a message.
        private string? pendingText;
        private (int Line, int Column) textAt;

        public int NotBooked { get; private set; }

        /// <summary>How many lines of the file come before line 1 of what this reading reads (a part of a large file).</summary>
        public int LineOffset { get; set; }

        /// <summary>Reads every node, each checked against the schema (<paramref name="check"/>) before it is used.</summary>
        public void Run(XmlReader reader, SchemaCheck check, Action? progress)
        {
            while (reader.Read())
            {
                check.Node();
                switch (reader.NodeType)
                {
                    case XmlNodeType.Element:
                        pendingText = null;
                        var name = reader.LocalName;
                        if (name is "Amt" or "TtlAmt")
                        {
                            currency = reader.GetAttribute("Ccy");
                        }

                        if (!reader.IsEmptyElement)
                        {
                            if (depth == stack.Length)
                            {
                                throw new XmlException("the document nests deeper than a camt.053 statement can", null, Position(reader).Line, Position(reader).Column);
                            }

                            stack[depth++] = name;
                            Start(name, reader);
                        }

                        break;
                    case XmlNodeType.Text or XmlNodeType.CDATA:
                        if (depth > 0)
                        {
                            if (pendingText is null)
                            {
                                (pendingText, textAt) = (reader.Value, Position(reader));
                            }
                            else
                            {
                                pendingText += reader.Value;
                            }
                        }

                        break;
                    case XmlNodeType.EndElement:
                        if (pendingText is not null)
                        {
                            Text(pendingText, textAt);
                            pendingText = null;
                        }

                        End(reader.LocalName, reader);
                        depth--;
                        if (progress is not null && entries % 4096 == 0 && reader.LocalName == "Ntry")
                        {
                            progress();
                        }

                        break;
                }
            }
        }

        private (int Line, int Column) Position(XmlReader reader)
        {
            var (line, column) = Iso20022Files.Position(reader);
            return (line == 0 ? 0 : line + LineOffset, column);
        }

        private string Top => stack[depth - 1];

        private string Parent(int up) => depth - 1 - up >= 0 ? stack[depth - 1 - up] : "";

        private void Start(string name, XmlReader reader)
        {
            switch (name)
            {
                case "Stmt":
                    var (line, column) = Position(reader);
                    statement = new Statement(line, column);
                    break;
                case "Bal" when statement is not null && entry is null:
                    balance = new Balance();
                    break;
                case "Ntry" when statement is not null:
                    var (entryLine, entryColumn) = Position(reader);
                    entry = new Entry(++entries, ++statement.Entries, entryLine, entryColumn);
                    break;
                case "Btch" when entry is not null && Parent(1) == "NtryDtls":
                    inBatch = true;
                    entry.Batch = true;
                    break;
                case "TxDtls" when entry is not null && Parent(1) == "NtryDtls":
                    transaction = new Transaction();
                    break;
            }
        }

        private void Text(string value, (int Line, int Column) at)
        {
            var top = Top;
            if (transaction is not null)
            {
                TransactionText(transaction, top, value);
            }
            else if (inBatch && entry is not null && Parent(1) == "Btch")
            {
                switch (top)
                {
                    case "MsgId": entry.BatchMessageId = value; break;
                    case "PmtInfId": entry.BatchPaymentInformationId = value; break;
                    case "NbOfTxs": entry.BatchTransactions = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : null; break;
                }
            }
            else if (entry is not null)
            {
                EntryText(entry, top, value, at);
            }
            else if (balance is not null)
            {
                switch (top)
                {
                    case "Cd" when Parent(1) == "CdOrPrtry": balance.Type = value; break;
                    case "Amt" when Parent(1) == "Bal": balance.Amount = Amount(value, at, "balance Amt"); balance.Currency = currency; break;
                    case "CdtDbtInd" when Parent(1) == "Bal": balance.Debit = value == "DBIT"; break;
                    case "Dt" or "DtTm" when Parent(1) == "Dt" && Parent(2) == "Bal": balance.Date = Date(value, at, "balance Dt"); break;
                }
            }
            else if (statement is not null)
            {
                switch (top)
                {
                    case "Id" when Parent(1) == "Stmt": statement.Id = value; break;
                    case "IBAN" when Parent(1) == "Id" && Parent(2) == "Acct" && Parent(3) == "Stmt": statement.Iban = value; break;
                    case "Ccy" when Parent(1) == "Acct" && Parent(2) == "Stmt": statement.Currency = value; break;
                }
            }
        }

        private void EntryText(Entry e, string top, string value, (int Line, int Column) at)
        {
            switch (top)
            {
                case "Amt" when Parent(1) == "Ntry": e.Amount = Amount(value, at, "Ntry/Amt"); e.Currency = currency; break;
                case "CdtDbtInd" when Parent(1) == "Ntry": e.Debit = value == "DBIT"; break;
                case "Sts" when Parent(1) == "Ntry": e.Status = value; break; // .02: the code itself
                case "Cd" or "Prtry" when Parent(1) == "Sts" && Parent(2) == "Ntry": e.Status = value; break; // .08: a choice of code
                case "Dt" or "DtTm" when Parent(1) == "BookgDt": e.BookingDate = Date(value, at, "BookgDt"); e.BookingDateGiven = true; break;
                case "AcctSvcrRef" when Parent(1) == "Ntry": e.BankReference = value; break;
                case "AddtlNtryInf" when Parent(1) == "Ntry": e.Information = value; break;
            }
        }

        private void TransactionText(Transaction t, string top, string value)
        {
            var parent = Parent(1);
            switch (top)
            {
                case "EndToEndId" when parent == "Refs": t.EndToEndId = value; break;
                case "MsgId" when parent == "Refs": t.MessageId = value; break;
                case "PmtInfId" when parent == "Refs": t.PaymentInformationId = value; break;
                case "Amt" when parent == "TxDtls": t.Amount = AmountOrNull(value); break; // .08
                case "Amt" when parent == "TxAmt" && Parent(2) == "AmtDtls": t.Amount = AmountOrNull(value); break; // what was booked
                case "Amt" when parent == "InstdAmt" && Parent(2) == "AmtDtls": t.Amount ??= AmountOrNull(value); break; // what was instructed, when nothing else is given
                case "Nm" when Party() is { } party: t.Names[party] = value; break;
                case "IBAN" when parent == "Id" && Parent(2) is "DbtrAcct" or "CdtrAcct" && InRelatedParties(3): t.Ibans[Parent(2) == "DbtrAcct" ? 0 : 1] = value; break;
                case "Ustrd" when parent == "RmtInf": t.Unstructured = t.Unstructured is null ? value : $"{t.Unstructured} {value}"; break;
                case "Ref" when parent == "CdtrRefInf": t.CreditorReference ??= value; break;
                case "Cd" or "Prtry" when parent == "Rsn" && Parent(2) == "RtrInf": t.ReturnReason = value; break;
                case "AddtlTxInf" when parent == "TxDtls": t.Information = value; break;
            }
        }

        /// <summary>0 for the debtor, 1 for the creditor, when the name read is theirs (.02: RltdPties/Dbtr/Nm; .08: RltdPties/Dbtr/Pty/Nm).</summary>
        private int? Party()
        {
            var (owner, at) = Parent(1) == "Pty" ? (Parent(2), 3) : (Parent(1), 2);
            return owner switch
            {
                "Dbtr" when InRelatedParties(at) => 0,
                "Cdtr" when InRelatedParties(at) => 1,
                _ => null,
            };
        }

        private bool InRelatedParties(int up) => Parent(up) == "RltdPties";

        private void End(string name, XmlReader reader)
        {
            switch (name)
            {
                case "TxDtls" when transaction is not null && entry is not null && Parent(1) == "NtryDtls":
                    entry.Transactions.Add(transaction);
                    transaction = null;
                    break;
                case "Btch" when inBatch && Parent(1) == "NtryDtls":
                    inBatch = false;
                    break;
                case "Ntry" when entry is not null && statement is not null:
                    EndEntry(entry, statement);
                    entry = null;
                    break;
                case "Bal" when balance is not null:
                    statement?.Balances.Add(balance);
                    balance = null;
                    break;
                case "Stmt" when statement is not null:
                    EndStatement(statement);
                    statement = null;
                    break;
            }
        }

        private void EndEntry(Entry e, Statement s)
        {
            if (e.Status != "BOOK")
            {
                NotBooked++;
                return;
            }

            s.BookedEntries++;
            if (!s.Started(this, e.Line))
            {
                return;
            }

            if (e.Currency != s.Currency)
            {
                Error(e.Line, Where(e, s), $"is in {e.Currency} where the statement is in {s.Currency}: a statement holds one currency");
                return;
            }

            if (e.BookingDate is not { } booked)
            {
                if (!e.BookingDateGiven)
                {
                    Error(e.Line, Where(e, s), "has no booking date (BookgDt)");
                }

                return;
            }

            var amount = e.Debit ? -e.Amount : e.Amount;
            s.Sum += amount;
            var several = e.Transactions.Count > 1 || (e.Batch && (e.BatchTransactions is > 1 || (e.BatchTransactions is null && e.Transactions.Count == 0)));
            if (several && e.Debit)
            {
                // Money out in one amount for several payments: a batch booking (docs/rules.md §9).
                s.Running += amount;
                var reference = e.BatchPaymentInformationId ?? e.BatchMessageId ?? e.Transactions.Select(t => t.PaymentInformationId ?? t.MessageId).FirstOrDefault(r => r is not null);
                var payments = e.Transactions.Where(t => Given(t.EndToEndId)).Select(t => new BatchBookingPayment(t.EndToEndId!, t.Amount)).ToList();
                var description = Checked(e.Information ?? $"batch {reference ?? "(no reference)"}, {e.BatchTransactions ?? e.Transactions.Count} payment(s)", e, s);
                lines.Add(new BankLine(lines.Count + 1, s.Iban!, booked, amount, null, "", description, reference, Balance: s.Running, BankReference: e.BankReference,
                    Batch: new BatchBooking(e.BatchMessageId ?? e.Transactions.Select(t => t.MessageId).FirstOrDefault(r => r is not null),
                        e.BatchPaymentInformationId ?? e.Transactions.Select(t => t.PaymentInformationId).FirstOrDefault(r => r is not null),
                        e.BatchTransactions ?? (e.Transactions.Count > 0 ? e.Transactions.Count : null), payments)));
                return;
            }

            if (several)
            {
                // Money in for several transactions (a collective credit): one line per transaction,
                // each with its own payer and text, so that each can be matched; their amounts must
                // be given and add up to the entry's.
                if (e.Transactions.Count < 2 || e.Transactions.Any(t => t.Amount is null) || Money.Sum(e.Transactions.Select(t => t.Amount!.Value)) != e.Amount)
                {
                    Error(e.Line, Where(e, s), $"credits {e.Amount} for {Math.Max(e.Transactions.Count, e.BatchTransactions ?? 0)} transactions without the amounts of each that add up to it; such an entry cannot be booked per payer");
                    return;
                }

                foreach (var t in e.Transactions)
                {
                    s.Running += t.Amount!.Value;
                    lines.Add(Single(e, s, t, t.Amount.Value, booked));
                }

                return;
            }

            s.Running += amount;
            lines.Add(Single(e, s, e.Transactions.Count == 1 ? e.Transactions[0] : new Transaction(), amount, booked));
        }

        /// <summary>The line of one transaction of entry <paramref name="e"/>, for <paramref name="amount"/> (signed), at the statement's running balance.</summary>
        private BankLine Single(Entry e, Statement s, Transaction t, Money amount, LocalDate booked)
        {
            // The counterparty is the other side: the creditor of money out, the debtor of money
            // in; unless that side is the account itself (a return names the original parties).
            var other = e.Debit ? 1 : 0;
            if (string.Equals(t.Ibans[other], s.Iban, StringComparison.OrdinalIgnoreCase))
            {
                other = 1 - other;
            }

            var description = Checked(t.Unstructured ?? t.Information ?? e.Information ?? "", e, s);
            var reference = Given(t.EndToEndId) ? t.EndToEndId : t.CreditorReference ?? PaymentKey.FindIn(description);
            return new BankLine(lines.Count + 1, s.Iban!, booked, amount, t.Ibans[other], Checked(t.Names[other] ?? "", e, s), description,
                reference, t.ReturnReason, s.Running, BankReference: e.BankReference);
        }

        private void EndStatement(Statement s)
        {
            var where = $"{s.Column} (statement {s.Id})";
            if (!s.Started(this, s.Line))
            {
                return;
            }

            if (s.Closing is not { } closing)
            {
                Error(s.Line, where, "has no closing booked balance (CLBD)");
                return;
            }

            if (s.Opening!.Value + s.Sum != closing)
            {
                Error(s.Line, where, $"does not add up: opening balance {s.Opening} plus its {s.BookedEntries} booked entries ({s.Sum}) is {s.Opening.Value + s.Sum}, but its closing balance is {closing}");
            }
        }

        /// <summary>Where entry <paramref name="e"/> stands, for a message: its column, statement and number (built only for an error).</summary>
        private static string Where(Entry e, Statement s) => $"{e.Column} (statement {s.Id}, entry {e.InStatement})";

        private string Checked(string text, Entry e, Statement s)
        {
            if (TextRules.ControlProblem(text, lineBreaksAllowed: true) is { } problem)
            {
                Error(e.Line, Where(e, s), problem);
                return "";
            }

            return text;
        }

        private Money Amount(string text, (int Line, int Column) at, string field)
        {
            if (AmountOrNull(text) is { } amount)
            {
                return amount;
            }

            var (line, column) = at;
            Error(line, $"{column} ({field})", $"'{text}' is not an amount in cents");
            return Money.Zero;
        }

        private static Money? AmountOrNull(string text) =>
            decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) && value * 100 == decimal.Truncate(value * 100) && value < 1_000_000_000_000m
                ? Money.FromEuros(value)
                : null;

        private LocalDate? Date(string text, (int Line, int Column) at, string field)
        {
            // A date (ISODate), or the date of a date and time (ISODateTime).
            if (text.Length >= 10 && DateFormat.Iso.TryRead(text.AsSpan(0, 10), out var date) && SaneDates.Contains(date))
            {
                return date;
            }

            var (line, column) = at;
            Error(line, $"{column} ({field})", $"'{text}' is not a date within {SaneDates.Description}");
            return null;
        }

        private static bool Given(string? reference) => reference is { Length: > 0 } && reference != "NOTPROVIDED";

        private void Error(int line, string field, string message) => errors.Add(new InputError(file, line, field, message));

        /// <summary>A statement as read so far: what its entries need (account, currency, opening balance) and what its end checks.</summary>
        private sealed class Statement(int line, int column)
        {
            private bool checkedStart;
            private bool started;

            public int Line => line;

            public int Column => column;

            public string Id { get; set; } = "(no Id)";

            public string? Iban { get; set; }

            public string? Currency { get; set; }

            public List<Balance> Balances { get; } = [];

            public Money? Opening { get; private set; }

            public Money? Closing => Booked("CLBD");

            public Money Sum { get; set; }

            public Money Running { get; set; }

            /// <summary>Entries read so far (each numbered within its statement, for messages), and how many of them are booked.</summary>
            public int Entries { get; set; }

            public int BookedEntries { get; set; }

            /// <summary>
            /// Whether the statement's account, currency and opening balance are known (once, at its
            /// first entry or its end, when the schema has placed them before the entries); the
            /// reason why not is an error, once.
            /// </summary>
            public bool Started(Reading reading, int at)
            {
                if (checkedStart)
                {
                    return started;
                }

                checkedStart = true;
                Opening = Booked("OPBD") ?? Booked("PRCD");
                var currencies = Balances.Select(b => b.Currency).Append(Currency).Where(c => c is not null).Distinct().ToList();
                Currency ??= currencies.FirstOrDefault();
                if (Iban is null)
                {
                    reading.Error(at, $"{column} (statement {Id})", "names its account without an IBAN (Acct/Id/IBAN); only the managed IBAN account is read");
                }
                else if (currencies.Count > 1)
                {
                    reading.Error(at, $"{column} (statement {Id})", $"has balances in two currencies ({string.Join(", ", currencies)}): a statement holds one currency");
                }
                else if (Currency != Euro)
                {
                    reading.Error(at, $"{column} (statement {Id})", $"is in {Currency ?? "no currency"}; the managed account holds euros ({Euro})");
                }
                else if (Opening is null)
                {
                    reading.Error(at, $"{column} (statement {Id})", "has no opening booked balance (OPBD, or PRCD)");
                }
                else
                {
                    Running = Opening.Value;
                    started = true;
                }

                return started;
            }

            private Money? Booked(string type) => Balances.FirstOrDefault(b => b.Type == type) is { } b ? (b.Debit ? -b.Amount : b.Amount) : null;
        }

        private sealed class Balance
        {
            public string? Type { get; set; }

            public Money Amount { get; set; }

            public string? Currency { get; set; }

            public bool Debit { get; set; }

            public LocalDate? Date { get; set; }
        }

        private sealed class Entry(int number, int inStatement, int line, int column)
        {
            public int Number => number;

            public int InStatement => inStatement;

            public int Line => line;

            public int Column => column;

            public Money Amount { get; set; }

            public string? Currency { get; set; }

            public bool Debit { get; set; }

            public string? Status { get; set; }

            public LocalDate? BookingDate { get; set; }

            /// <summary>Whether the entry gave a booking date at all (one that does not read is reported where it stands).</summary>
            public bool BookingDateGiven { get; set; }

            public string? BankReference { get; set; }

            public string? Information { get; set; }

            public bool Batch { get; set; }

            public string? BatchMessageId { get; set; }

            public string? BatchPaymentInformationId { get; set; }

            public int? BatchTransactions { get; set; }

            public List<Transaction> Transactions { get; } = [];
        }

        private sealed class Transaction
        {
            public string? EndToEndId { get; set; }

            public string? MessageId { get; set; }

            public string? PaymentInformationId { get; set; }

            public Money? Amount { get; set; }

            /// <summary>The debtor's (0) and the creditor's (1) names and IBANs.</summary>
            public string?[] Names { get; } = new string?[2];

            public string?[] Ibans { get; } = new string?[2];

            /// <summary>The unstructured remittance lines (Ustrd), joined by a space.</summary>
            public string? Unstructured { get; set; }

            public string? CreditorReference { get; set; }

            public string? ReturnReason { get; set; }

            public string? Information { get; set; }
        }
    }
}
