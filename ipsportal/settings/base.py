"""Every setting lives here; test.py and production.py only change what differs.

With nothing set in the environment, the portal runs on a SQLite file and a Celery broker
on the file system (kombu's filesystem transport), with real worker processes.
DATABASE_URL and REDIS_URL switch to PostgreSQL and Redis.
"""

from datetime import timedelta
from pathlib import Path

from celery.schedules import crontab
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

from ipsportal.settings import env

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = Path(env.optional("IPSPORTAL_VAR_DIR", str(BASE_DIR / "var")))

# Development-only defaults. production.py requires real values from the environment.
SECRET_KEY = env.optional("SECRET_KEY", "dev-only-insecure-secret-key-change-me-in-production-1234")
DEBUG = env.flag("DEBUG", default=True)
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env.listing("CSRF_TRUSTED_ORIGINS")

# CPR numbers are encrypted with Fernet (MultiFernet: the first key encrypts, all keys decrypt,
# so keys can be rotated) and looked up through an HMAC-SHA256 digest with a separate key.
CPR_ENCRYPTION_KEYS = env.listing(
    "CPR_ENCRYPTION_KEYS", "ZGV2LW9ubHktY3ByLWtleS1kby1ub3QtdXNlLTEyMzQ="
)
CPR_HASH_KEY = env.optional("CPR_HASH_KEY", "dev-only-cpr-hash-key-do-not-use-in-production")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.forms",
    "django_htmx",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "guardian",
    # OpenID Connect sign-in (staff: their organisation's provider; citizens: a MitID broker).
    # Only allauth's protocol side is used; ipsportal/signin decides what a sign-in becomes.
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "ipsportal.core",
    "ipsportal.accounts",
    "ipsportal.citizens",
    "ipsportal.audit",
    "ipsportal.notifications",
    "consent",
    "cases",
    "meetings",
    "reporting",
    "selfservice",
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "ipsportal.core.middleware.RequestIdMiddleware",
    "ipsportal.audit.middleware.AccessLogPerRequestMiddleware",
    "consent.middleware.ConsentedReadsPerRequestMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ipsportal.core.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "ipsportal.core.middleware.AbsoluteSessionLifetimeMiddleware",
    # Before SignInRequiredMiddleware: a citizen's session gets 404 on staff pages, not a
    # redirect to the staff sign-in.
    "ipsportal.citizens.middleware.CitizenSessionMiddleware",
    # Inside CitizenSessionMiddleware and the chosen language: its page leads a citizen to their
    # own start page, in their language.
    "ipsportal.core.error_pages.MethodNotAllowedPageMiddleware",
    "ipsportal.accounts.middleware.SignInRequiredMiddleware",
    # django-otp's OTPMiddleware, keeping the verified device and the user's roles and
    # organisations in the session between requests.
    "ipsportal.accounts.session_facts.StaffSessionFactsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "ipsportal.accounts.middleware.TwoFactorRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "ipsportal.core.middleware.NoStoreForSignedInMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "ipsportal.urls"
# Form widgets render through the project's templates (templates/django/forms/): a length limit
# is counted in the page instead of the browser cutting what was typed.
FORM_RENDERER = "django.forms.renderers.TemplatesSetting"
WSGI_APPLICATION = "ipsportal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "OPTIONS": {
            # Django's cached loader over the project's and the apps' templates, which renders a
            # plain {% translate %} once per language (ipsportal/core/template_loader.py).
            "loaders": [
                (
                    "ipsportal.core.template_loader.Loader",
                    [
                        "django.template.loaders.filesystem.Loader",
                        "django.template.loaders.app_directories.Loader",
                    ],
                )
            ],
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "reporting.context_processors.navigation",
                "ipsportal.core.context_processors.languages_offered",
                "ipsportal.notifications.context_processors.notifications_unread",
                "ipsportal.signin.sessions.session_timeout",
            ],
            "builtins": [
                "ipsportal.core.templatetags.builtin_dates",
                "ipsportal.core.templatetags.builtin_links",
            ],
        },
    },
]

