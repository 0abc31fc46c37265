"""Adding articles by pasting their text, and logging claims anchored in it."""

from django.urls import reverse

from factdesk.articles.models import Article, Outlet
from factdesk.claims.models import Claim

TEXT = (
    "Der Bürgermeister sagte: „Die Arbeitslosigkeit ist um 12 % gesunken.“ 🎉\n"
    "Kritiker widersprachen."
)


def test_pasting_an_article_creates_it_and_its_outlet(client, reporter):
    client.force_login(reporter)
    response = client.post(
        reverse("articles:new"),
        {
            "title": "  Rede im  Rathaus ",
            "url": "https://www.zeitung.example/rede",
            "outlet_name": "",
            "byline": "K. Huber",
            "published_on": "2026-03-02",
            "text": TEXT,
        },
    )
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.title == "Rede im Rathaus"
    assert article.outlet == Outlet.objects.get(domain="zeitung.example")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Select a sentence in the text to log it as a claim" in page


def test_the_same_url_twice_is_refused_with_the_existing_title(client, reporter):
    client.force_login(reporter)
    data = {"title": "One", "url": "https://zeitung.example/a", "text": "Text."}
    client.post(reverse("articles:new"), data)
    response = client.post(reverse("articles:new"), {**data, "title": "Two"})
    assert "This article is already on the desk: “One”." in response.content.decode()
    assert Article.objects.count() == 1


def test_an_article_without_text_is_refused_and_keeps_the_headline(client, reporter):
    client.force_login(reporter)
    response = client.post(reverse("articles:new"), {"title": "Headline kept", "text": ""})
    body = response.content.decode()
    assert "Paste the article&#x27;s text, or upload it as a file." in body
    assert 'value="Headline kept"' in body
    assert not Article.objects.exists()


def log(client, article, **data):
    return client.post(
        reverse("articles:log_claim", args=[article.pk]),
        {
            "text": "Unemployment fell by 12%.",
            "claimant_name": "Der Bürgermeister",
            **data,
        },
    )


def test_a_selected_passage_becomes_an_anchored_claim_and_is_highlighted(client, reporter):
    client.force_login(reporter)
    article = Article.objects.create(title="Rede", text=TEXT, added_by=reporter)
    quote = "Die Arbeitslosigkeit ist um 12 % gesunken."
    start = TEXT.index(quote)
    response = log(client, article, quote=quote, quote_start=start, quote_end=start + len(quote))
    claim = Claim.objects.get()
    assert response["Location"] == claim.get_absolute_url()
    assert (claim.quote_start, claim.quote_end) == (start, start + len(quote))
    assert claim.claimant.name == "Der Bürgermeister"
    page = client.get(article.get_absolute_url()).content.decode()
    assert f'title="Claim #{claim.pk} (New): Unemployment fell by 12%."' in page
    assert f'aria-describedby="article-claim-{claim.pk}">{quote}</mark>' in page


def test_a_quote_not_in_the_article_keeps_the_form_and_says_why(client, reporter):
    client.force_login(reporter)
    article = Article.objects.create(title="Rede", text=TEXT, added_by=reporter)
    response = log(client, article, quote="Die Inflation stieg.")
    body = response.content.decode()
    assert response.status_code == 400
    assert "Those words are not in the article" in body
    assert "Die Inflation stieg." in body
    assert "Unemployment fell by 12%." in body
    assert not Claim.objects.exists()


def test_overlapping_claims_are_all_listed(client, reporter):
    client.force_login(reporter)
    article = Article.objects.create(title="Rede", text=TEXT, added_by=reporter)
    log(client, article, quote="Die Arbeitslosigkeit ist um 12 % gesunken.")
    log(client, article, quote="um 12 % gesunken", text="It fell by 12 points.")
    page = client.get(article.get_absolute_url()).content.decode()
    assert "Claims in this article (2)" in page
    # The text is shown once, whole: the overlapping quote is not cut in twice.
    assert page.count("Kritiker widersprachen.") == 1
