from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tolerance.scheduler import jobs_run_due, scheduler_loop
from tolerance.scheduling import scheduled_jobs


class Command(BaseCommand):
    help = (
        "Run every registered job (workflow timers, reminders, e-mail retries, audit checkpoints…) on its "
        "interval, until stopped. Safe to run on several servers at once: each due run happens once."
    )

    def add_arguments(self, parser):
        parser.add_argument("--once", action="store_true", help="one pass over the due jobs, then exit")
        parser.add_argument("--tick", type=float, default=5.0, help="seconds between passes (default 5)")

    def handle(self, *args, once, tick, **options):
        if once:
            ran = jobs_run_due()
            self.stdout.write(_("Ran: %(jobs)s") % {"jobs": ", ".join(ran) or "—"})
            return
        names = ", ".join(job.name for job in scheduled_jobs())
        self.stdout.write(_("Scheduler running: %(jobs)s") % {"jobs": names})
        try:
            scheduler_loop(tick_seconds=tick)
        except KeyboardInterrupt:
            pass
