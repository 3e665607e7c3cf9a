"""The optional read replica (DATABASE_REPLICA_URL): lists, statistics and exports read from it.

Only code that says so reads from the replica — a view with ReplicaReadsMixin, or a block under
`replica_reads()` — because a replica lags the primary by a moment: a page that must show what the
user just wrote (a case after its transition, a form after saving) reads the primary, as everything
does by default. Writes always go to the primary, and so does every read made inside a transaction
on it, so a service never decides on rows it did not lock or that a concurrent write has moved.
Without DATABASE_REPLICA_URL the router changes nothing.
"""

import contextlib
import contextvars

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"
_replica_reads = contextvars.ContextVar("tolerance_replica_reads", default=False)


@contextlib.contextmanager
def replica_reads():
    """Reads in this block (outside a transaction) may come from the replica."""
    token = _replica_reads.set(True)
    try:
        yield
    finally:
        _replica_reads.reset(token)


def replica_configured() -> bool:
    return REPLICA in connections.settings


class ReplicaReadsMixin:
    """For a view that only lists, counts or exports: its reads may come from the replica."""

    def dispatch(self, request, *args, **kwargs):
        with replica_reads():
            response = super().dispatch(request, *args, **kwargs)
            # A template's lazy querysets are read as it renders, which Django would do after dispatch.
            if hasattr(response, "render") and not response.is_rendered:
                response.render()
            return response


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        if not _replica_reads.get() or not replica_configured():
            return DEFAULT_DB_ALIAS
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return DEFAULT_DB_ALIAS
        return REPLICA

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # Both databases hold the same rows: an object read from the replica may point at one from the primary.
        return True

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # The replica follows the primary's schema by replication; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS
