"""Content-Security-Policy (issue 9, item 3): every page carries the policy, and no page holds
what the policy would block, so the pages keep working under it.

Each URL of the permission matrix is opened (GET) by the first persona that may see it. Its answer
must carry the enforced policy, and an HTML answer must not contain an inline script (a
``<script>`` without ``src``, other than ``json_script`` data blocks), an inline event handler
(``onclick=``…), an ``hx-on`` attribute (htmx would need eval) or a ``javascript:`` URL. The browser
journeys (tests/browser) check the other half: Chromium reports no CSP violation on the pages they
walk through.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from tests import test_permission_matrix as matrix
from tests.test_permission_matrix import EXPECTED, KWARGS, PERSONAS, as_persona

# The permission matrix's world (two instansi, an approved SKP with evidence, an objection, an SKM unit…).
world = matrix.world

POLICY = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "object-src": "'none'",
    "base-uri": "'self'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}


def directives(header: str) -> dict[str, str]:
    parts = (p.strip().split(None, 1) for p in header.split(";") if p.strip())
    return {p[0]: (p[1] if len(p) > 1 else "") for p in parts}


class InlineCodeFinder(HTMLParser):
    """Collects what a strict script-src would refuse to run."""

    EVENT = re.compile(r"^on[a-z]+$")

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") != "application/json":
            self.found.append(f"inline <script> at line {self.getpos()[0]}")
        for name, value in attrs.items():
            if self.EVENT.match(name) or name.startswith(("hx-on", "data-hx-on")):
                self.found.append(f"<{tag} {name}=…> at line {self.getpos()[0]}")
            if name in ("href", "src", "action", "formaction") and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.found.append(f"<{tag} {name}=javascript:…> at line {self.getpos()[0]}")


def first_allowed_persona(name: str) -> str | None:
    return next((p for p in PERSONAS if EXPECTED[name][p] == 200), None)


PAGES = sorted(name for name in EXPECTED if first_allowed_persona(name))


def test_the_policy_is_strict(client, db):
    header = client.get(reverse("accounts:login"))["Content-Security-Policy"]
    policy = directives(header)
    for directive, value in POLICY.items():
        assert policy.get(directive) == value, (directive, header)
    assert "unsafe-inline" not in policy["script-src"] and "unsafe-eval" not in header


@pytest.mark.parametrize("name", PAGES)
def test_every_page_carries_the_policy_and_no_inline_code(client, world, db, name):
    persona = first_allowed_persona(name)
    url = reverse(name, kwargs=KWARGS[name](world))
    response = as_persona(client, world, persona).get(url)
    assert response.status_code == 200, url
    assert "script-src 'self'" in response.get("Content-Security-Policy", ""), url
    if response.get("Content-Type", "").startswith("text/html"):
        page = response.content.decode()
        finder = InlineCodeFinder()
        finder.feed(page)
        assert not finder.found, f"{url} ({persona}) holds code the CSP blocks: {finder.found}"
        # CSRF on every form: each POST form carries the token.
        for form in POST_FORM.findall(page):
            assert "csrfmiddlewaretoken" in form, f"{url}: a POST form without {{% csrf_token %}}: {form[:200]}"


POST_FORM = re.compile(r"<form\b[^>]*\bmethod=[\"']?post[^>]*>.*?</form>", re.IGNORECASE | re.DOTALL)


@pytest.mark.parametrize("path", ["/masuk/", "/tidak-ada/", "/s/tidak-ada/"])
def test_error_and_public_pages_carry_the_policy_too(client, db, path):
    assert "default-src 'self'" in client.get(path)["Content-Security-Policy"]
