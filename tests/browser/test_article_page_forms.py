"""Adding an article and logging a claim in a real browser: a double click creates one of
each, the button is disabled while the form is on its way and comes back after an error, a
paste over the limit is kept and explained, a request over Django's limit gets the desk's
400 page, and the by-URL address works when opened or gone back to."""

import pytest
from django.conf import settings
from playwright.sync_api import Page, expect

from factdesk.articles.forms import ARTICLE_TEXT_MAX
from factdesk.articles.models import Article
from factdesk.articles.services import article_create
from factdesk.claims.models import Claim
from factdesk.core.waiting import wait_until
from tests.browser.test_article_page_logging import drag_over, logged

pytestmark = pytest.mark.browser

TEXT = "The mayor said the new bridge cost twelve million pounds.\n\nCritics disagreed."


def fill_article(page: Page, title: str = "Bridge costs") -> None:
    page.goto("/articles/new/")
    page.get_by_label("Headline").fill(title)
    page.get_by_label("Article text").fill(TEXT)


def test_a_double_click_on_add_article_adds_one(page, log_in, reporter):
    log_in(reporter)
    fill_article(page)
    page.get_by_role("button", name="Add article").dblclick()
    expect(page.get_by_role("heading", name="Bridge costs")).to_be_visible()
    assert Article.objects.count() == 1
    # Back to the form: its button works again (restored from the back/forward cache or not).
    page.go_back()
    expect(page.get_by_role("button", name="Add article")).to_be_enabled()


def test_a_double_click_on_log_claim_logs_one(page, log_in, reporter):
    article = article_create(actor=reporter, title="Bridge costs", text=TEXT)
    log_in(reporter)
    page.goto(article.get_absolute_url())
    drag_over(page, "the new bridge cost twelve million pounds")
    page.keyboard.type("The bridge cost £12m.")
    page.get_by_label("Claimant:", exact=True).fill("The mayor")
    page.get_by_role("button", name="Log claim").dblclick()
    claim = logged(page, "The bridge cost £12m.")
    assert Claim.objects.filter(article=article).get() == claim


def test_the_button_is_disabled_while_the_claim_is_sent_and_back_after_an_error(
    page, log_in, reporter
):
    article = article_create(actor=reporter, title="Bridge costs", text=TEXT)
    log_in(reporter)
    page.goto(article.get_absolute_url())
    held = []

    def hold(route):
        held.append(route)

    page.route(f"**/articles/{article.pk}/claims/", hold)
    drag_over(page, "Critics disagreed")
    page.keyboard.type("Critics disagreed.")
    page.get_by_label("Claimant:", exact=True).fill("Critics")
    button = page.get_by_role("button", name="Log claim")
    button.click()
    expect(button).to_be_disabled()
    # Playwright hands over the held request while it talks to the page.
    wait_until(lambda: page.evaluate("1") and held, timeout=10, what="the held request")
    assert len(held) == 1
    held[0].fulfill(status=500, body="The server failed")
    expect(button).to_be_enabled()
    assert not Claim.objects.exists()


def test_a_paste_over_the_limit_is_kept_explained_and_not_sent(page, log_in, reporter):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    log_in(reporter)
    page.goto("/articles/new/")
    expect(page.get_by_text(f"up to {ARTICLE_TEXT_MAX:,} characters")).to_be_visible()
    page.get_by_label("Headline").fill("Too long")
    too_long = ("A sentence of the long report. " * (ARTICLE_TEXT_MAX // 31 + 10))[
        : ARTICLE_TEXT_MAX + 100
    ]
    page.evaluate("text => navigator.clipboard.writeText(text)", too_long)
    field = page.get_by_label("Article text")
    field.focus()
    page.keyboard.press("Control+V")
    expect(page.get_by_role("alert")).to_have_text(
        f"This is {ARTICLE_TEXT_MAX + 100:,} characters; the limit is {ARTICLE_TEXT_MAX:,}. "
        "Upload it as a file instead, or add the article by its address."
    )
    assert field.evaluate("f => f.value.length") == ARTICLE_TEXT_MAX + 100  # all of it kept
    page.get_by_role("button", name="Add article").click()
    expect(field).to_be_focused()
    assert page.url.endswith("/articles/new/")
    assert not Article.objects.exists()
    # As the message says: upload it as a file instead.
    field.fill("")
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_label("Or upload its text as a file").set_input_files(
        files=[{"name": "report.txt", "mimeType": "text/plain", "buffer": too_long.encode()}]
    )
    page.get_by_role("button", name="Add article").click()
    expect(page.get_by_role("heading", name="Too long")).to_be_visible()
    assert Article.objects.get().text == too_long.strip()


def test_a_request_over_the_size_limit_gets_the_desks_400_page(page, log_in, reporter):
    log_in(reporter)
    page.goto("/articles/new/")
    token = page.locator("input[name=csrfmiddlewaretoken]").first.input_value()
    response = page.request.post(
        "/articles/new/",
        form={
            "csrfmiddlewaretoken": token,
            "title": "Huge",
            "text": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 1),
        },
        headers={"Referer": page.url},
    )
    assert response.status == 400
    page.set_content(response.text())  # shown as the browser would show it
    expect(page.get_by_role("heading", name="That was too large to send")).to_be_visible()
    expect(page.get_by_test_id("bad-request")).to_contain_text("Upload the text as a file instead")
    assert not Article.objects.exists()


def test_the_by_url_address_opened_or_gone_back_to_shows_the_form(page, log_in, reporter):
    log_in(reporter)
    page.goto("/articles/new/url/")
    expect(page.get_by_label("Article URL")).to_be_visible()
    assert page.url.endswith("/articles/new/#by-url")
    # A refused address, another page, then back: the form, never a blank page.
    page.get_by_label("Article URL").fill("not an address")
    page.get_by_role("button", name="Fetch article").click()
    expect(page.locator(".errorlist")).to_be_visible()
    page.get_by_role("link", name="Articles", exact=True).click()
    expect(page.get_by_role("heading", name="Articles")).to_be_visible()
    page.go_back()
    expect(page.get_by_label("Article URL")).to_be_visible()
