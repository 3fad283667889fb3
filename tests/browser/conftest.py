"""Browser journeys: Debian's Chromium driven by Playwright against pytest-django's live server.

Every test in this folder is marked ``browser``. Without /usr/bin/chromium or the
playwright package the folder is skipped, unless SIKAP_REQUIRE_BROWSER=1 (CI), where
each test fails instead. Playwright never downloads a browser here: it drives the
system Chromium. A failing test leaves a screenshot in test-artifacts/.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts"
HERE = Path(__file__).parent


def _missing() -> str | None:
    if not Path(CHROMIUM).exists():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (make install)"
    return None


MISSING = _missing()
if MISSING and os.environ.get("SIKAP_REQUIRE_BROWSER") != "1":
    pytest.skip(f"browser journeys skipped: {MISSING}", allow_module_level=True)

# Playwright's sync API runs an event loop in this thread; Django would otherwise refuse
# the ORM calls the tests make (seeding, assertions) as "async unsafe".
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: marked before `-m "not browser"` deselects.
    for item in items:
        if HERE in Path(item.path).parents:
            item.add_marker(pytest.mark.browser)


_reports_key = pytest.StashKey[dict]()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    # Kept so that the page fixtures can tell, at teardown, whether the test failed.
    report = yield
    item.stash.setdefault(_reports_key, {})[report.when] = report
    return report


@pytest.fixture(scope="session")
def browser():
    if MISSING:
        pytest.fail(f"SIKAP_REQUIRE_BROWSER=1, but {MISSING}", pytrace=False)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


# A console message with one of these means the Content-Security-Policy blocked something the
# page needed (an inline script or handler, an injected <style>, eval): the journey fails.
CSP_VIOLATION = re.compile(r"Content Security Policy|Refused to", re.IGNORECASE)


def _open_page(browser, request, **context_options) -> Iterator:
    context = browser.new_context(locale="id-ID", timezone_id="Asia/Jakarta", **context_options)
    context.set_default_timeout(10_000)
    page = context.new_page()
    console: list[str] = []
    page.on("console", lambda message: console.append(f"[{message.type}] {message.text} ({page.url})"))
    page.on("pageerror", lambda error: console.append(f"[pageerror] {error} ({page.url})"))
    yield page
    reports = request.node.stash.get(_reports_key, {})
    if any(report.failed for report in reports.values()):
        screenshot(page, "FAILED-" + re.sub(r"[^\w.-]+", "_", request.node.name))
    context.close()
    violations = [line for line in console if CSP_VIOLATION.search(line)]
    assert not violations, "The Content-Security-Policy blocked something:\n" + "\n".join(violations)


@pytest.fixture
def page(browser, request):
    """A desktop page (1280×800), Indonesian locale, Jakarta time."""
    yield from _open_page(browser, request, viewport={"width": 1280, "height": 800})


@pytest.fixture
def phone_page(browser, request):
    """A phone-sized touch page (390×844, like an iPhone 12–15)."""
    yield from _open_page(
        browser, request, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2
    )


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot as test-artifacts/<name>.png."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, live_server, username: str, password: str):
    """Log in through the real form at /masuk/ and wait for the page it leads to."""
    page.goto(f"{live_server.url}/masuk/")
    page.get_by_label("NIP atau nama pengguna").fill(username)
    # Matches "Sandi" (Django's catalogue) as well as "Kata sandi".
    page.get_by_label(re.compile("sandi", re.IGNORECASE)).fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_load_state()
    return page
