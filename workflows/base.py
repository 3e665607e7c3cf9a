"""What every flow of the project shares."""

import random
import threading
import time
from contextlib import contextmanager

from django.db import DatabaseError, transaction
from django.db.models.signals import post_init
from viewflow.workflow import flow, lock
from viewflow.workflow.exceptions import FlowLockFailed
from viewflow.workflow.models import Task

_held = threading.local()  # process pk -> the process row this thread read with its lock


class ProcessRowLock(lock.SelectForUpdateLock):
    """Viewflow's row lock on the process, reading the process and its case in the locking statement.

    Viewflow's task views load the task under the lock, then its process, then we load the case: three
    statements more per request. Here the locked row comes back with its case, and every task read
    while the lock is held gets that process object (`_process_from_lock`), so only the task is read.
    Read under the lock, like before: nothing is taken from the visibility check that ran before it.
    """

    @contextmanager
    def __call__(self, flow_class, process_pk):
        for attempt in range(self.attempts):
            with transaction.atomic():
                try:
                    process = (
                        flow_class.process_class._default_manager.filter(pk=process_pk)
                        .select_related("case")
                        .select_for_update(nowait=self.nowait, of=("self",))
                        .first()
                    )
                except DatabaseError:
                    if attempt != self.attempts - 1:
                        time.sleep((((attempt + 1) * random.random()) + 2**attempt) / 2.5)  # viewflow's backoff
                    else:
                        raise FlowLockFailed(f"Lock failed for {flow_class}") from None
                else:
                    held = _held.__dict__.setdefault("processes", {})
                    outer = held.get(process_pk)
                    if process is not None:
                        held[process_pk] = process
                    try:
                        yield
                    finally:
                        if outer is None:
                            held.pop(process_pk, None)
                        else:
                            held[process_pk] = outer
                    break


def _process_from_lock(sender, instance, **kwargs):
    held = getattr(_held, "processes", None)
    if held and instance.process_id in held and not Task.process.is_cached(instance):
        Task.process.field.set_cached_value(instance, held[instance.process_id])


def connect():
    from django.apps import apps

    for model in [model for model in apps.get_models() if issubclass(model, Task)]:
        post_init.connect(
            _process_from_lock, sender=model, dispatch_uid=f"workflows.process_from_lock.{model._meta.label}"
        )


class ToleranceFlow(flow.Flow):
    """Base for every flow: row locks on the process, never viewflow's default no_lock.

    With no_lock, PostgreSQL let two users both claim one task and ran a double-submitted form twice.
    """

    lock_impl = ProcessRowLock()
