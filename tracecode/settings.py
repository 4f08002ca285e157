"""Tracecode settings: one module, every value from a TRACECODE_… environment variable.

The defaults are safe for one person on one machine: SQLite in ./data, DEBUG off,
only loopback hosts, a secret key generated once into the data folder.
"""

import os
import re
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from tracecode import private_files, storage

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    """The TRACECODE_<name> environment variable, or the default."""
    return os.environ.get(f"TRACECODE_{name}", default)


def env_bool(name: str, default: bool = False) -> bool:
    """A yes/no TRACECODE_ variable: 1/true/yes/on is true."""
    value = env(name)
    if not value:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    """A comma-separated TRACECODE_ variable as a list of non-empty items."""
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


def refuse_to_start(message: str) -> None:
    """Stop with one clear line instead of a traceback: bad settings are the operator's to fix."""
    raise SystemExit(f"tracecode: {message}")


DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / "data"))).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)


def secret_key() -> str:
    """The configured secret key, else one generated once and kept in the data folder."""
    if configured := env("SECRET_KEY"):
        return configured
    return private_files.read_or_create(DATA_DIR / "secret_key", lambda: secrets.token_urlsafe(50))


SECRET_KEY = secret_key()
DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# HTTPS: secure cookies, HSTS and the redirect belong together, behind a TLS proxy.
HTTPS = env_bool("HTTPS")
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = int(env("HSTS_SECONDS", "31536000")) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS
# Behind a TLS proxy: trust its X-Forwarded-Proto, and take the client's address from
# X-Forwarded-For, that many proxies from the right (never when no proxy is declared).
BEHIND_PROXY = env_bool("BEHIND_PROXY")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")


def trusted_proxies() -> int:
    """TRACECODE_TRUSTED_PROXIES: how many proxies stand in front of the app, default 1."""
    value = env("TRUSTED_PROXIES", "1").strip()
    if not re.fullmatch(r"[1-9][0-9]{0,2}", value):
        refuse_to_start(f"TRACECODE_TRUSTED_PROXIES must be a number from 1 to 999: {value!r}")
    return int(value)


TRUSTED_PROXIES = trusted_proxies()
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_AGE = int(env("SESSION_HOURS", "12")) * 3600
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF, "data:"],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}

INSTALLED_APPS = [
    "tracecode.accounts",
    "tracecode.web",
    "tracecode.codes",
    "tracecode.customers",
    "tracecode.registers",
    "tracecode.company",
    "tracecode.sales",
    "tracecode.contracts",
    "tracecode.payments",
    "tracecode.files",
    "tracecode.search",
    "tracecode.mail",
    "tracecode.enquiries",
    "tracecode.records",
    "tracecode.backups",
    "tracecode.labels",
    "tracecode.inbox",
    "tracecode.leads",
    "tracecode.care",
    "tracecode.reports",
    "tracecode.imports",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_tasks_db",
    "ninja",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "tracecode.web.middleware.never_store",  # below WhiteNoise: static files stay cacheable
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "tracecode.web.refusals.refuse_bad_requests",
]

ROOT_URLCONF = "tracecode.urls"
WSGI_APPLICATION = "tracecode.wsgi.application"

# Django's templates, but select boxes written in Python (tracecode/web/forms_renderer.py).
FORM_RENDERER = "tracecode.web.forms_renderer.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tracecode" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]


