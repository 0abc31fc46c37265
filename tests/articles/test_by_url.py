"""Adding an article by its address: fetched through the sources pipeline, filled in from
the archived copy, and its links offered as sources to cite."""

import pytest
from django.db import connection, transaction
from django.urls import reverse

from factdesk.articles.models import Article, Outlet
from factdesk.sources import fetching, services
from factdesk.sources.models import Citation, Source
from factdesk.sources.signals import source_archived
from factdesk.sources.tasks import source_fetch_task
from tests.articles.test_views import log
from tests.servers import local_site

HOST = "127.0.0.8"
STORY = (
    "<!doctype html><html><head><title>Jobless rate falls | Daily Ledger</title>"
    '<meta property="og:title" content="Jobless rate falls to 4.2 per cent">'
    '<meta property="og:site_name" content="Daily Ledger">'
    '<meta name="author" content="Ana Ruiz">'
    '<meta property="article:published_time" content="2026-03-02T08:00:00Z">'
    "</head><body><nav><a href='/politics'>Politics section</a></nav><article>"
    "<h1>Jobless rate falls to 4.2 per cent</h1>"
    "<p>The jobless rate fell to 4.2 per cent, the minister said on Monday, citing "
    "<a href='https://stats.example/labour/march'>the statistics office's March release</a>.</p>"
    "<p>Economists disagreed. A <a href='/2026/02/earlier-story'>report last month</a> put the "
    "figure at 4.6 per cent, and the <a href='https://union.example/reply#top'>unions' reply</a> "
    "called the numbers selective.</p>"
    + "<p>Further paragraphs of the story give more detail on the figures.</p>" * 3
    + "</article><footer><a href='/privacy'>Privacy policy</a></footer></body></html>"
)


@pytest.fixture
def site(settings, archive_storage):
    with local_site(HOST, settings) as pages:
        yield pages


def fetch_article(article):
    source_fetch_task(article.source_id)  # what the worker does, run here
    article.refresh_from_db()
    return article


def add_by_url(client, url):
    return client.post(reverse("articles:new_from_url"), {"url": url})


def test_an_article_added_by_url_is_filled_in_from_the_page(client, reporter, site, ratings):
    site["/2026/03/jobless"] = (200, {"Content-Type": "text/html; charset=utf-8"}, STORY.encode())
    client.force_login(reporter)
    response = add_by_url(client, f"{site.base}/2026/03/jobless")
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    waiting = client.get(article.get_absolute_url()).content.decode()
    assert "Waiting to be fetched. The text, headline, byline, outlet and date appear" in waiting
    assert f'hx-get="/articles/{article.pk}/fetching/"' in waiting
    assert 'id="log-claim"' not in waiting

    article = fetch_article(article)
    assert article.title == "Jobless rate falls to 4.2 per cent"
    assert article.byline == "Ana Ruiz"
    assert str(article.published_on) == "2026-03-02"
    assert article.outlet == Outlet.objects.get(name="Daily Ledger")
    assert "The jobless rate fell to 4.2 per cent, the minister said on Monday" in article.text
    assert "Privacy policy" not in article.text
    settled = client.get(reverse("articles:fetch_status", args=[article.pk]))
    assert settled["HX-Refresh"] == "true"

    page = client.get(article.get_absolute_url()).content.decode()
    assert 'id="log-claim"' in page
    assert "Links in the article (3)" in page
    assert "https://stats.example/labour/march" in page
    assert f"{site.base}/2026/02/earlier-story" in page
    assert 'href="https://union.example/reply"' in page  # the fragment goes
    assert "/politics" not in page  # navigation
    assert "/privacy" not in page  # footer
    assert "Log a claim from this article: then each link is one click to cite" in page


def test_the_page_is_archived_and_its_article_filled_in_together(client, reporter, site, ratings):
    """The fetch that archives the page fills the article in, in the same transaction: the
    article page never sees the page archived and the article still without its text (it
    would say that none could be read, and stop looking)."""
    site["/story"] = (200, {"Content-Type": "text/html"}, STORY.encode())
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/story")
    article = Article.objects.get()
    seen = []

    def look(sender, *, source_id, **kwargs):
        # Another app reading the new copy, as the articles app does: told by the fetch
        # itself, once the row says archived.
        seen.append(Source.objects.get(pk=source_id).status)

    source_archived.connect(look)
    try:
        fetching.source_fetch(source_id=article.source_id)  # the fetch alone, no task around it
    finally:
        source_archived.disconnect(look)
    assert seen == [Source.Status.DONE]
    assert client.get(reverse("articles:fetch_status", args=[article.pk]))["HX-Refresh"] == "true"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Jobless rate falls to 4.2 per cent" in page
    assert "no article text could be read" not in page


