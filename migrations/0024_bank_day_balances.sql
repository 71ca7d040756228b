-- Issue 22 (bank statements and the ledger): what the bank's file says the account held on each
-- day, where the file carries balances (ING semicolon "Saldo na mutatie", Rabobank "Saldo na trn",
-- ABN AMRO's start and end balance): the balance before the day's first transaction and after its
-- last (Domain/Ledger/StatementBalances). Reconciliation sets the closing balance against the
-- ledger's bank account, and a day whose balances moved other than its imported lines shows lines
-- missing from the statement. A later statement that covers the day again states it again.
CREATE TABLE bank_day_balances (
    account      text          NOT NULL,
    booking_date date          NOT NULL,
    opening      numeric(14,2) NOT NULL,
    closing      numeric(14,2) NOT NULL,
    import_id    bigint        NOT NULL,
    CONSTRAINT pk_bank_day_balances PRIMARY KEY (account, booking_date),
    CONSTRAINT fk_bank_day_balances_import FOREIGN KEY (import_id) REFERENCES bank_imports (id)
);

-- Reconciliation of a period sums the ledger's bank account by entry date; entries are written in
-- date order, a hundred thousand at a time, so a block range index serves it without slowing them.
CREATE INDEX ix_journal_entries_entry_date ON journal_entries USING brin (entry_date);
