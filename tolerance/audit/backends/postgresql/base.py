from django.db.backends.postgresql import base

from tolerance.audit.pending import DeferredAuditMixin


class DatabaseWrapper(DeferredAuditMixin, base.DatabaseWrapper):
    pass
