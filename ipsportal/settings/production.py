"""Production: every secret and address comes from the environment, and a missing one
stops the process at start-up with the variable's name."""

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from ipsportal.settings import env
from ipsportal.settings.base import *  # noqa: F403

DEBUG = False
SECRET_KEY = env.required("SECRET_KEY")
ALLOWED_HOSTS = env.listing("ALLOWED_HOSTS") or [env.required("ALLOWED_HOSTS")]
CPR_ENCRYPTION_KEYS = env.required("CPR_ENCRYPTION_KEYS").split(",")
CPR_HASH_KEY = env.required("CPR_HASH_KEY")

DATABASES = env.databases(
    env.required("DATABASE_URL"),
    conn_max_age=int(env.optional("DATABASE_CONN_MAX_AGE", "60")),
)
DASHBOARD_DATABASE = "replica" if "replica" in DATABASES else "default"

# The citizens' MitID broker (docs/sign-in.md): never the demo's local stand-in.
CITIZEN_OIDC_ISSUER = env.required("CITIZEN_OIDC_ISSUER")
CITIZEN_OIDC_CLIENT_ID = env.required("CITIZEN_OIDC_CLIENT_ID")
CITIZEN_OIDC_CLIENT_SECRET = env.required("CITIZEN_OIDC_CLIENT_SECRET")

# Links in notification e-mails point here.
PORTAL_URL = env.optional("PORTAL_URL", f"https://{ALLOWED_HOSTS[0]}")

# Letters to citizens: the Digital Post provider's backend (meetings/digitalpost.py), named
# explicitly; the file outbox only when a region chooses to print its letters.
DIGITAL_POST_BACKEND = env.required("DIGITAL_POST_BACKEND")
if DIGITAL_POST_BACKEND == "meetings.digitalpost.FileOutboxBackend":
    DIGITAL_POST_OUTBOX = Path(env.required("DIGITAL_POST_OUTBOX"))

if env.flag("DEMO_SHOW_SECOND_FACTOR", default=False):
    raise ImproperlyConfigured("DEMO_SHOW_SECOND_FACTOR is for the demo only; unset it.")
DEMO_SHOW_SECOND_FACTOR = False


REDIS_URL = env.required("REDIS_URL")
CELERY_BROKER_URL = REDIS_URL
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": "ipsportal",
    }
}
DASHBOARD_SUMMED_BY_WORKER = True  # the cache above is shared

# Reminders go by SMTP: a relay on the host unless MAIL_HOST names another.
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": env.optional("MAIL_HOST", "localhost"),
            "port": int(env.optional("MAIL_PORT", "25")),
            "use_tls": env.optional("MAIL_USE_TLS", "false") == "true",
        },
    }
}

SECURE_SSL_REDIRECT = env.flag("SECURE_SSL_REDIRECT", default=True)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
