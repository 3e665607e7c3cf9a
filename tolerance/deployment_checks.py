"""`manage.py check --deploy` (make deploy-check): what a site on several app servers must not keep locally."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.caches, deploy=True)
def shared_state_check(app_configs, **kwargs):
    """With the files in a bucket the site is meant for several servers; a per-machine cache then splits
    every rate limit (password resets, the verification page) between them."""
    if not getattr(settings, "S3_BUCKET", None):
        return []
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("FileBasedCache", "LocMemCache")):
        return [
            checks.Warning(
                "The archive is in an S3 bucket (several app servers) but the cache is local to each machine.",
                hint="Set TOLERANCE_CACHE_URL=redis://… on every server (docs/operations.md, Several app servers).",
                id="tolerance.W001",
            )
        ]
    return []
