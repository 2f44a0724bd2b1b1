"""Maillage settings, read once from the environment (see .env.example)."""

from __future__ import annotations

import secrets
import sys
from pathlib import Path

import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from maillage.core.db import database_settings
from maillage.core.tasks import huey_settings

PACKAGE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = PACKAGE_DIR.parent

env = environ.Env()
# A .env beside the project is read when present (never required).
environ.Env.read_env(PROJECT_DIR / ".env", overwrite=False)

# "production" (default), "demo" (make demo) or "test" (pytest). Only production insists on a
# real SECRET_KEY and HTTPS.
TESTING = "pytest" in sys.modules
MODE = env.str("MAILLAGE_MODE", default="test" if TESTING else "production")
DEMO = MODE == "demo"
DEBUG = env.bool("DEBUG", default=False)

DATA_DIR = Path(env.str("MAILLAGE_DATA_DIR", default=str(PROJECT_DIR / "var")))
DATA_DIR.mkdir(parents=True, exist_ok=True)


def _secret_key() -> str:
    key = env.str("SECRET_KEY", default="")
    if key:
        if MODE == "production" and (len(key) < 32 or key.startswith("change-me")):
            raise ImproperlyConfigured("SECRET_KEY is too short or still the example value.")
        return key
    if MODE == "production" and not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Generate one with: "
            'python -c "import secrets; print(secrets.token_urlsafe(50))"'
        )
    # Demo, tests and development keep a generated key in the data folder.
    key_file = DATA_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
SITE_URL = env.str("SITE_URL", default="http://127.0.0.1:8000").rstrip("/")
SITE_NAME = env.str("SITE_NAME", default="Doc@Rennes")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "huey.contrib.djhuey",
    "maillage.core",
    "maillage.members",
    "maillage.events",
    "maillage.articles",
    "maillage.articles.comments",
    "maillage.articles.syndication",
    "maillage.veille",
    "maillage.veille.sources",
    "maillage.veille.imports",
    "maillage.voices",
    "maillage.inbox",
    "maillage.showcase",
    "maillage.onboarding",
    "maillage.mailing",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "maillage.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "maillage.mailing.middleware.SuspensionNoticeMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "maillage.urls"
WSGI_APPLICATION = "maillage.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "maillage.core.context_processors.site",
            ],
            "builtins": ["maillage.core.templatetags.maillage"],
        },
    }
]

DATABASES = {"default": database_settings(env.str("DATABASE_URL", default=""), DATA_DIR)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
    }
elif TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    # Shared between gunicorn workers, which the login rate limit needs.
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
        }
    }

HUEY = huey_settings(
    redis_url=REDIS_URL or None,
    data_dir=DATA_DIR,
    immediate=env.bool("HUEY_IMMEDIATE", default=TESTING),
)

AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = ["maillage.members.auth.EmailBackend"]
LOGIN_URL = "members:login"
LOGIN_REDIRECT_URL = "members:directory"
LOGOUT_REDIRECT_URL = "core:home"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Failed logins allowed per address and per account in LOGIN_RATE_WINDOW seconds.
LOGIN_RATE_LIMIT = env.int("LOGIN_RATE_LIMIT", default=5)
LOGIN_RATE_WINDOW = env.int("LOGIN_RATE_WINDOW", default=15 * 60)
# Sign-ups allowed per client address in SIGNUP_RATE_WINDOW seconds (each one sends an email).
SIGNUP_RATE_LIMIT = env.int("SIGNUP_RATE_LIMIT", default=10)
SIGNUP_RATE_WINDOW = env.int("SIGNUP_RATE_WINDOW", default=60 * 60)

LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("French")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env.str("TIME_ZONE", default="Europe/Paris")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS: list[Path | tuple[str, Path]] = [PACKAGE_DIR / "static"]
# Browser libraries installed from the npm registry by make (never copied into the repository).
if (PROJECT_DIR / "node_modules" / "htmx.org" / "dist").is_dir():
    STATICFILES_DIRS.append(("vendor/htmx", PROJECT_DIR / "node_modules" / "htmx.org" / "dist"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if TESTING
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# Email: smtp://host:25, smtp+tls://user:password@host:587, smtp+ssl://…:465 or consolemail://.
_email = env.email_url(
    "EMAIL_URL", default="consolemail://" if DEMO or DEBUG else "smtp://localhost:25"
)
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT", 25)
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 20
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default='"Doc@Rennes" <noreply@localhost>')
SERVER_EMAIL = DEFAULT_FROM_EMAIL
EMAIL_CONFIRMATION_MAX_AGE = 3 * 24 * 3600

# The mailing list (maillage.mailing): the domain of its addresses (default: the site's host),
# the local hour digests leave at and the weekday of the weekly one (0 = Monday), the hard
# bounces that suspend a member within the window, size limits of incoming email, and the
# authserv-id of our own mail server's Authentication-Results (empty: trust none; unverified
# senders are then held for review unless they answer through their own reply address).
MAILING_DOMAIN = env.str("MAILING_DOMAIN", default="")
MAILING_DIGEST_HOUR = env.int("MAILING_DIGEST_HOUR", default=7)
MAILING_WEEKLY_DIGEST_DAY = env.int("MAILING_WEEKLY_DIGEST_DAY", default=0)
MAILING_BOUNCE_LIMIT = env.int("MAILING_BOUNCE_LIMIT", default=3)
MAILING_BOUNCE_WINDOW_DAYS = env.int("MAILING_BOUNCE_WINDOW_DAYS", default=30)
MAILING_MAX_MESSAGE_BYTES = env.int("MAILING_MAX_MESSAGE_BYTES", default=25 * 1024 * 1024)
MAILING_ATTACHMENT_MAX_BYTES = env.int("MAILING_ATTACHMENT_MAX_BYTES", default=5 * 1024 * 1024)
MAILING_AUTHSERV_ID = env.str("MAILING_AUTHSERV_ID", default="")

# Share links on event pages point at this Mastodon instance's share page (no script is loaded).
MASTODON_SHARE_URL = env.str("MASTODON_SHARE_URL", default="https://mastodon.social/share")
# Voices (maillage.voices): the Fernet key(s) encrypting channels' credentials at rest, newest
# first, comma-separated; empty: a key derived from SECRET_KEY.
VOICES_CREDENTIALS_KEY = env.str("VOICES_CREDENTIALS_KEY", default="")

# Bookmark imports (veille.imports): the largest file taken, the most rows read, and for
# spreadsheets (zip files) what they may expand to and how compressed a part of them may be.
IMPORT_MAX_BYTES = env.int("IMPORT_MAX_BYTES", default=50 * 1024 * 1024)
IMPORT_MAX_ROWS = env.int("IMPORT_MAX_ROWS", default=200_000)
IMPORT_MAX_UNCOMPRESSED_BYTES = env.int("IMPORT_MAX_UNCOMPRESSED_BYTES", default=500 * 1024 * 1024)
IMPORT_MAX_COMPRESSION_RATIO = env.int("IMPORT_MAX_COMPRESSION_RATIO", default=100)
# Pages of imported bookmarks read per minute in the background (politeness, queue room).
IMPORT_PAGES_READ_PER_MINUTE = env.int("IMPORT_PAGES_READ_PER_MINUTE", default=60)
# Days an import's file is kept once it has run (its report stays).
IMPORT_FILE_RETENTION_DAYS = env.int("IMPORT_FILE_RETENTION_DAYS", default=30)

# Outgoing HTTP (core.fetch). Loopback is refused unless explicitly allowed (tests only).
FETCH_ALLOW_LOOPBACK = env.bool("FETCH_ALLOW_LOOPBACK", default=False)
FETCH_CONNECT_TIMEOUT = env.float("FETCH_CONNECT_TIMEOUT", default=5.0)
FETCH_READ_TIMEOUT = env.float("FETCH_READ_TIMEOUT", default=15.0)
FETCH_MAX_BYTES = env.int("FETCH_MAX_BYTES", default=5 * 1024 * 1024)
FETCH_USER_AGENT = env.str("FETCH_USER_AGENT", default="Maillage/0.1 (+https://example.org)")

# Security baseline. HTTPS-only cookies and HSTS in production; the demo and the tests serve
# plain HTTP on 127.0.0.1, where secure cookies would make logging in impossible.
HTTPS = env.bool("MAILLAGE_HTTPS", default=MODE == "production" and not DEBUG)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SECURE_HSTS_SECONDS = 31536000 if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_SSL_REDIRECT = HTTPS and env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env.bool("BEHIND_PROXY", default=False) else None
)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# HSTS preload is a commitment to the browsers' preload list that only the operator can make.
SILENCED_SYSTEM_CHECKS = ["security.W021"]
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: https:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        # huey installs its own handler too; without this every worker line prints twice.
        "huey": {"handlers": ["console"], "level": "INFO", "propagate": False},
    },
}
