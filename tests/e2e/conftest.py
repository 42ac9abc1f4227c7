"""
Shared set-up for browser tests: real Chromium (Debian's package) driven by Playwright
against Django's live server, with the site's own content loaded.

Without Chromium the tests skip, saying so; under CI (CI=true) a missing browser fails.
"""

import io
import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in this thread; the ORM calls in fixtures are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SERIOUS = {"serious", "critical"}


def pytest_collection_modifyitems(items):
    for item in items:
        if Path(str(item.fspath)).parent == Path(__file__).parent:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        message = f"Chromium not found at {CHROMIUM}: install it with `apt-get install chromium`."
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message + " Browser tests skipped.")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def site(django_db_serialized_rollback, transactional_db, live_server):
    """The live server with the shipped content loaded; restores migrated data (such as groups) afterwards."""
    call_command("load_site_content", stdout=io.StringIO())
    return live_server


@pytest.fixture
def page(browser, site):
    """A fresh browser tab whose relative URLs point at the live site. ``page.external_requests`` lists
    every request made to any other host."""
    context = browser.new_context(base_url=site.url)
    tab = context.new_page()
    own_host = urlsplit(site.url).netloc
    tab.external_requests = []

    def record(request):
        netloc = urlsplit(request.url).netloc
        if netloc and netloc != own_host:
            tab.external_requests.append(request.url)

    tab.on("request", record)
    # Nothing ever leaves the machine, even if a page asks.
    tab.route(lambda url: urlsplit(url).netloc not in ("", own_host), lambda route: route.abort())
    yield tab
    context.close()


def assert_accessible(page):
    """Run axe-core on the current page and fail on any serious or critical violation."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page)
    violations = [v for v in results.response["violations"] if v.get("impact") in SERIOUS]
    details = [f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}" for v in violations]
    assert not violations, f"{page.url}: " + "; ".join(details)
