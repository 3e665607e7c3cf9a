"""Django settings, read from the environment (see README, "Configuration")."""

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
            "DJANGO_SECRET_KEY must be set when DJANGO_DEBUG is off "
            "(`make run` sets DJANGO_DEBUG=true for local use)."
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
    "django.contrib.humanize",
    "django_filters",
    "guardian",
    "viewflow",
    "viewflow.workflow",
    "tolerance",
    "tolerance.audit",
    "tolerance.decisions",
    "workflows",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tolerance.middleware.RequestContextMiddleware",
]

ROOT_URLCONF = "tolerance.urls"
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
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

CACHE_URL = env.get_str("TOLERANCE_CACHE_URL")
if CACHE_URL:
    if not CACHE_URL.startswith(("redis://", "rediss://")):
        raise ImproperlyConfigured(f"TOLERANCE_CACHE_URL must be a redis:// URL, got {CACHE_URL!r}.")
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
    "django.contrib.auth.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
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
LOCALE_PATHS = [BASE_DIR / "tolerance" / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = env.get_path("TOLERANCE_MEDIA_ROOT", VAR_DIR / "media")
KEY_DIR = env.get_path("TOLERANCE_KEY_DIR", VAR_DIR / "pki")
AUDIT_CHECKPOINT_DIR = env.get_path("TOLERANCE_CHECKPOINT_DIR", VAR_DIR / "audit-checkpoints")
# The deployment's key that signs audit checkpoints (PEM, EC); created for development by `init_pki`.
AUDIT_SIGNING_KEY_PATH = env.get_path("TOLERANCE_AUDIT_KEY", KEY_DIR / "deployment.key.pem")
AUDIT_SIGNING_KEY_PASSPHRASE = env.get_str("TOLERANCE_AUDIT_KEY_PASSPHRASE")
# Decision signing: one PKCS#12 per institution, <dir>/<CODE>.p12, passphrase from the environment.
SIGNING_PKCS12_DIR = env.get_path("TOLERANCE_SIGNING_PKCS12_DIR", KEY_DIR / "institutions")
SIGNING_PASSPHRASE = env.get_str("TOLERANCE_SIGNING_PASSPHRASE")
TSA_URL = env.get_str("TOLERANCE_TSA_URL")
TRUST_ROOTS_PATH = env.get_path("TOLERANCE_TRUST_ROOTS", KEY_DIR / "root-ca.cert.pem")
PUBLIC_BASE_URL = env.get_str("TOLERANCE_PUBLIC_BASE_URL", "http://127.0.0.1:8000")

ATTACHMENT_MAX_BYTES = env.get_int("TOLERANCE_ATTACHMENT_MAX_BYTES", 20 * 1024 * 1024, minimum=1)
# Types accepted for evidence, as detected from the content by libmagic.
ATTACHMENT_ALLOWED_TYPES = {
    "application/pdf": _("PDF 文档"),
    "image/png": _("PNG 图片"),
    "image/jpeg": _("JPEG 图片"),
    "image/gif": _("GIF 图片"),
    "image/tiff": _("TIFF 图片"),
    "image/webp": _("WebP 图片"),
    "text/plain": _("纯文本"),
    "text/csv": _("CSV 表格"),
    "application/msword": _("Word 文档"),
    "application/vnd.ms-excel": _("Excel 表格"),
    "application/vnd.ms-powerpoint": _("PowerPoint 演示文稿"),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": _("Word 文档"),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": _("Excel 表格"),
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": _("PowerPoint 演示文稿"),
    "application/vnd.oasis.opendocument.text": _("OpenDocument 文本"),
    "application/vnd.oasis.opendocument.spreadsheet": _("OpenDocument 表格"),
    "application/vnd.ms-office": _("Office 文档"),
    "application/x-ole-storage": _("Office 文档"),
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

EMAIL_URL = env.get_str("DJANGO_EMAIL_URL", "console://")
if EMAIL_URL.startswith("console://"):
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
elif EMAIL_URL.startswith("smtp://"):
    from urllib.parse import urlsplit

    _email = urlsplit(EMAIL_URL)
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = _email.hostname or "localhost"
    EMAIL_PORT = _email.port or 25
    EMAIL_HOST_USER = _email.username or ""
    EMAIL_HOST_PASSWORD = _email.password or ""
else:
    raise ImproperlyConfigured(f"DJANGO_EMAIL_URL must be console:// or smtp://…, got {EMAIL_URL!r}.")
DEFAULT_FROM_EMAIL = env.get_str("DJANGO_DEFAULT_FROM_EMAIL", "tolerance@localhost")

SECURE_COOKIES = env.get_bool("DJANGO_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env.get_str("DJANGO_LOG_LEVEL", "WARNING")},
}

VIEWFLOW = {}
