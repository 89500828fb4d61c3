import os
import subprocess
import sys
from pathlib import Path

from cryptography.fernet import Fernet

BASE_DIR = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "ipsportal.settings.production",
    "SECRET_KEY": "a-long-random-production-secret-key-for-this-test-only-8f3k2j4h5g6",
    "ALLOWED_HOSTS": "ips.region.dk",
    "CPR_ENCRYPTION_KEYS": Fernet.generate_key().decode(),
    "CPR_HASH_KEY": "a-separate-random-hash-key-for-this-test",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "CITIZEN_OIDC_ISSUER": "https://broker.example.dk",
    "CITIZEN_OIDC_CLIENT_ID": "ips-portal",
    "CITIZEN_OIDC_CLIENT_SECRET": "a-client-secret-for-this-test-only",
    "DIGITAL_POST_BACKEND": "meetings.digitalpost.FileOutboxBackend",
    "DIGITAL_POST_OUTBOX": "/var/spool/ipsportal/letters",
}


def _manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    base_env = {
        k: v
        for k, v in os.environ.items()
        if k not in PRODUCTION_ENV and k != "DJANGO_ALLOW_ASYNC_UNSAFE"
    }
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env={**base_env, **env},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_production_settings_pass_the_deployment_checks():
    result = _manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION_ENV)
    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_a_missing_production_variable_stops_the_process_and_names_it():
    for name in [
        "SECRET_KEY",
        "CPR_ENCRYPTION_KEYS",
        "CPR_HASH_KEY",
        "DATABASE_URL",
        "REDIS_URL",
        "CITIZEN_OIDC_ISSUER",
        "CITIZEN_OIDC_CLIENT_SECRET",
        # Never the file outbox by default: letters would seem sent and lie in a folder.
        "DIGITAL_POST_BACKEND",
        "DIGITAL_POST_OUTBOX",
    ]:
        env = {**PRODUCTION_ENV, name: ""}
        result = _manage("check", env=env)
        assert result.returncode != 0
        assert f"The environment variable {name} must be set." in result.stderr


def test_production_refuses_the_demo_second_factor_hint():
    result = _manage("check", env={**PRODUCTION_ENV, "DEMO_SHOW_SECOND_FACTOR": "true"})
    assert result.returncode != 0
    assert "DEMO_SHOW_SECOND_FACTOR is for the demo only" in result.stderr


def test_templates_are_compiled_once_per_process():
    # Django's cached loader (the default when no loaders are named): a page's templates are
    # parsed at their first use, not on every request.
    from django.template import engines
    from django.template.loaders.cached import Loader

    assert isinstance(engines["django"].engine.template_loaders[0], Loader)
