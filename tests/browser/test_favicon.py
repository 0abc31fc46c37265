"""Every page has the desk's icon: the browser finds it and no page asks for a missing one."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_browser_gets_the_icon_and_no_request_is_answered_404(page, log_in, reporter):
    missing = []
    page.on(
        "response",
        lambda response: missing.append(response.url) if response.status == 404 else None,
    )
    log_in(reporter)
    expect(page.get_by_role("heading", name="Board")).to_be_visible()
    icon = page.locator("link[rel=icon]").get_attribute("href")
    assert icon
    assert page.request.get(icon).headers["content-type"] == "image/svg+xml"
    response = page.request.get("/favicon.ico")  # where browsers and feed readers look
    assert response.status == 200
    assert response.headers["content-type"] == "image/svg+xml"
    assert "max-age=604800" in response.headers["cache-control"]
    assert response.body().startswith(b"<svg")
    assert missing == []