DATABASES = env.databases(
    env.optional("DATABASE_URL", f"sqlite:///{VAR_DIR / 'ipsportal.sqlite3'}"),
    conn_max_age=int(env.optional("DATABASE_CONN_MAX_AGE", "0")),
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the web process and the Celery worker share the demo file.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    # The demo's SQLite builds covering indexes without their included columns: the same index,
    # a little less fast, which is all the demo needs.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]
# The managers' dashboards read from the read replica when one is given.
DASHBOARD_DATABASE = "replica" if "replica" in DATABASES else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
# Repeated failed logins lock out for a while (django-axes, first backend); every failure and
# lockout is logged. A username is locked after 5 failures from anywhere; one machine (address
# and browser) after 5 failures in a row over any usernames, which stops password spraying. A
# success resets the count, so a municipality's staff behind one address are not locked out by
# one colleague's typos.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "ipsportal.accounts.backends.StaffModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AXES_FAILURE_LIMIT = int(env.optional("LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(env.optional("LOGIN_LOCKOUT_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = ["username", ["ip_address", "user_agent"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_VERBOSE = True

PASSWORD_HASHERS = [
    "ipsportal.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Every staff account signs in with a second factor (ipsportal/accounts/two_factor.py): a TOTP
# authenticator app, with single-use recovery codes.
OTP_TOTP_ISSUER = "IPS Portal"
# Only `make demo` turns this on: the verify page then shows the demo user's current code.
# production.py refuses to start with it.
DEMO_SHOW_SECOND_FACTOR = env.flag("DEMO_SHOW_SECOND_FACTOR", default=False)

# OpenID Connect (ipsportal/signin, docs/sign-in.md). allauth speaks the protocol (state,
# PKCE, the code exchange, the ID token's issuer, audience and expiry); the adapter turns a
# verified sign-in into a staff session or a citizen session, or a Danish refusal, and never
# lets allauth make an account by itself. Staff providers are rows (IdentityProvider, in the
# admin); the citizens' MitID broker is configured here.
SOCIALACCOUNT_ADAPTER = "ipsportal.signin.adapter.PortalSocialAccountAdapter"
SOCIALACCOUNT_LOGIN_ON_GET = False  # the sign-in starts with a POST from the portal's own page
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = {"openid_connect": {"OAUTH_PKCE_ENABLED": True}}
ACCOUNT_EMAIL_VERIFICATION = "none"
CITIZEN_OIDC_ISSUER = env.optional("CITIZEN_OIDC_ISSUER", "http://127.0.0.1:8011")
CITIZEN_OIDC_CLIENT_ID = env.optional("CITIZEN_OIDC_CLIENT_ID", "ips-portal-borger")
CITIZEN_OIDC_CLIENT_SECRET = env.optional(
    "CITIZEN_OIDC_CLIENT_SECRET", "dev-only-citizen-client-secret-change-me-0123456789"
)
# The claim the broker carries the CPR number in (brokers differ; NemLog-in and the MitID
# brokers each have their own name for it).
CITIZEN_OIDC_CPR_CLAIM = env.optional("CITIZEN_OIDC_CPR_CLAIM", "cpr")
CITIZEN_OIDC_SCOPE = env.listing("CITIZEN_OIDC_SCOPE", "openid,profile,cpr")
STAFF_OIDC_SCOPE = env.listing("STAFF_OIDC_SCOPE", "openid,profile,email,ips")
# A citizen's session: as short-lived as a staff session, and it reaches the citizen's own
# pages only (CitizenSessionMiddleware).

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "start"
LOGOUT_REDIRECT_URL = "login"

# Guardian: no anonymous user; object permissions are granted to unit groups only.
ANONYMOUS_USER_NAME = None
GUARDIAN_RAISE_403 = False

LANGUAGE_CODE = "da"
LANGUAGES = [("da", _("Danish")), ("en", _("English"))]
# The citizen's own pages also speak Arabic (the trauma unit's patients are refugees); the
# Arabic catalogue awaits a translator's review (README). Named in their own language, as the
# language switch shows them.
CITIZEN_LANGUAGES = [("da", "Dansk"), ("en", "English"), ("ar", "العربية")]
LOCALE_PATHS = [BASE_DIR / "locale"]
# Dates as each language writes them ("9 December 2026" in English, not Django's American).
FORMAT_MODULE_PATH = ["ipsportal.formats"]
TIME_ZONE = "Europe/Copenhagen"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Front-end packages installed by npm (package.json), served under /static/vendor/.
    ("vendor/htmx", BASE_DIR / "node_modules" / "htmx.org" / "dist"),
]
# Uploaded files that hold citizen data (consent scans) live in "private": outside the static
# root, with no URL of their own, read only through the access policy. Several web processes
# must share it: a shared volume (docker-compose.yml), or an object store's Django storage.
PRIVATE_FILES_ROOT = Path(env.optional("PRIVATE_FILES_ROOT", str(VAR_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_FILES_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "ipsportal.core.static_storage.PortalStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
# A consent scan may be at most this big; larger request bodies are refused before Django
# reads them into memory (FILE_UPLOAD_MAX_MEMORY_SIZE spills bigger files to disk).
CONSENT_DOCUMENT_MAX_BYTES = int(env.optional("CONSENT_DOCUMENT_MAX_BYTES", str(10 * 1024 * 1024)))

SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_ENGINE = "ipsportal.signin.session_store"  # Django's database sessions (see there)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_FAILURE_VIEW = "ipsportal.core.views.csrf_failure"
SESSION_COOKIE_AGE = int(timedelta(minutes=30).total_seconds())
# The idle timeout is the session's age since it was last saved; a session that changed nothing
# is saved again (renewed) once a minute, not on every request (SessionRenewalMiddleware).
SESSION_SAVE_EVERY_REQUEST = False
SESSION_RENEW_AFTER_SECONDS = 60
SESSION_ABSOLUTE_SECONDS = int(timedelta(hours=10).total_seconds())
# A signed-in page warns this long before the idle timeout and offers to stay signed in
# (templates/includes/session_timeout.html): a long text written without a request in between
# is not lost to the timeout.
SESSION_WARNING_SECONDS = 120

REDIS_URL = env.optional("REDIS_URL", "")

# The cache holds aggregates only (the dashboard's figures), never citizen data. Redis when
# REDIS_URL is set, so every web process shares it; otherwise each process keeps its own.
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "ipsportal",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# A worker sums a new snapshot's dashboard figures while the pages show the earlier ones; the
# figures reach the web processes only through a cache they share with the worker (Redis).
DASHBOARD_SUMMED_BY_WORKER = bool(REDIS_URL)

# Celery. REDIS_URL selects Redis; otherwise the filesystem transport, which needs no server.
CELERY_BROKER_DIR = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS: dict[str, object] = {
        # A task a worker took but never acknowledged (the worker died: acks_late) goes back on
        # the queue after this long, so it must be longer than any task runs.
        "visibility_timeout": int(env.optional("CELERY_VISIBILITY_TIMEOUT", "3600")),
        "unacked_restore_interval": 1 if env.optional("CELERY_VISIBILITY_TIMEOUT", "") else 60,
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_DIR / "out"),
        "data_folder_out": str(CELERY_BROKER_DIR / "out"),
        "processed_folder": str(CELERY_BROKER_DIR / "processed"),
        # kombu's default is ./control, relative to whatever directory the process started in.
        "control_folder": str(CELERY_BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("out", "processed", "control"):
        (CELERY_BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)
CELERY_TASK_ACKS_LATE = True
# Heavy recomputation has its own queue, so it never delays an interactive send.
CELERY_TASK_ROUTES = {
    "reporting.tasks.outcomes_recompute_task": {"queue": "heavy"},
    "reporting.tasks.dashboard_figures_task": {"queue": "heavy"},
}
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 15 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 14 * 60
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
# The one place the periodic jobs are scheduled.
CELERY_BEAT_SCHEDULE: dict[str, dict[str, object]] = {
    "consents-expire-nightly": {
        "task": "consent.tasks.consents_expire_task",
        "schedule": crontab(hour=0, minute=5),
    },
    "access-log-purge-nightly": {
        "task": "ipsportal.audit.tasks.access_log_purge_task",
        "schedule": crontab(hour=1, minute=30),
    },
    "case-retention-dry-run-weekly": {
        "task": "reporting.tasks.case_retention_dry_run_task",
        "schedule": crontab(hour=3, minute=0, day_of_week="monday"),
    },
    "outcomes-recompute-nightly": {
        "task": "reporting.tasks.outcomes_recompute_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "outbox-sweep": {
        "task": "ipsportal.core.tasks.outbox_sweep_task",
        "schedule": 60.0,
    },
    "notifications-due-daily": {
        "task": "cases.tasks.notifications_due_task",
        "schedule": crontab(hour=6, minute=30),
    },
    "meeting-reminders-daily": {
        "task": "meetings.tasks.meeting_reminders_task",
        "schedule": crontab(hour=7, minute=0),
    },
}

# Reminders to staff: written as files under var/mail here; production sends them by SMTP.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "OPTIONS": {"file_path": str(VAR_DIR / "mail")},
    }
}
DEFAULT_FROM_EMAIL = env.optional("DEFAULT_FROM_EMAIL", "ips-portal@localhost")

# Letters to the citizen's digital mailbox (meetings/digitalpost.py): a backend like Django's
# email backends. The default file outbox writes each letter under var/digital-post.
# The portal's own address, for links in e-mails (notifications).
PORTAL_URL = env.optional("PORTAL_URL", "http://127.0.0.1:8000")
DIGITAL_POST_BACKEND = env.optional(
    "DIGITAL_POST_BACKEND", "meetings.digitalpost.FileOutboxBackend"
)
DIGITAL_POST_OUTBOX = Path(env.optional("DIGITAL_POST_OUTBOX", str(VAR_DIR / "digital-post")))
DIGITAL_POST_RETRY_SECONDS = int(env.optional("DIGITAL_POST_RETRY_SECONDS", "60"))
DIGITAL_POST_MAX_ATTEMPTS = int(env.optional("DIGITAL_POST_MAX_ATTEMPTS", "6"))

# Where registration looks up a citizen's name and address (ipsportal/citizens/cpr_register.py);
# the default looks nothing up and keeps what the user typed.
CPR_REGISTER_BACKEND = env.optional(
    "CPR_REGISTER_BACKEND", "ipsportal.citizens.cpr_register.NoCprRegister"
)

# How long access-log rows are kept; the nightly purge removes older ones and records it.
ACCESS_LOG_RETENTION_DAYS = int(env.optional("ACCESS_LOG_RETENTION_DAYS", str(5 * 365 + 1)))

# Citizens whose courses all ended longer ago than this are anonymised by the retention job.
CASE_RETENTION_YEARS = int(env.optional("CASE_RETENTION_YEARS", "10"))

# IPS rules that are settings, not code (docs/domain.md rule 2).
IPS_CASELOAD_PER_FTE = int(env.optional("IPS_CASELOAD_PER_FTE", "20"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_id": {"()": "ipsportal.core.logging.RequestIdFilter"}},
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"}
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": env.optional("LOG_LEVEL", "INFO")},
    # WeasyPrint and fontTools log every rendering step at INFO.
    "loggers": {
        "weasyprint": {"level": "WARNING"},
        "axes": {"level": "WARNING"},  # failures and lockouts are warnings; start-up chatter not
        "fontTools": {"level": "WARNING"},
    },
}
