"""WhiteNoise's storage of the static files, with each file's URL kept once worked out."""

from collections.abc import Iterator
from typing import Any

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class PortalStaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Compressed files with hashed names from the manifest, as WhiteNoise serves them. Every
    page's header asks for the same few files' URLs, and each one goes through the manifest's
    lookups and Django's URL handling again (about 17 µs); the manifest does not change while a
    process runs, so each name's URL is worked out once. In DEBUG (unhashed names, files
    changing) every URL is worked out afresh, as Django does."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_urls: dict[str, str] = {}

    def url(self, name: str | None, force: bool = False) -> str:
        if settings.DEBUG or force or name is None:
            return super().url(name, force)
        url = self._kept_urls.get(name)
        if url is None:
            url = self._kept_urls[name] = super().url(name)
        return url

    def post_process(self, *args: Any, **kwargs: Any) -> Iterator[Any]:
        # collectstatic writes a new manifest: a URL kept before it names an old file.
        self._kept_urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._kept_urls.clear()