def database(url: str) -> dict:
    """Django's DATABASES entry for a TRACECODE_DATABASE_URL, tuned per engine."""
    try:
        config = dj_database_url.parse(url)
    except Exception as error:  # dj-database-url raises several types for a bad URL
        refuse_to_start(f"TRACECODE_DATABASE_URL is not a database URL ({error}): {url!r}")
    engine = config.get("ENGINE", "")
    if engine == "django.db.backends.sqlite3":
        # WAL lets readers work while one writer writes; IMMEDIATE makes concurrent writers
        # wait for the lock (busy timeout) instead of failing with "database is locked".
        # Reads through memory-mapped pages rather than a read() and a copy each: the search
        # on 1,000,000 entries, CPU time p95, one word 21 -> 17 ms (SQLite caps the size at
        # its build's limit, 2 GB on Debian; writes still go through the WAL).
        mmap_mb = env("SQLITE_MMAP_MB", "2048").strip()
        if not re.fullmatch(r"[0-9]{1,7}", mmap_mb):
            refuse_to_start(f"TRACECODE_SQLITE_MMAP_MB must be a number of megabytes: {mmap_mb!r}")
        mmap = int(mmap_mb) * 2**20
        config["OPTIONS"] = {
            "transaction_mode": "IMMEDIATE",
            "timeout": int(env("SQLITE_BUSY_SECONDS", "30")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;"
            f" PRAGMA foreign_keys=ON; PRAGMA busy_timeout=30000; PRAGMA mmap_size={mmap};",
        }
        # Tests use a file too, beside the real one: several processes must share it.
        name = Path(config["NAME"])
        config["TEST"] = {"NAME": str(name.with_name(f"test_{name.name}"))}
    elif engine == "django.db.backends.postgresql":
        config["CONN_MAX_AGE"] = int(env("DB_CONN_MAX_AGE", "60"))
        config["CONN_HEALTH_CHECKS"] = True
        if env_bool("DB_PGBOUNCER"):
            # PgBouncer in transaction mode hands each transaction another server session:
            # psycopg 3 must not prepare statements nor Django keep server-side cursors.
            config["DISABLE_SERVER_SIDE_CURSORS"] = True
            config["OPTIONS"] = {**config.get("OPTIONS", {}), "prepare_threshold": None}
        else:
            # The search's prepared statements are planned once, generically (see
            # search/backends/postgresql.py, _prepared): Django's own statements are never
            # prepared, so this changes nothing else. Options the URL gives are kept.
            given = config.get("OPTIONS", {})
            options = f"{given.get('options', '')} -c plan_cache_mode=force_generic_plan"
            config["OPTIONS"] = {**given, "options": options.strip()}
    else:
        refuse_to_start(f"TRACECODE_DATABASE_URL must be sqlite:// or postgres://, got {url!r}")
    return config


DATABASE_URL = env("DATABASE_URL", f"sqlite:///{DATA_DIR / 'tracecode.sqlite3'}")
DATABASES = {"default": database(DATABASE_URL)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Every password check (the sign-in page, the admin site, a password change, any future
# authenticate() call) passes the lockout in this backend.
AUTHENTICATION_BACKENDS = ["tracecode.accounts.backends.ThrottledModelBackend"]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign_in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "accounts:sign_in"
# Failed sign-ins allowed per user name in the window; an address gets four times as many
# before it may only try user names that have no failures yet (tracecode/accounts/throttle.py).
SIGN_IN_FAILURES_ALLOWED = int(env("SIGN_IN_FAILURES_ALLOWED", "5"))
SIGN_IN_LOCKOUT_MINUTES = int(env("SIGN_IN_LOCKOUT_MINUTES", "15"))

LANGUAGE_CODE = env("LANGUAGE", "en")
LANGUAGES = [("en", _("English")), ("zh-hans", _("Simplified Chinese"))]
LOCALE_PATHS = [BASE_DIR / "tracecode" / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
# Our formats first (tracecode/formats/): Chinese amounts grouped by thousands.
FORMAT_MODULE_PATH = ["tracecode.formats"]
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "tracecode" / "static"]
# Every file of the client folder framework goes through Django's storage API: a local folder
# by default (TRACECODE_FILES_DIR, e.g. a mounted shared drive), or an S3-compatible bucket
# when TRACECODE_S3_BUCKET is set (django-storages, pinned in requirements.txt; a non-AWS
# server at TRACECODE_S3_ENDPOINT_URL is addressed path-style; credentials from
# AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY as boto3 reads them, or the machine's role).
# Several app servers share their files this way (README: "Outgrowing one machine").
MEDIA_ROOT = Path(env("FILES_DIR", str(DATA_DIR / "files"))).resolve()
if env("S3_BUCKET"):
    FILE_STORAGE = storage.s3(
        env("S3_BUCKET"),
        endpoint_url=env("S3_ENDPOINT_URL"),
        region=env("S3_REGION"),
        prefix=env("S3_PREFIX"),
    )
else:
    FILE_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
STORAGES = {
    "default": FILE_STORAGE,
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
# The largest file one upload may carry (TRACECODE_UPLOAD_MAX_MB, default 100).
FILES_MAX_UPLOAD_BYTES = int(float(env("UPLOAD_MAX_MB", "100")) * 1024 * 1024)
# The longest list exported inside the request (about 1 ms a row); a longer one is written
# in the background with its progress shown (TRACECODE_EXPORT_DIRECT_ROWS, default 500).
EXPORT_DIRECT_ROWS = int(env("EXPORT_DIRECT_ROWS", "500"))
# Imports write a chunk's new records together where the kind can (customers, contacts,
# projects and draft orders: 2-4x faster, see the README); TRACECODE_IMPORT_BULK=0 saves every
# row on its own, as the property tests compare.
IMPORT_BULK = env_bool("IMPORT_BULK", True)
# How many days a background export's file is kept (TRACECODE_EXPORT_KEEP_DAYS, default 7):
# older ones are deleted when the next export runs and by `tracecode exports clean`.
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS", "7"))
# What a WhatsApp export .zip may unpack to in all (TRACECODE_CHAT_UNPACKED_MAX_MB, default
# twice the upload limit: photos and videos barely compress, so a real export is near its size).
MAIL_CHAT_UNPACKED_MAX_BYTES = (
    int(float(env("CHAT_UNPACKED_MAX_MB")) * 1024 * 1024)
    if env("CHAT_UNPACKED_MAX_MB")
    else 2 * FILES_MAX_UPLOAD_BYTES
)
# Stored files and the folders made for them: the app user's only, whatever the umask.
FILE_UPLOAD_PERMISSIONS = private_files.FILE_MODE
FILE_UPLOAD_DIRECTORY_PERMISSIONS = private_files.DIRECTORY_MODE
# Uploads larger than this go to a temporary file instead of memory.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
# A request body other than uploaded files (the API's JSON with base64 mail attachments of
# up to 15 MB): larger ones are answered 413.
DATA_UPLOAD_MAX_MEMORY_SIZE = 24 * 1024 * 1024
# Also serve straight from the app folders, so a checkout works before collectstatic has run.
WHITENOISE_USE_FINDERS = True

TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}

_MAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend")
# The SMTP settings go to the SMTP backend only: another backend (locmem, console) takes no
# host or port and would fail on every mail.
_SMTP = {
    "host": env("SMTP_HOST", "127.0.0.1"),
    "port": int(env("SMTP_PORT", "25")),
    "username": env("SMTP_USER") or None,
    "password": env("SMTP_PASSWORD") or None,
    "use_tls": env_bool("SMTP_STARTTLS"),
    "use_ssl": env_bool("SMTP_SSL"),
    "timeout": 30,
}
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        "OPTIONS": _SMTP if _MAIL_BACKEND.endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env("MAIL_FROM", "tracecode@localhost")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"refusals": {"()": "tracecode.core.logs.RefusalsWithoutTraceback"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.request": {"filters": ["refusals"]}},
}

# The company's own country: customers elsewhere are international ones.
HOME_COUNTRY = env("HOME_COUNTRY", "CN")
# The company whose numbers these are: shown on the letterhead and in the page title.
COMPANY_NAME = env("COMPANY_NAME", "REKO Precision Parts Co., Ltd.")
# The demo users' password; when unset, one is generated into the data folder.
DEMO_PASSWORD = env("DEMO_PASSWORD")

# Sales: the internal due date is this many days before the customer's delivery date.
INTERNAL_DUE_DAYS = int(env("INTERNAL_DUE_DAYS", "5"))
# Credit control: confirming an order is refused while one of the customer's invoices is
# overdue by more than this many days (tracecode/care/credit.py).
CREDIT_OVERDUE_DAYS = int(env("CREDIT_OVERDUE_DAYS", "30"))
# Satisfaction surveys (tracecode/care/surveys.py): mailed this many days after an order
# ships, the link valid this many days, a reminder this many days after sending if
# unanswered; the public page takes this many requests per address in ten minutes.
SURVEY_DAYS_AFTER = int(env("SURVEY_DAYS_AFTER", "14"))
SURVEY_VALID_DAYS = int(env("SURVEY_VALID_DAYS", "30"))
SURVEY_REMIND_DAYS = int(env("SURVEY_REMIND_DAYS", "7"))
SURVEY_RATE_LIMIT = int(env("SURVEY_RATE_LIMIT", "30"))
# The address customers reach the app at, for the links in survey mails.
PUBLIC_URL = env("PUBLIC_URL", "http://127.0.0.1:8000").rstrip("/")
# Money is kept in each document's currency; reports convert to the base currency with these
# rates ("USD=7.10,EUR=7.75": one unit of each in the base currency).
BASE_CURRENCY = env("BASE_CURRENCY", "CNY")
EXCHANGE_RATES = {
    code.strip().upper(): rate.strip()
    for code, _, rate in (
        item.partition("=")
        for item in env_list("EXCHANGE_RATES", "USD=7.10,EUR=7.75,JPY=0.047,GBP=9.00,HKD=0.91")
    )
    if rate.strip()
}
# The letterhead of PI, CI and PL documents.
COMPANY_NAME_ZH = env("COMPANY_NAME_ZH", "瑞科精密零件有限公司")
COMPANY_ADDRESS = env(
    "COMPANY_ADDRESS", "No. 18 Xinghuo Road, Jiangning District, Nanjing 211100, China"
)
COMPANY_PHONE = env("COMPANY_PHONE", "+86 25 5288 0000")
COMPANY_EMAIL = env("COMPANY_EMAIL", "sales@reko-parts.example")
COMPANY_LOGO = env("COMPANY_LOGO")  # a PNG or SVG file; empty: the company name is the logo
BANK_DETAILS = env(
    "BANK_DETAILS",
    "Bank of China, Nanjing Branch · SWIFT BKCHCNBJ940 · A/C 5123 4567 8901 (USD)",
)

# Mail: the subject of a new mail starts with the code in this format.
MAIL_SUBJECT_FORMAT = env("MAIL_SUBJECT_FORMAT", "[{code}] ")
# Fetch the IMAP accounts every N minutes from the task worker (0: only `tracecode mail fetch`).
MAIL_FETCH_MINUTES = int(env("MAIL_FETCH_MINUTES", "0"))
MAIL_IMAP_CA_FILE = env("MAIL_IMAP_CA_FILE")  # an extra CA file for a private IMAP server

# Backups (tracecode/backups/): where archives are kept, a folder or s3://bucket/prefix (the
# bucket's endpoint and region from TRACECODE_BACKUP_S3_*, else TRACECODE_S3_*; credentials as
# boto3 reads them). The task worker takes and verifies one every BACKUP_HOURS (0: never) and
# keeps the newest archive of each of the last KEEP_DAILY days and KEEP_WEEKLY weeks.
BACKUP_TO = env("BACKUP_TO", str(DATA_DIR / "backups"))
BACKUP_HOURS = float(env("BACKUP_HOURS", "24"))
BACKUP_KEEP_DAILY = int(env("BACKUP_KEEP_DAILY", "7"))
BACKUP_KEEP_WEEKLY = int(env("BACKUP_KEEP_WEEKLY", "4"))
BACKUP_S3_ENDPOINT_URL = env("BACKUP_S3_ENDPOINT_URL", env("S3_ENDPOINT_URL"))
BACKUP_S3_REGION = env("BACKUP_S3_REGION", env("S3_REGION"))
# The folder of pg_dump and pg_restore; default: the newest /usr/lib/postgresql/*/bin, else PATH.
PG_BIN = env("PG_BIN")
# The watched folder (README: "The watched folder"): a file saved there whose name holds a code
# is filed under it, as TRACECODE_INBOX_USER; scanned every TRACECODE_INBOX_SECONDS by the task
# worker (0: only `tracecode inbox scan`), once its times have been still for the quiet period.
INBOX_DIR = env("INBOX_DIR")
INBOX_USER = env("INBOX_USER")
INBOX_SECONDS = int(env("INBOX_SECONDS", "60"))
INBOX_QUIET_SECONDS = int(env("INBOX_QUIET_SECONDS", "10"))


def frame_ancestors() -> list[str]:
    """TRACECODE_ENQUIRY_FORM_FRAME_ANCESTORS: the sites that may frame the enquiry form."""
    found = [item for item in re.split(r"[\s,]+", env("ENQUIRY_FORM_FRAME_ANCESTORS")) if item]
    for item in found:
        if item != "'self'" and not re.fullmatch(r"https?://[A-Za-z0-9*.\-]+(:\d+)?", item):
            refuse_to_start(
                "TRACECODE_ENQUIRY_FORM_FRAME_ANCESTORS takes origins such as "
                f"https://www.example.com, separated by spaces or commas: {item!r}"
            )
    return found


# Enquiries: a first reply is due within this many hours (flagged on the home page after).
ENQUIRY_REPLY_HOURS = int(env("ENQUIRY_REPLY_HOURS", "24"))
# The website's enquiry form (/enquiries/form/) may be framed by these sites only; empty: it
# is linked, never framed.
ENQUIRY_FORM_FRAME_ANCESTORS = frame_ancestors()
# Submissions of the form allowed an hour from one address, and from everywhere.
ENQUIRY_FORM_PER_ADDRESS = int(env("ENQUIRY_FORM_PER_ADDRESS", "5"))
ENQUIRY_FORM_PER_HOUR = int(env("ENQUIRY_FORM_PER_HOUR", "100"))
