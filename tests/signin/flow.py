"""Signing in through the real provider with plain HTTP (no browser): the steps a browser
takes, so a test can stop before the last one and change it."""

import re
from urllib.parse import urljoin

import requests


def _csrf_token(session: requests.Session, page_url: str) -> str:
    html = session.get(page_url, timeout=10).text
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match, f"no CSRF token on {page_url}"
    return match.group(1)


def callback_url_after_sign_in(
    session: requests.Session,
    *,
    portal: str,
    provider_id: str,
    login: str,
    start_page: str,
    next_url: str = "/",
) -> str:
    """Start the sign-in on the portal's page, sign in at the provider as ``login``, and return
    the portal address the provider sends the browser back to (code, state), unvisited."""
    token = _csrf_token(session, f"{portal}{start_page}")
    at_provider = session.post(
        f"{portal}/oidc/{provider_id}/login/",
        data={"csrfmiddlewaretoken": token, "next": next_url},
        timeout=10,
    )
    assert at_provider.status_code == 200, at_provider.text
    form_action = re.search(r'<form method="post" action="([^"]+)"', at_provider.text)
    assert form_action, "the provider shows no sign-in form"
    response = session.post(
        urljoin(at_provider.url, form_action.group(1)),
        data={"login": login},
        allow_redirects=False,
        timeout=10,
    )
    while response.is_redirect:
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(portal):
            return location
        response = session.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"the provider did not send the browser back: {response.status_code}")


def finish(session: requests.Session, callback_url: str) -> requests.Response:
    return session.get(callback_url, allow_redirects=False, timeout=10)