def test_a_failing_reader_of_the_archived_page_does_not_undo_the_archive(
    client, reporter, site, ratings, caplog
):
    site["/story"] = (200, {"Content-Type": "text/html"}, STORY.encode())
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/story")
    article = Article.objects.get()

    def broken(sender, *, source_id, **kwargs):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SELECT * FROM no_such_table")

    source_archived.connect(broken)
    try:
        fetching.source_fetch(source_id=article.source_id)
    finally:
        source_archived.disconnect(broken)
    source = Source.objects.get(pk=article.source_id)
    assert source.status == Source.Status.DONE
    assert source.snapshots.count() == 1
    article.refresh_from_db()
    assert article.title == "Jobless rate falls to 4.2 per cent"
    assert f"failed for source {source.pk}" in caplog.text
    assert "no_such_table" in caplog.text


def test_an_archived_page_without_text_says_so_at_once(client, reporter, site, ratings):
    site["/app"] = (
        200,
        {"Content-Type": "text/html"},
        b"<html><body><div id=app></div></body></html>",
    )
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/app")
    article = fetch_article(Article.objects.get())
    assert client.get(reverse("articles:fetch_status", args=[article.pk]))["HX-Refresh"] == "true"
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The page was archived, but no article text could be read from it" in page
    assert "Add the text" in page


def test_a_link_of_the_article_is_one_click_to_cite(client, reporter, site, ratings):
    site["/story"] = (200, {"Content-Type": "text/html"}, STORY.encode())
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/story")
    article = fetch_article(Article.objects.get())
    quote = "The jobless rate fell to 4.2 per cent"
    log(client, article, quote=quote, quote_start=0, quote_end=len(quote))
    claim = article.claims.get()
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'<option value="{claim.pk}"' in page
    assert 'name="url" value="https://stats.example/labour/march"' in page

    response = client.post(
        reverse("articles:cite_link", args=[article.pk]),
        {"claim": claim.pk, "url": "https://stats.example/labour/march"},
        follow=True,
    )
    citation = Citation.objects.get(claim=claim)
    assert citation.source.url == "https://stats.example/labour/march"
    body = response.content.decode()
    assert f"Cited https://stats.example/labour/march on claim #{claim.pk}; fetching it." in body
    assert "· cited" in body
    assert 'name="url" value="https://stats.example/labour/march"' not in body


def test_a_page_that_cannot_be_fetched_says_why_and_takes_pasted_text(
    client, reporter, site, ratings
):
    site["/gone"] = (404, {}, b"")
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/gone")
    article = fetch_article(Article.objects.get())
    assert article.text == ""
    page = client.get(article.get_absolute_url()).content.decode()
    assert "The page could not be fetched: The server answered 404 Not Found." in page
    assert "Retry now" not in page  # a 404 would answer the same
    assert "Trying again would get the same answer" in page

    refused = client.post(reverse("articles:set_text", args=[article.pk]), {"text": "   "})
    assert refused.status_code == 400
    assert "This field is required." in refused.content.decode()
    client.post(reverse("articles:set_text", args=[article.pk]), {"text": "Pasted words.\r\n"})
    article.refresh_from_db()
    assert article.text == "Pasted words."
    again = client.post(
        reverse("articles:set_text", args=[article.pk]), {"text": "Other"}, follow=True
    )
    assert "This article already has its text" in again.content.decode()
    article.refresh_from_db()
    assert article.text == "Pasted words."


def test_the_same_address_twice_or_a_bad_one_is_refused_in_words(client, reporter, site):
    client.force_login(reporter)
    add_by_url(client, f"{site.base}/story?utm_source=mail")
    again = add_by_url(client, f"{site.base}/story")  # same page once canonicalised
    assert again.status_code == 400
    assert "This article is already on the desk" in again.content.decode()
    bad = add_by_url(client, "www dot example")
    body = bad.content.decode()
    assert "“www dot example” is not a web address." in body
    assert 'value="www dot example"' in body
    assert Article.objects.count() == Source.objects.count() == 1


def test_an_already_archived_page_fills_the_article_at_once(reporter, site, ratings):
    from factdesk.articles.services import article_create_from_url
    from tests.claims.flow import log_claim

    site["/story"] = (200, {"Content-Type": "text/html"}, STORY.encode())
    citation = services.citation_add(
        actor=reporter, claim=log_claim(reporter), url=f"{site.base}/story"
    )
    source_fetch_task(citation.source_id)
    article = article_create_from_url(actor=reporter, url=f"{site.base}/story")
    assert article.title == "Jobless rate falls to 4.2 per cent"
    assert article.source_id == citation.source_id


def test_outsiders_cannot_add_articles_by_url(client, outsider):
    client.force_login(outsider)
    assert add_by_url(client, "https://news.example/a").status_code == 403
    assert not Article.objects.exists()


def test_an_address_sent_twice_adds_one_article(client, reporter, site):
    import uuid

    client.force_login(reporter)
    data = {"url": f"{site.base}/story", "idempotency_key": str(uuid.uuid4())}
    first = client.post(reverse("articles:new_from_url"), data)
    second = client.post(reverse("articles:new_from_url"), data)  # not "already on the desk"
    article = Article.objects.get()
    assert first["Location"] == second["Location"] == article.get_absolute_url()
    assert Source.objects.count() == 1
