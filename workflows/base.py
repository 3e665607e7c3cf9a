"""What every flow of the project shares."""

from viewflow.workflow import flow, lock


class ToleranceFlow(flow.Flow):
    """Base for every flow: row locks on the process, never viewflow's default no_lock.

    With no_lock, PostgreSQL let two users both claim one task and ran a double-submitted form twice.
    """

    lock_impl = lock.select_for_update_lock
