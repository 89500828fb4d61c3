"""Tests run against the real PostgreSQL and Redis (DATABASE_URL and REDIS_URL).

The defaults point at the local services on 127.0.0.1, which is where CI runs them.
"""

import os

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ipsportal")
os.environ.setdefault("REDIS_URL", "redis://127.0.0.1:6379/15")
os.environ.setdefault("DEBUG", "false")

from ipsportal.settings.base import *  # noqa: F403

# Argon2 with production cost makes every factory-made user slow; the hasher is not under test.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    **STORAGES,  # noqa: F405
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405 - WhiteNoise warns when it is missing

# The dashboards' read replica, as a test mirror of the primary: one test reads through it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
DASHBOARD_DATABASE = "default"
