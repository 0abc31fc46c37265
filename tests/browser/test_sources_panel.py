"""Cite three sources in a real browser and watch the panel settle by itself."""

import threading

import pytest
from playwright.sync_api import expect

from tests.claims.flow import log_claim
from tests.conftest import WorkerProcess, wait_until
from tests.servers import Pages, serve

pytestmark = [pytest.mark.browser, pytest.mark.worker]

HOST = "127.0.0.5"
PAGE = (
    b"<html><head><title>Labour market statistics</title></head><body><article><p>"
    + b"Unemployment fell to 4.2 per cent. " * 30
    + b"</p></article></body></html>"
)


@pytest.fixture
def site(archive_storage, settings):
    # The page checks a cited address as the worker's fetch does: both allow the test site.
    settings.FETCH_ALLOW_NETWORKS = [f"{HOST}/32"]
    pages = Pages()
    server, base = serve(HOST, pages)
    worker = WorkerProcess(
        env={
            "FETCH_ALLOW_NETWORKS": f"{HOST}/32",
            "STORAGE_DIR": str(archive_storage),
            "FETCH_HOST_INTERVAL": "0",
        }
    )
    yield pages, base
    worker.stop()
    server.shutdown()


@pytest.fixture
def release(site):
    """What a stalled page waits for: the test sets it once it has seen the page in progress.
    Set again at teardown (before the site's) so a failed test leaves no request stalled."""
    event = threading.Event()
    yield event
    event.set()


def test_the_panel_updates_itself_to_done_and_failed(page, log_in, reporter, site, release):
    pages, base = site

    def slow():
        release.wait()
        return (200, {"Content-Type": "text/html"}, PAGE)

    pages["/good"] = (200, {"Content-Type": "text/html"}, PAGE)
    pages["/slow"] = slow
    claim = log_claim(reporter)
    log_in(reporter)
    page.goto(claim.get_absolute_url())
    for path in ("/good", "/missing", "/slow"):
        page.get_by_label("Source URLs").fill(f"{base}{path}")
        page.get_by_role("button", name="Cite source").click()
        expect(page.get_by_text(f"Cited {base}{path}.")).to_be_visible()

    rows = {
        path: page.locator("li[data-source]", has_text=f"{base}{path}")
        for path in ("/good", "/missing", "/slow")
    }
    # No reload from here on: htmx polls the panel while anything is unsettled.
    expect(rows["/good"].get_by_test_id("fetch-status")).to_have_text("Archived", timeout=20_000)
    expect(rows["/missing"].get_by_test_id("fetch-status")).to_have_text("Failed", timeout=20_000)
    expect(rows["/missing"]).to_contain_text("The server answered 404 Not Found.")
    # The worker has asked for the slow page, which answers only when released.
    wait_until(lambda: "/slow" in pages.hits, what="the worker to request /slow")
    expect(rows["/slow"].get_by_test_id("fetch-status")).to_have_text("Fetching", timeout=20_000)
    release.set()
    expect(rows["/slow"].get_by_test_id("fetch-status")).to_have_text("Archived", timeout=20_000)
    expect(page.locator("#sources-panel")).not_to_have_attribute("hx-trigger", "every 2s")

    rows["/good"].get_by_role("link", name="archived copy").click()
    expect(page.get_by_role("heading", name="Labour market statistics")).to_be_visible()
    expect(page.get_by_text("Unemployment fell to 4.2 per cent.").first).to_be_visible()


STORY = (
    b"<html><head><title>Jobless rate falls</title>"
    b'<meta name="author" content="Ana Ruiz"></head><body><article><h1>Jobless rate falls</h1>'
    b"<p>The jobless rate fell to 4.2 per cent, according to "
    b"<a href='https://stats.example/march'>the March release</a>.</p>"
    + b"<p>More detail on the labour market figures follows here.</p>" * 3
    + b"</article></body></html>"
)


def test_an_article_added_by_url_fills_in_by_itself_and_offers_its_links(
    page, log_in, reporter, site, release
):
    pages, base = site

    def slow():
        release.wait()
        return (200, {"Content-Type": "text/html"}, STORY)

    pages["/story"] = slow
    log_in(reporter)
    page.goto("/articles/new/")
    page.get_by_label("Article URL").fill(f"{base}/story")
    page.get_by_role("button", name="Fetch article").click()
    wait_until(lambda: "/story" in pages.hits, what="the worker to request /story")
    expect(page.get_by_test_id("article-fetch")).to_contain_text(
        "Fetching. The text, headline, byline", timeout=20_000
    )
    release.set()
    # No reload by hand: the page polls until the page is archived, then shows the article.
    expect(page.get_by_role("heading", name="Jobless rate falls")).to_be_visible(timeout=20_000)
    expect(page.locator("#article-text")).to_contain_text("The jobless rate fell to 4.2 per cent")
    expect(page.get_by_text("Ana Ruiz")).to_be_visible()
    expect(page.locator("#links")).to_contain_text("the March release")
