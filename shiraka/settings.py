"""One settings module, read from the environment.

With no environment at all it runs a local development site on SQLite under var/.
In production set DEBUG=false, SECRET_KEY, ALLOWED_HOSTS, DATABASE_URL and the e-mail settings.
"""

from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

from shiraka.env import env, envbool, envint, envlist

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env("SHIRAKA_VAR_DIR", str(BASE_DIR / "var")))

DEBUG = envbool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-development-key-only-used-with-debug-on"

ALLOWED_HOSTS = envlist("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = envlist("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.forms",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_tasks_db",
    "core",
    "accounts",
    "partners",
    "training",
    "people",
    "nominations",
    "attendance",
    "certificates",
    "evaluations",
    "reports",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

if envbool("QUERY_COUNT_HEADER", False):  # the benchmark reads each response's query count
    MIDDLEWARE.insert(0, "core.middleware.QueryCountMiddleware")

ROOT_URLCONF = "shiraka.urls"
WSGI_APPLICATION = "shiraka.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "core.context_processors.site",
            ],
        },
    },
]
FORM_RENDERER = "core.forms.BootstrapFormRenderer"

# Database: SQLite under var/ unless DATABASE_URL says otherwise.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{VAR_DIR / 'shiraka.sqlite3'}"),
        conn_max_age=envint("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # Writers take the lock at BEGIN so that two writers never deadlock on an upgrade;
    # WAL lets readers go on while one writes. Each connection keeps SQLITE_CACHE_MB of pages
    # (SQLite's default is 2): rows a list reads by id are scattered over a large file, and the
    # system's file cache does not keep them for long on a small machine.
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": (
            f"PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
            f"PRAGMA cache_size=-{envint('SQLITE_CACHE_MB', 64) * 1024};"
        ),
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Requests run short queries side by side on few cores. Parallel workers raced down an index
    # for a page of twelve search results (220 ms instead of 8); one process per query is faster.
    options = DATABASES["default"].setdefault("OPTIONS", {})
    options["options"] = env("PG_OPTIONS", "-c max_parallel_workers_per_gather=0")
    # Parameters bound by the server, and a statement run a few times on a connection prepared:
    # the same short queries come again on every page, and planning a four-table join took as
    # long as running it. PG_PREPARE_THRESHOLD= (empty) turns preparing off, for a pooler
    # (such as PgBouncer in transaction mode) that cannot keep prepared statements.
    options["server_side_binding"] = True
    threshold = env("PG_PREPARE_THRESHOLD", "2")
    options["prepare_threshold"] = int(threshold) if threshold else None
# How many statements a PostgreSQL connection keeps prepared (psycopg's default is 100). A worker
# serving every page met about 250 (a list read by id is one statement per length of its list),
# so the least recent were dropped and prepared again all the time: pages took 1 to 2 ms longer.
PG_PREPARED_MAX = envint("PG_PREPARED_MAX", 2000)
# How many table pages a PostgreSQL connection asks the disk for ahead of a bitmap scan
# (effective_io_concurrency; 0 leaves the server's setting). A search's scan reads its matches'
# pages one by one, each waiting on the disk when it is not cached: on a virtual machine's disk,
# 120 first names searched cold took 10-14 ms on average one by one, 3.1-3.2 ms with 128.
PG_IO_CONCURRENCY = envint("PG_IO_CONCURRENCY", 128)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

SESSION_ENGINE = "accounts.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = ["accounts.backends.UserBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "core:home"
LOGOUT_REDIRECT_URL = "core:home"

LANGUAGE_CODE = "en"
LANGUAGES = [("ar", _("Arabic")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = env("TIME_ZONE", "Asia/Kuwait")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(VAR_DIR / "media")))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if not env("CACHE_URL")
    else {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": env("CACHE_URL")},
    # Rendered pieces of templates that change only with a deployment (the menu of each role):
    # each process keeps its own, with no round trip to a shared cache.
    "fragments": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "fragments"},
}
# How long a process keeps the areas and nations that lists filter by (core.references): a change
# made through another process shows in this one's filters within this many seconds.
REFERENCE_SECONDS = envint("REFERENCE_SECONDS", 300)

# E-mail goes to the console until an SMTP server is configured.
if env("EMAIL_HOST"):
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": env("EMAIL_HOST"),
                "port": envint("EMAIL_PORT", 587),
                "username": env("EMAIL_HOST_USER") or None,
                "password": env("EMAIL_HOST_PASSWORD") or None,
                "use_tls": envbool("EMAIL_USE_TLS", True),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")}}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "Shiraka <noreply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Background work: run at once unless a queue is configured (django-tasks-db workers).
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", "django.tasks.backends.immediate.ImmediateBackend"),
    }
}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "accounts.backends.ApiTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "core.drf.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "core.drf.exception_handler",
    "DEFAULT_THROTTLE_RATES": {"verify": env("VERIFY_THROTTLE", "30/min")},
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Shiraka API",
    "DESCRIPTION": "The API partner nations' systems integrate against.",
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "NominationStatusEnum": "nominations.models.NominationStatus",
        "OfferingStatusEnum": "training.models.Status",
        "AttendanceStatusEnum": "attendance.models.AttendanceStatus",
    },
}

# The centre this installation runs.
CENTRE_NAME_EN = env("CENTRE_NAME_EN", "NATO-ICI Regional Centre")
CENTRE_NAME_AR = env("CENTRE_NAME_AR", "المركز الإقليمي لحلف الناتو ومبادرة إسطنبول للتعاون")
DEMO_PASSWORD = env("DEMO_PASSWORD", "shiraka-demo")
CENTRE_LOGO = env("CENTRE_LOGO", str(BASE_DIR / "static" / "img" / "logo.svg"))
CERTIFICATE_PREFIX = env("CERTIFICATE_PREFIX", "ICI")
# The address e-mails and certificates link to.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

if not DEBUG:
    SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", 31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", True)
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "WARNING")},
}

# Failed API logins allowed per client and user name before 429, and the window in seconds.
TOKEN_FAILURE_LIMIT = envint("TOKEN_FAILURE_LIMIT", 5)
TOKEN_FAILURE_WINDOW = envint("TOKEN_FAILURE_WINDOW", 300)
