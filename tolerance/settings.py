"""Django settings, read from the environment (see README, "Configuration")."""

import datetime
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from tolerance import env

env.check_unknown_variables()

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = env.get_path("TOLERANCE_VAR_DIR", BASE_DIR / "var")

DEBUG = env.get_bool("DJANGO_DEBUG", False)
SECRET_KEY = env.get_str("DJANGO_SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off (`make run` sets DJANGO_DEBUG=true for local use)."
        )
    SECRET_KEY = "insecure-development-key-only-used-with-DJANGO_DEBUG"
ALLOWED_HOSTS = env.get_list("DJANGO_ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.get_list("DJANGO_CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_filters",
    "guardian",
    "axes",
    "viewflow",
    "viewflow.workflow",
    "tolerance",
    "tolerance.audit",
    "tolerance.decisions",
    "tolerance.notifications",
    # Its SessionTicket records which session a CAS ticket opened, for the server's single sign-out.
    "django_cas_ng",
    "workflows",
    "composition",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "tolerance.middleware.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tolerance.middleware.ChosenLanguageMiddleware",
    # A NUL or control character in the address is a 400 here, before anything stores or logs it.
    "tolerance.middleware.ControlCharacterMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Who is acting and from where, for audit events (also those recorded inside saves: tasks, roles).
    "tolerance.middleware.RequestContextMiddleware",
    "tolerance.audit.middleware.AccessDeniedAuditMiddleware",
    # 404 for a process whose case the user may not see, before viewflow's app check can say 403.
    "workflows.middleware.ProcessVisibilityMiddleware",
    # Sets request.resolver_match.site/app/flow_viewset, which viewflow's pages and menus need,
    # and enforces each application's has_view_permission.
    "viewflow.middleware.SiteMiddleware",
    # A lost race for a case's row lock becomes a friendly 409 page instead of a 500.
    "workflows.middleware.FlowLockConflictMiddleware",
    # So does a file storage that cannot be written or read (a 503 page; nothing was saved).
    "tolerance.middleware.StorageErrorMiddleware",
    # Last: turns a locked-out login into the login page with the lockout message.
    "axes.middleware.AxesMiddleware",
]

# Viewflow's own elements for these widgets are undefined or broken in its script (tolerance/form_renderers.py).
VIEWFLOW = {
    "WIDGET_RENDERERS": {
        "django.forms.CheckboxSelectMultiple": "tolerance.form_renderers.CheckboxListRenderer",
        "django.forms.SelectMultiple": "tolerance.form_renderers.CheckboxListRenderer",
    }
}

ROOT_URLCONF = "composition.urls"
WSGI_APPLICATION = "tolerance.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "tolerance.context_processors.site_context",
            ],
        },
    },
]

DATABASES = {"default": env.get_database(VAR_DIR / "tolerance.sqlite3")}
# A read replica of the primary for lists, statistics and exports (tolerance/db_routing.py); in tests
# it is a second connection to the test database.
_replica = env.get_database(None, name="DATABASE_REPLICA_URL")
if _replica is not None:
    DATABASES["replica"] = {**_replica, "TEST": {"MIRROR": "default"}}
DATABASE_ROUTERS = ["tolerance.db_routing.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env.get_str("TOLERANCE_CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"TOLERANCE_CACHE_URL must be a redis:// URL, got {env.redact_url(CACHE_URL)!r}.")
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}}
else:
    # A file cache is shared by every worker process, which rate limiting needs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(VAR_DIR / "cache"),
        }
    }

AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account or address is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    # Django's, with the profile and institution joined (sessions signed in before this change sign in again).
    "tolerance.auth_backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
# Campus sign-on servers by institution code, "GUET=https://cas.guet.edu.cn/cas/,GXNU=…"; an institution
# administrator can also set theirs on the institution pages (this setting wins).
CAS_SERVERS = {}
for _entry in env.get_list("TOLERANCE_CAS_SERVERS", []):
    _code, _separator, _url = _entry.partition("=")
    if not _separator or not _url.startswith(("https://", "http://")):
        raise ImproperlyConfigured(f"TOLERANCE_CAS_SERVERS entries must be CODE=https://…, got {_entry!r}.")
    CAS_SERVERS[_code.strip().upper()] = _url.strip()
# Login protection (django-axes): after this many failed logins an account, and separately a client
# address, is locked until the cool-off passes or an administrator unlocks it (admin, or `axes_reset`).
AXES_FAILURE_LIMIT = env.get_int("TOLERANCE_LOGIN_FAILURE_LIMIT", 5, minimum=1)
AXES_COOLOFF_TIME = datetime.timedelta(minutes=env.get_int("TOLERANCE_LOGIN_COOLOFF_MINUTES", 30, minimum=1))
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_RESET_ON_SUCCESS = True
# Behind trusted proxies the lockout counts the real client address, as the rate limits and the audit do.
AXES_CLIENT_IP_CALLABLE = "tolerance.request_context.client_address"
AXES_LOCKOUT_CALLABLE = "tolerance.views.accounts.lockout_response"
# The password-reset form sends mail: requests per client address (django-ratelimit syntax).
PASSWORD_RESET_RATE = env.get_str("TOLERANCE_PASSWORD_RESET_RATE", "5/h")
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "login"

