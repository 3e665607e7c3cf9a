"""Test-only overrides: fast hashing and a private scratch directory."""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("DJANGO_SECRET_KEY", "test-only-secret-key-not-for-deployment")

from tolerance.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
_SCRATCH = Path(tempfile.mkdtemp(prefix="tolerance-test-"))
MEDIA_ROOT = _SCRATCH / "media"
AUDIT_CHECKPOINT_DIR = _SCRATCH / "audit-checkpoints"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_ROOT = _SCRATCH / "static"
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
# The test client and the browser tests' live server speak plain HTTP.
SECURE_SSL_REDIRECT = False
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = False
# Django empties tables with TRUNCATE after transactional tests; the audit trigger allows it only here.
AUDIT_ALLOW_TRUNCATE = True
# A case type that exists only in the tests, driving the shared steps (tests/workflows/steps).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.sample_case_type.apps.SampleCaseTypeConfig"]  # noqa: F405
# Empties only the tables a transactional test wrote (tests/test_database/management/commands/flush.py).
INSTALLED_APPS += ["tests.test_database.apps.TestDatabaseConfig"]
# A test database need not survive a crash: not waiting for each commit's WAL flush speeds up the
# transactional tests, and changes nothing a test can observe.
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":  # noqa: F405
    _options = DATABASES["default"].setdefault("OPTIONS", {})  # noqa: F405
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()
# A CAS server for the campus sign-on tests (tests/administration/cas_server.py).
INSTALLED_APPS += ["mama_cas"]  # noqa: F405
MAMA_CAS_SERVICES = [
    {
        "SERVICE": r"^http://127\.0\.0\.1:\d+/",
        "CALLBACKS": ["tests.administration.cas_server.staff_attributes"],
        "LOGOUT_ALLOW": False,
    }
]
