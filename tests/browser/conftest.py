"""Browser tests: Debian's Chromium driven by Playwright (never a downloaded browser)."""

import os
from collections.abc import Iterator

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect, sync_playwright

from ipsportal.accounts.models import User
from tests.clients import authenticator_of, current_code

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    # Playwright's sync API keeps an event loop running in the test thread while it is open, and
    # Django then refuses ORM calls there; fixtures' ORM calls are synchronous, so they are allowed
    # for exactly as long as the browser is open (one module at a time).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context()
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def serious_accessibility_violations(page: Page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is now."""
    results = Axe().run(page)
    return [
        f"{violation['id']}: {violation['help']} ({len(violation['nodes'])} elements)"
        for violation in results.response["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def log_in(page: Page, base_url: str, username: str, password: str) -> None:
    """The password, then the code the user's authenticator app shows."""
    page.goto(f"{base_url}/log-ind/")
    log_in_here(page, username, password)


def log_in_here(page: Page, username: str, password: str) -> None:
    """``log_in`` on the sign-in page the portal has just shown, so that it leads on to the
    page it was shown for."""
    device = authenticator_of(User.objects.get(username=username))
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bekræft, at det er dig")
    page.get_by_label("Kode").fill(current_code(device))
    page.get_by_role("button", name="Fortsæt").click()