# Guardian on viewflow's proxy Process models must key permissions by the proxy's own content type.
GUARDIAN_GET_CONTENT_TYPE = "tolerance.permissions.get_content_type"
GUARDIAN_RAISE_403 = False
ANONYMOUS_USER_NAME = None

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
# Ours first, then our translations of viewflow's own strings (viewflow ships an empty zh_Hans catalog);
# both take precedence over the installed apps' catalogs.
LOCALE_PATHS = [BASE_DIR / "tolerance" / "locale", BASE_DIR / "tolerance" / "locale_viewflow"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.get_path("TOLERANCE_MEDIA_ROOT", VAR_DIR / "media")
# "archive" holds evidence files and issued decisions, content-addressed and written once (see
# tolerance/file_store.py); "checkpoints" the signed audit checkpoint copies kept outside the database
# (tolerance/audit/checkpoints.py). By default both are local disk: the archive at MEDIA_ROOT (no
# "location", so it follows that setting), the checkpoints at AUDIT_CHECKPOINT_DIR, with owner-only
# files as the store always wrote them: evidence is confidential.
# With TOLERANCE_S3_BUCKET both live in one S3-compatible bucket (django-storages over boto3,
# tolerance/object_storage.py), which is what lets several app servers serve one site
# (docs/operations.md): the archive under TOLERANCE_S3_PREFIX, the checkpoints under
# <prefix>/audit-checkpoints/.
# "default" and "staticfiles" are Django's own defaults, spelled out because STORAGES replaces them all.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "archive": {
        "BACKEND": "tolerance.file_store.WriteOnceFileSystemStorage",
        "OPTIONS": {"file_permissions_mode": 0o600},
    },
    "checkpoints": {
        "BACKEND": "tolerance.audit.checkpoints.CheckpointDirectoryStorage",
        "OPTIONS": {"file_permissions_mode": 0o600},
    },
}
S3_BUCKET = env.get_str("TOLERANCE_S3_BUCKET")
if S3_BUCKET:
    _s3_style = env.get_str("TOLERANCE_S3_ADDRESSING_STYLE", "auto")
    if _s3_style not in ("auto", "path", "virtual"):
        raise ImproperlyConfigured(f"TOLERANCE_S3_ADDRESSING_STYLE must be auto, path or virtual, got {_s3_style!r}.")
    _s3_prefix = env.get_str("TOLERANCE_S3_PREFIX", "").strip("/")
    _s3_options = {
        "bucket_name": S3_BUCKET,
        "endpoint_url": env.get_str("TOLERANCE_S3_ENDPOINT_URL"),
        "region_name": env.get_str("TOLERANCE_S3_REGION"),
        # Unset: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
        "access_key": env.get_str("TOLERANCE_S3_ACCESS_KEY_ID"),
        "secret_key": env.get_str("TOLERANCE_S3_SECRET_ACCESS_KEY"),
        "addressing_style": _s3_style,
    }
    STORAGES["archive"] = {
        "BACKEND": "tolerance.object_storage.ObjectStorage",
        "OPTIONS": {**_s3_options, "location": _s3_prefix},
    }
    STORAGES["checkpoints"] = {
        "BACKEND": "tolerance.object_storage.ObjectStorage",
        "OPTIONS": {**_s3_options, "location": f"{_s3_prefix}/audit-checkpoints".lstrip("/")},
    }
