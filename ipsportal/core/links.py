"""The path to a page about one record, for lists that link every row.

Django's ``reverse()`` takes about 12 µs a link (the ``{% url %}`` tag about 23 µs), and a list
links each of its rows: the start page 40 to 50 times. Every page about a record is routed by
UUIDs alone (``<uuid:course_uuid>``), which Django writes into the path as their 36 characters
and nothing else. So the path is ``reverse()``'s for stand-in UUIDs, once per route, URLconf and
script prefix, and each row's UUIDs are written where the stand-ins were. Anything else (a value
that is not a UUID, a route where a stand-in does not come out once and as it went in) is left
to ``reverse()``, which checks it as it always does."""

import functools
import uuid

from django.urls import get_script_prefix, get_urlconf, reverse

# The path up to the first value, then each value's name with the text that follows it.
type PathPieces = tuple[str, tuple[tuple[str, str], ...]]


def path_to(viewname: str, **uuids: uuid.UUID) -> str:
    """``reverse(viewname, kwargs=uuids)``, for values that are all UUIDs."""
    for value in uuids.values():
        if type(value) is not uuid.UUID:
            return reverse(viewname, kwargs=uuids)
    pieces = _pieces(viewname, tuple(uuids), get_urlconf(), get_script_prefix())
    if pieces is None:
        return reverse(viewname, kwargs=uuids)
    path, values_then_text = pieces
    for name, text in values_then_text:
        path += str(uuids[name]) + text
    return path


@functools.lru_cache(maxsize=256)
def _pieces(
    viewname: str, names: tuple[str, ...], urlconf: str | None, script_prefix: str
) -> PathPieces | None:
    """The route's path around its values, or None if the values are not written into it
    as they are, each once. ``script_prefix`` is in the key because ``reverse()`` writes it."""
    stand_ins = {name: str(uuid.UUID(int=at + 1)) for at, name in enumerate(names)}
    path = reverse(viewname, kwargs=stand_ins, urlconf=urlconf)
    if not names:
        return path, ()
    if any(path.count(stand_in) != 1 for stand_in in stand_ins.values()):
        return None
    found = sorted((path.index(stand_in), name) for name, stand_in in stand_ins.items())
    ends = [at + len(stand_ins[name]) for at, name in found]
    starts = [at for at, _name in found[1:]] + [len(path)]
    values_then_text = tuple(
        (name, path[end:start]) for (_at, name), end, start in zip(found, ends, starts, strict=True)
    )
    return path[: found[0][0]], values_then_text
