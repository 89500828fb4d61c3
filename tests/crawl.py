"""Walking the portal's pages by their links, as a user clicking through would reach them."""

import html
import re
from collections.abc import Callable, Iterator
from urllib.parse import urljoin, urlsplit

from django.http import HttpResponse


def pages_reached(
    get: Callable[[str], HttpResponse],
    start: str,
    *,
    skipped: re.Pattern[str],
    most: int | None = None,
) -> Iterator[tuple[str, str]]:
    """Each HTML page (path, content) reached from ``start`` by following links, breadth first,
    at most ``most`` of them; links to other hosts and paths ``skipped`` matches (files, pages
    that change something on GET) are not followed."""
    queue, seen = [start], {start}
    reached = 0
    while queue and (most is None or reached < most):
        path = queue.pop(0)
        response = get(path)
        if response.status_code != 200 or "text/html" not in response["Content-Type"]:
            continue
        reached += 1
        page = response.content.decode()
        yield path, page
        for link in re.findall(r'href="([^"#]+)"', page):
            target = urlsplit(urljoin(path, html.unescape(link)))
            # Another host, or no page at all (mailto:, tel:), is not the portal's.
            elsewhere = target.netloc or target.scheme not in ("", "http", "https")
            if elsewhere or skipped.search(target.path) or target.path in seen:
                continue
            seen.add(target.path)
            queue.append(target.path)
