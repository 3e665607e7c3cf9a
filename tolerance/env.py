"""Typed reading of configuration from the environment.

Every setting the deployment may change is read here, so that a typo or a malformed value stops the
process at start-up with a message naming the variable, instead of surfacing later as odd behaviour.
"""

import os
import re
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.core.exceptions import ImproperlyConfigured

# Variables this project reads. Any other DJANGO_*/TOLERANCE_* variable is almost certainly a typo.
KNOWN_VARIABLES = {
    "DATABASE_URL",
    "DATABASE_REPLICA_URL",
    "DJANGO_SECRET_KEY",
    "DJANGO_DEBUG",
    "DJANGO_ALLOWED_HOSTS",
    "DJANGO_CSRF_TRUSTED_ORIGINS",
    "DJANGO_SETTINGS_MODULE",
    "DJANGO_ALLOW_ASYNC_UNSAFE",
    "DJANGO_LOG_LEVEL",
    "DJANGO_EMAIL_URL",
    "DJANGO_DEFAULT_FROM_EMAIL",
    "DJANGO_SECURE_COOKIES",
    "DJANGO_SECURE_SSL_REDIRECT",
    "DJANGO_SECURE_HSTS_SECONDS",
    "DJANGO_TRUST_X_FORWARDED_PROTO",
    "TOLERANCE_VAR_DIR",
    "TOLERANCE_MEDIA_ROOT",
    "TOLERANCE_KEY_DIR",
    "TOLERANCE_CHECKPOINT_DIR",
    "TOLERANCE_ATTACHMENT_MAX_BYTES",
    "TOLERANCE_PUBLIC_BASE_URL",
    "TOLERANCE_CACHE_URL",
    "TOLERANCE_SIGNING_PKCS12_DIR",
    "TOLERANCE_SIGNING_PASSPHRASE",
    "TOLERANCE_TSA_URL",
    "TOLERANCE_TRUST_ROOTS",
    "TOLERANCE_AUDIT_KEY",
    "TOLERANCE_AUDIT_KEY_PASSPHRASE",
    "TOLERANCE_AUDIT_RETIRED_KEYS",
    "TOLERANCE_DECISION_VERIFY_RATE",
    "TOLERANCE_TRUSTED_PROXIES",
    "TOLERANCE_LOGIN_FAILURE_LIMIT",
    "TOLERANCE_LOGIN_COOLOFF_MINUTES",
    "TOLERANCE_CAS_SERVERS",
    "TOLERANCE_PASSWORD_RESET_RATE",
    "TOLERANCE_EMAIL_SEND_SECONDS",
    "TOLERANCE_S3_BUCKET",
    "TOLERANCE_S3_ENDPOINT_URL",
    "TOLERANCE_S3_REGION",
    "TOLERANCE_S3_ACCESS_KEY_ID",
    "TOLERANCE_S3_SECRET_ACCESS_KEY",
    "TOLERANCE_S3_ADDRESSING_STYLE",
    "TOLERANCE_S3_PREFIX",
}
_PREFIXES = ("DJANGO_", "TOLERANCE_")


def check_unknown_variables(environ=None):
    environ = os.environ if environ is None else environ
    unknown = sorted(name for name in environ if name.startswith(_PREFIXES) and name not in KNOWN_VARIABLES)
    if unknown:
        raise ImproperlyConfigured(
            f"Unknown setting(s) in the environment: {', '.join(unknown)}. Known: {', '.join(sorted(KNOWN_VARIABLES))}."
        )


def get_str(name, default=None, *, required=False):
    value = os.environ.get(name)
    if value is None or value == "":
        if required:
            raise ImproperlyConfigured(f"{name} must be set.")
        return default
    return value


def get_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    lowered = value.strip().lower()
    if lowered in {"1", "true", "yes", "on"}:
        return True
    if lowered in {"0", "false", "no", "off"}:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, got {value!r}.")


def get_int(name, default, *, minimum=None):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    try:
        number = int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}.") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, got {number}.")
    return number


def get_list(name, default):
    value = os.environ.get(name)
    if value is None or value == "":
        return list(default)
    return [item.strip() for item in value.split(",") if item.strip()]


def get_path(name, default: Path) -> Path:
    value = os.environ.get(name)
    return Path(value).resolve() if value else default


def redact_url(url: str) -> str:
    """The URL with any password masked, so an error message never prints a credential."""
    return re.sub(r"(//[^:/@]*:)[^@]*@", r"\1***@", url)


def get_database(default_sqlite_path: Path | None, *, name: str = "DATABASE_URL"):
    """Parse DATABASE_URL (or another variable, `name`); SQLite gets the options that make concurrent
    requests safe. With no default path, an unset variable gives None."""
    import dj_database_url

    url = os.environ.get(name) or (f"sqlite:///{default_sqlite_path}" if default_sqlite_path else None)
    if url is None:
        return None
    try:
        config = dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
    except Exception as exc:  # dj_database_url raises several types for bad URLs
        raise ImproperlyConfigured(f"{name} is malformed ({exc}): {redact_url(url)!r}") from None
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} names no SQLite file: {redact_url(url)!r}")
        config["CONN_MAX_AGE"] = 0
        config["CONN_HEALTH_CHECKS"] = False
        config["OPTIONS"] = {
            # IMMEDIATE takes the write lock at BEGIN, so two writers queue instead of failing
            # with "database is locked" when the second upgrades its read lock.
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
        }
    elif engine == "django.db.backends.postgresql":
        if not config.get("NAME"):
            raise ImproperlyConfigured(f"{name} names no PostgreSQL database: {redact_url(url)!r}")
    else:
        raise ImproperlyConfigured(f"{name} must be a sqlite:// or postgres:// URL, got {redact_url(url)!r}.")
    # Django's backend with a transaction's audit events appended at its end (tolerance.audit.pending).
    config["ENGINE"] = engine.replace("django.db.backends.", "tolerance.audit.backends.")
    return config


_SMTP_SCHEMES = {"smtp": (25, False, False), "smtp+tls": (587, True, False), "smtps": (465, False, True)}


def get_email(name, default):
    """Django's EMAIL_* settings from one URL (console://, smtp://, smtp+tls://, smtps://)."""
    url = os.environ.get(name) or default
    parts = urlsplit(url)
    if parts.scheme == "console":
        return {"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}
    if parts.scheme not in _SMTP_SCHEMES or not parts.hostname:
        raise ImproperlyConfigured(
            f"{name} must be console://, smtp://, smtp+tls:// or smtps:// with a host, got {redact_url(url)!r}."
        )
    default_port, use_tls, use_ssl = _SMTP_SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ImproperlyConfigured(f"{name} has an invalid port: {redact_url(url)!r}.") from None
    return {
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": parts.hostname,
        "EMAIL_PORT": port,
        "EMAIL_HOST_USER": unquote(parts.username or ""),
        "EMAIL_HOST_PASSWORD": unquote(parts.password or ""),
        "EMAIL_USE_TLS": use_tls,
        "EMAIL_USE_SSL": use_ssl,
    }
