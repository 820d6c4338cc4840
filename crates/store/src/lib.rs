//! The encrypted local vault (SQLCipher): call log, directory, lists, report outbox, audit trail.
