"""A transaction's audit events, held on its connection and appended together just before it commits.

Every append locks the global chain head, so the lock used to be held from a transaction's first event
to its commit: the whole transition, rendering included, while every other writer queued. Held here,
the events are chained and inserted in one statement at the very end, under a lock that lives for the
inserts and the commit only. The guarantees stay: the events commit in the same transaction as the
change (or not at all), the sequence has no gap and the chain cannot fork (the head is still locked
before the next sequence is read).

The database backends under tolerance.audit.backends call in here from commit, rollback and savepoint
handling; on a connection without them (another ENGINE) every event is appended at once, as before.

Other derived writes that belong to the transaction but need only be done once at its end (a case's
search text after the filing wrote everything it reads) queue here too: `call_before_commit`.
"""

from django.db import transaction

_ATTRIBUTE = "audit_pending"


def defers(connection) -> bool:
    """Whether `connection` holds events until its transaction ends: one of our backends, in a real
    transaction, or (inside a test case's wrapping blocks, which never commit) in an application block
    whose release is a savepoint commit we see."""
    if not hasattr(connection, _ATTRIBUTE):
        return False
    blocks = connection.atomic_blocks
    if not any(getattr(block, "_from_testcase", False) for block in blocks):
        return True
    application = [block for block in blocks if not getattr(block, "_from_testcase", False)]
    return bool(application) and application[0].savepoint


def hold(connection, event, case) -> None:
    """Keep `event` (unsaved, its links unset) until the transaction ends."""
    connection.audit_pending.append((frozenset(connection.savepoint_ids), event, case))


def call_before_commit(connection, key, call) -> None:
    """Run `call()` once, in the transaction, just before it commits (before its audit events are chained);
    dropped with a rollback of the savepoint it was queued in. A second call with the same `key` is kept
    only if the first is rolled back. Without deferral (autocommit, another ENGINE) it runs now."""
    if not defers(connection):
        call()
        return
    if all(queued_key != key for _sids, queued_key, _call in connection.before_commit_calls):
        connection.before_commit_calls.append((frozenset(connection.savepoint_ids), key, call))


def waiting(connection) -> bool:
    return bool(connection.audit_pending or connection.before_commit_calls)


def flush(connection) -> None:
    """Run the queued calls, then chain and insert the held events now, in the current transaction."""
    # Imported here: the backends load before the apps are ready.
    from tolerance.audit.services import append_events

    calls, connection.before_commit_calls = connection.before_commit_calls, []
    for _sids, _key, call in calls:
        call()
    held, connection.audit_pending = connection.audit_pending, []
    if held:
        append_events([(event, case) for _sids, event, case in held])


def _outside_test_transactions(connection) -> bool:
    """True when the block being released was the outermost one the application opened: the test
    case's own wrapping blocks (which never commit) are all that is left."""
    return all(getattr(block, "_from_testcase", False) for block in connection.atomic_blocks)


class DeferredAuditMixin:
    """For a DatabaseWrapper: audit events are appended at commit (or, inside a test case's wrapping
    transaction, when the application's outermost block is released), and dropped with a rollback."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.audit_pending = []
        self.before_commit_calls = []

    def commit(self):
        if waiting(self):
            # Atomic.__exit__ has already cleared the flag; the inserts run inside the still-open
            # transaction, and must not open (and commit) a block of their own.
            self.in_atomic_block = True
            try:
                flush(self)
            except BaseException:
                self.in_atomic_block = False
                self.rollback()
                raise
            self.in_atomic_block = False
        super().commit()

    def savepoint_commit(self, sid):
        if waiting(self) and self.in_atomic_block and _outside_test_transactions(self):
            flush(self)
        super().savepoint_commit(sid)

    def savepoint_rollback(self, sid):
        super().savepoint_rollback(sid)
        self.audit_pending = [entry for entry in self.audit_pending if sid not in entry[0]]
        self.before_commit_calls = [entry for entry in self.before_commit_calls if sid not in entry[0]]

    def rollback(self):
        self.audit_pending = []
        self.before_commit_calls = []
        super().rollback()

    def close(self):
        self.audit_pending = []
        self.before_commit_calls = []
        super().close()


def flush_now(using=None) -> None:
    """Append the current transaction's held events now: for code that reads the chain back before
    its transaction ends (a checkpoint signs the head it holds)."""
    connection = transaction.get_connection(using)
    if defers(connection) and connection.audit_pending:
        flush(connection)
