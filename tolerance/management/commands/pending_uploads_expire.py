import datetime

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from tolerance.services.pending_uploads import pending_uploads_expire


class Command(BaseCommand):
    help = "Remove the files held from rejected form submissions that nobody came back for."

    def add_arguments(self, parser):
        parser.add_argument("--hours", type=int, default=24, help="Remove those held longer than this (default 24).")

    def handle(self, *args, hours, **options):
        removed = pending_uploads_expire(older_than=datetime.timedelta(hours=hours))
        self.stdout.write(
            _("Removed %(count)d kept files older than %(hours)d hours.") % {"count": removed, "hours": hours}
        )
