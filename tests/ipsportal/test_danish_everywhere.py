"""Every page a role reaches by the portal's links speaks Danish: no English text that the Danish
catalogue translates (an msgid that slipped past translation), and no English month name."""

import gettext
import html
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from ipsportal.accounts.models import User
from tests.clients import StaffClient
from tests.crawl import pages_reached

ENGLISH_MONTH = re.compile(
    r"\b(January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b\.?\s*\d"
    r"|\d+\.?\s+(January|February|March|April|May|June|July|August|September|October|November"
    r"|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b"
)
ROLES = ["konsulent.odense", "teamleder.odense", "behandler.att", "tovholder.att", "leder.odense"]
PAGES_PER_ROLE = 60
# Pages that are files or that change something on GET are not crawled.
SKIPPED = re.compile(r"\.(csv|xlsx|pdf|ics|json)$|/log-ud/|/admin/|/sprog/|/static/")


def english_texts_the_catalogue_translates() -> list[str]:
    """The English source texts that have a different Danish text: long enough to be
    unambiguous when found on a page."""
    with open(Path(settings.BASE_DIR) / "locale/da/LC_MESSAGES/django.mo", "rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    texts = []
    for source, danish in catalogue._catalog.items():  # type: ignore[attr-defined]
        if isinstance(source, tuple):
            source = source[0]
        if len(source) >= 20 and " " in source and "%" not in source and source != danish:
            texts.append(source)
    return texts


def visible_text(page: str) -> str:
    page = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.mark.django_db
def test_every_page_each_role_reaches_is_danish(tmp_path, settings):
    settings.DIGITAL_POST_OUTBOX = tmp_path
    call_command("seed_demo", "--citizens", "30")
    english = english_texts_the_catalogue_translates()
    problems: list[str] = []
    crawled = 0
    for username in ROLES:
        client = StaffClient()
        client.force_login(User.objects.get(username=username))
        for path, page in pages_reached(client.get, "/", skipped=SKIPPED, most=PAGES_PER_ROLE):
            crawled += 1
            text = visible_text(page)
            for source in english:
                if source in text:
                    problems.append(f"{username} {path}: untranslated {source!r}")
            for match in ENGLISH_MONTH.finditer(text):
                problems.append(f"{username} {path}: English date {match.group(0)!r}")
    assert crawled > 30
    assert problems == [], "\n".join(problems)
