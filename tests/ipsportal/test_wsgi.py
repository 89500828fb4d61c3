"""A web process is ready before it takes its first request."""

import os
import subprocess
import sys

from tests.ipsportal.test_settings import BASE_DIR, PRODUCTION_ENV

VIEW_MODULES = ["cases.views", "consent.views", "meetings.views", "reporting.views"]


def _in_a_new_web_process(probe: str) -> str:
    """What ``probe`` prints after importing the WSGI module, as gunicorn does, in production's
    settings."""
    inherited = {k: v for k, v in os.environ.items() if k not in PRODUCTION_ENV}
    result = subprocess.run(
        [sys.executable, "-c", f"import ipsportal.wsgi; {probe}"],
        env={**inherited, **PRODUCTION_ENV},
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_a_new_web_process_has_every_view_loaded_before_its_first_request():
    """Loading the views took the first request after a deploy or a restart about half a
    second, once per web process. gunicorn loads the WSGI module before the process accepts a
    connection, so what the module loads no user waits for."""
    loaded = _in_a_new_web_process(
        f"import sys; print(*(name in sys.modules for name in {VIEW_MODULES!r}))"
    )
    assert loaded.split() == ["True"] * len(VIEW_MODULES)


def test_what_a_new_web_process_loaded_is_not_walked_by_the_garbage_collector_again():
    """Each full collection walked everything the process had loaded (about 30 ms, inside one
    request in fifty). Once loaded, it is frozen: the collector walks what the requests leave
    behind, a small part of it."""
    counts = _in_a_new_web_process("import gc; print(gc.get_freeze_count(), len(gc.get_objects()))")
    frozen, walked = map(int, counts.split())
    assert walked * 10 < frozen, (frozen, walked)
