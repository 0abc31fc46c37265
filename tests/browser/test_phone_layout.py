"""The desk on a 390 px wide phone: a one-line top bar whose menu opens and closes, and
no page that scrolls sideways."""

import pytest
from playwright.sync_api import expect

from factdesk.articles import services as article_services
from factdesk.claims import services as claim_services
from factdesk.claims.models import Claimant
from factdesk.claims.workflow import ClaimStatus
from factdesk.sources.services import citation_add
from tests.claims.flow import move

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
TOP_BAR_MAX = 64  # px


@pytest.fixture
def phone(session, reporter):
    return session(reporter, viewport=PHONE, is_mobile=True)


@pytest.fixture
def article_with_claims(reporter, ratings):
    """An article, with a long unbroken address and long words, and claims in every column
    of the board."""
    article = article_services.article_create(
        actor=reporter,
        title="Harbridge council sets its budget for the year ahead",
        url="https://www.harbridge-ledger.example/news/2026/12/council-budget-" + "x" * 120,
        outlet_name="Harbridge Ledger",
        text="The leader said council tax would rise by 2.9 per cent this year.\n\n"
        + "Opposition members said the stadium loan would cost 40 million pounds. " * 20,
    )
    claimant = Claimant.objects.create(name="Councillor Jane Holt-Abernathy-Featherstonehaugh")
    claims = [
        claim_services.claim_create(
            actor=reporter,
            article=article,
            claimant=claimant,
            quote=quote,
            text=f"Council tax will rise by 2.9 per cent ({n}).",
        )
        # Three overlapping passages: the same span twice would be refused as a duplicate.
        for n, quote in enumerate(
            ["council tax would rise", "tax would rise by 2.9 per cent", "2.9 per cent this year"]
        )
    ]
    move(claims[1], reporter, ClaimStatus.RESEARCHING)
    citation_add(
        actor=reporter,
        claim=claims[0],
        url="https://statistics.harbridge.example/tables/" + "council-tax-" * 15,
    )
    return article, claims[0]


def assert_fits_the_phone(page):
    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None
    assert bar["height"] <= TOP_BAR_MAX, f"the top bar is {bar['height']} px tall"
    scroll_width, inner_width = page.evaluate(
        "[document.scrollingElement.scrollWidth, window.innerWidth]"
    )
    assert scroll_width <= inner_width, f"{page.url} scrolls sideways ({scroll_width} px)"


def test_no_page_scrolls_sideways_and_the_bar_stays_one_line(phone, article_with_claims):
    article, claim = article_with_claims
    for url in ("/", "/claims/", claim.get_absolute_url(), article.get_absolute_url()):
        phone.goto(url)
        expect(phone.locator("main h1").first).to_be_visible()
        if url == claim.get_absolute_url():  # the sources panel arrives after the page
            expect(phone.locator("li[data-source]")).to_have_count(1)
        assert_fits_the_phone(phone)
    # The board's columns stack: nothing to scroll sideways inside the board either.
    phone.goto("/")
    board = phone.locator(".board")
    assert board.evaluate("board => board.scrollWidth <= board.clientWidth")
    columns = [
        box["y"] for box in (c.bounding_box() for c in board.locator(".column").all()) if box
    ]
    assert len(columns) == 5
    assert len(set(columns)) == len(columns), "columns side by side"


def test_the_menu_opens_goes_where_it_says_and_the_back_button_returns(phone):
    menu = phone.locator("details.menu")
    claims_link = phone.get_by_role("navigation", name="Main").get_by_role(
        "link", name="Claims", exact=True
    )
    expect(claims_link).to_be_hidden()
    phone.get_by_text("Menu", exact=True).click()
    expect(claims_link).to_be_visible()
    expect(phone.get_by_role("button", name="Log out")).to_be_visible()
    assert_fits_the_phone(phone)  # the open menu drops over the page: the bar keeps its height
    claims_link.click()
    expect(phone.get_by_role("heading", name="Claims", exact=True)).to_be_visible()
    expect(menu).not_to_have_attribute("open", "")
    phone.go_back()
    expect(phone.get_by_role("heading", name="Board")).to_be_visible()
    assert_fits_the_phone(phone)


def test_on_a_wide_screen_the_menu_is_the_bar(page, log_in, reporter):
    log_in(reporter)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    nav = page.get_by_role("navigation", name="Main")
    expect(nav.get_by_role("link", name="Claims", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    bar = page.locator("header.topbar").bounding_box()
    assert bar is not None
    assert bar["height"] <= TOP_BAR_MAX
