"""A web process is ready before it takes its first request."""

import os
import subprocess
import sys

from tests.ipsportal.test_settings import BASE_DIR, PRODUCTION_ENV

VIEW_MODULES = ["cases.views", "consent.views", "meetings.views", "reporting.views"]


def test_a_new_web_process_has_every_view_loaded_before_its_first_request():
    """Loading the views took the first request after a deploy or a restart about half a
    second, once per web process. gunicorn loads the WSGI module before the process accepts a
    connection, so what the module loads no user waits for."""
    probe = (
        "import sys; import ipsportal.wsgi; "
        f"print(*(name in sys.modules for name in {VIEW_MODULES!r}))"
    )
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", probe],
        env={**inherited, **PRODUCTION_ENV},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True"] * len(VIEW_MODULES)
