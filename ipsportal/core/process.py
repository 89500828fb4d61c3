"""What a web process does once, before it takes its first request."""

import gc
from importlib import import_module

from django.conf import settings


def prepare_web_process() -> None:
    """Load what every request needs, then set it aside from the garbage collector.

    Django imports the URLconf, and with it every view, on the first request a process serves:
    about half a second that the first user after each deploy or restart would wait for, once per
    web process. Done here, before the process takes requests.

    What is loaded by then (Django, the apps, the views: about 100 000 objects) lives as long as
    the process, yet each of the collector's full collections walked all of it: about 30 ms, in
    the middle of whichever request happened to trigger it, one request in fifty
    (docs/benchmarks.md). Frozen, it is no longer walked; the collector's work is then what the
    requests themselves leave behind. Collected first, so no garbage is frozen with it."""
    import_module(settings.ROOT_URLCONF)
    gc.collect()
    gc.freeze()
