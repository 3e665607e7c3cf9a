"""Django's PostgreSQL and SQLite backends with the audit events of a transaction appended at its end
(tolerance.audit.pending). tolerance.env selects them for DATABASE_URL."""