KEY_DIR = env.get_path("TOLERANCE_KEY_DIR", VAR_DIR / "pki")
AUDIT_CHECKPOINT_DIR = env.get_path("TOLERANCE_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
# The deployment's key that signs audit checkpoints (PEM, EC); created for development by `init_pki`.
AUDIT_SIGNING_KEY_PATH = env.get_path("TOLERANCE_AUDIT_KEY", KEY_DIR / "deployment.key.pem")
AUDIT_SIGNING_KEY_PASSPHRASE = env.get_str("TOLERANCE_AUDIT_KEY_PASSPHRASE")
# Public keys (or certificates, PEM) of earlier deployment keys, so checkpoints they signed still verify.
AUDIT_RETIRED_KEYS_DIR = env.get_path("TOLERANCE_AUDIT_RETIRED_KEYS", KEY_DIR / "retired-audit-keys")
# How many 403s to anonymous visitors, and how many failed logins, are recorded per client address
# (django-ratelimit syntax; each kind counted separately).
AUDIT_ANONYMOUS_DENIALS_RATE = "20/m"
# Lets a PostgreSQL session TRUNCATE the append-only audit tables. Only the test settings turn it on.
AUDIT_ALLOW_TRUNCATE = False
# Decision signing: one PKCS#12 per institution, <dir>/<CODE>.p12, passphrase from the environment.
SIGNING_PKCS12_DIR = env.get_path("TOLERANCE_SIGNING_PKCS12_DIR", KEY_DIR / "institutions")
SIGNING_PASSPHRASE = env.get_str("TOLERANCE_SIGNING_PASSPHRASE")
TSA_URL = env.get_str("TOLERANCE_TSA_URL")
TRUST_ROOTS_PATH = env.get_path("TOLERANCE_TRUST_ROOTS", KEY_DIR / "root-ca.cert.pem")
PUBLIC_BASE_URL = env.get_str("TOLERANCE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Decisions: the sealing implementation (see tolerance/decisions/sealing.py), the public verification
# page's upload cap and rate limit (django-ratelimit syntax, per client IP).
DECISION_SEALER = "tolerance.decisions.pades.PadesSealer"
# Who seals the deployment-wide annual report: its certificate is the PKCS#12 named by `code` in
# SIGNING_PKCS12_DIR, like an institution's (the development PKI mints it on first use).
DEPLOYMENT_SEAL = {"code": "PILOT", "name_zh": "桂林市科学技术局"}
DECISION_VERIFY_UPLOAD_MAX_BYTES = 10 * 1024 * 1024
DECISION_VERIFY_RATE = env.get_str("TOLERANCE_DECISION_VERIFY_RATE", "30/h")

ATTACHMENT_MAX_BYTES = env.get_int("TOLERANCE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Types accepted for evidence, as detected from the content by libmagic.
ATTACHMENT_ALLOWED_TYPES = {
    "application/pdf": _("PDF document"),
    "image/png": _("PNG image"),
    "image/jpeg": _("JPEG image"),
    "image/gif": _("GIF image"),
    "image/tiff": _("TIFF image"),
    "image/webp": _("WebP image"),
    "text/plain": _("Plain text"),
    "text/csv": _("CSV table"),
    "application/msword": _("Word document"),
    "application/vnd.ms-excel": _("Excel spreadsheet"),
    "application/vnd.ms-powerpoint": _("PowerPoint presentation"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Word document"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("Excel spreadsheet"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _("PowerPoint presentation"),
    "application/vnd.oasis.opendocument.text": _("OpenDocument text"),
    "application/vnd.oasis.opendocument.spreadsheet": _("OpenDocument spreadsheet"),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

# console:// (default), smtp://user:password@host:25, smtp+tls://…:587 (STARTTLS) or smtps://…:465.
globals().update(env.get_email("DJANGO_EMAIL_URL", "console://"))
DEFAULT_FROM_EMAIL = env.get_str("DJANGO_DEFAULT_FROM_EMAIL", "tolerance@localhost")

# Production is served over HTTPS (DJANGO_DEBUG off); these follow from it unless set explicitly.
SECURE_COOKIES = env.get_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SECURE_SSL_REDIRECT = env.get_bool("DJANGO_SECURE_SSL_REDIRECT", SECURE_COOKIES)
SECURE_HSTS_SECONDS = env.get_int("DJANGO_SECURE_HSTS_SECONDS", 31536000 if SECURE_COOKIES else 0, minimum=0)
# Behind a reverse proxy that terminates TLS, Django only knows the request was HTTPS from this header;
# trust it only when the proxy always sets it, or a client could claim HTTPS itself.
if env.get_bool("DJANGO_TRUST_X_FORWARDED_PROTO", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# How many reverse proxies stand in front of the site, each appending to X-Forwarded-For: the client's
# address (rate limits, audit events) is then the entry that many places from the right
# (tolerance.request_context.client_address). 0: REMOTE_ADDR, and the header is ignored.
TRUSTED_PROXIES = env.get_int("TOLERANCE_TRUSTED_PROXIES", 0, minimum=0)
RATELIMIT_IP_META_KEY = "tolerance.request_context.ratelimit_address"
# HSTS covers this host only: a university's other subdomains are not ours to force onto HTTPS.
SILENCED_SYSTEM_CHECKS = ["security.W005", "security.W021"]
X_FRAME_OPTIONS = "DENY"
# Viewflow's Material pages need inline style attributes, but no inline or foreign scripts.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "font-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("DJANGO_LOG_LEVEL", "WARNING")},
}

# Notification e-mails (tolerance.notifications.delivery) are sent by the scheduler's job, which runs this
# often (so a notice's e-mail leaves within about this many seconds of the change, plus the scheduler's tick);
# a failed send is retried after this many seconds, doubling each time, and given up after this many attempts
# (the notice stays on the site).
NOTIFICATION_EMAIL_SEND_SECONDS = env.get_int("TOLERANCE_EMAIL_SEND_SECONDS", 15, minimum=1)
NOTIFICATION_EMAIL_RETRY_SECONDS = 60
NOTIFICATION_EMAIL_MAX_ATTEMPTS = 8
# Where the scheduler keeps its per-job lock files on SQLite (PostgreSQL uses advisory locks).
SCHEDULER_LOCK_DIR = VAR_DIR / "scheduler-locks"
# Demo time (moving a demo case past its waiting period) exists only in development.
DEMO_TIME_ENABLED = DEBUG
