from django.db.backends.sqlite3 import base

from tolerance.audit.pending import DeferredAuditMixin


class DatabaseWrapper(DeferredAuditMixin, base.DatabaseWrapper):
    pass
