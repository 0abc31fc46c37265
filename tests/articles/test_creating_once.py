"""The article page's forms: each refuses empty and over-size input in words, keeping what
was typed, and a form sent twice (a double click, a retried request) creates one thing."""

import uuid

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factdesk.articles.forms import ARTICLE_TEXT_MAX, CLAIM_TEXT_MAX, QUOTE_MAX
from factdesk.articles.models import Article
from factdesk.claims.models import Claim
from tests.articles.test_views import TEXT, log

QUOTE = "Die Arbeitslosigkeit ist um 12 % gesunken."


def paste(client, **data):
    return client.post(reverse("articles:new"), {"title": "Rede", "text": TEXT, **data})


def article_of(reporter, text=TEXT):
    return Article.objects.create(title="Rede", text=text, added_by=reporter)


# ── pasting an article ──────────────────────────────────────────────────────────────────


def test_the_paste_form_states_its_limit_and_sets_maxlength(client, reporter):
    client.force_login(reporter)
    page = client.get(reverse("articles:new")).content.decode()
    assert f"up to {ARTICLE_TEXT_MAX:,} characters" in page
    assert f'maxlength="{ARTICLE_TEXT_MAX}"' in page


def test_an_empty_paste_is_refused_field_by_field(client, reporter):
    client.force_login(reporter)
    response = paste(client, title="", text="")
    body = response.content.decode()
    assert response.status_code == 200
    assert "This field is required." in body  # the headline
    assert "Paste the article&#x27;s text, or upload it as a file." in body
    assert not Article.objects.exists()


def test_an_over_size_paste_says_how_long_and_what_to_do_and_keeps_the_headline(client, reporter):
    client.force_login(reporter)
    response = paste(client, title="Kept headline", text="x" * (ARTICLE_TEXT_MAX + 1))
    body = response.content.decode()
    assert (
        f"This is {ARTICLE_TEXT_MAX + 1:,} characters; the limit is {ARTICLE_TEXT_MAX:,}. "
        "Upload it as a file instead, or add the article by its address."
    ) in body
    assert 'value="Kept headline"' in body
    assert not Article.objects.exists()


def test_a_paste_sent_twice_adds_one_article(client, reporter):
    client.force_login(reporter)
    key = str(uuid.uuid4())
    first = paste(client, idempotency_key=key)
    second = paste(client, idempotency_key=key)
    article = Article.objects.get()
    assert first["Location"] == second["Location"] == article.get_absolute_url()
    # A new form (a new key) is a new article.
    paste(client, idempotency_key=str(uuid.uuid4()))
    assert Article.objects.count() == 2


def test_a_text_longer_than_the_box_is_uploaded_as_a_file(client, reporter):
    client.force_login(reporter)
    long_text = "Ein langer Bericht über die Brücke. " * (ARTICLE_TEXT_MAX // 30)
    upload = SimpleUploadedFile("bericht.txt", long_text.encode("utf-8"), "text/plain")
    response = client.post(
        reverse("articles:new"), {"title": "Langer Bericht", "text": "", "text_file": upload}
    )
    article = Article.objects.get()
    assert response["Location"] == article.get_absolute_url()
    assert article.text == long_text.strip()
    assert len(article.text) > ARTICLE_TEXT_MAX


def test_an_upload_that_is_not_plain_text_or_comes_with_a_paste_is_refused(client, reporter):
    client.force_login(reporter)
    pdf = SimpleUploadedFile("story.pdf", b"%PDF-1.4 not really", "application/pdf")
    refused = paste(client, text="", text_file=pdf).content.decode()
    assert "“story.pdf” is not a plain text file. Save the article&#x27;s text as .txt" in refused
    both = paste(client, text_file=SimpleUploadedFile("a.txt", b"Some text.")).content.decode()
    assert "Paste the text or upload a file, not both." in both
    assert not Article.objects.exists()


# ── by URL ──────────────────────────────────────────────────────────────────────────────


def test_the_url_address_opened_directly_leads_to_the_form(client, reporter):
    client.force_login(reporter)
    response = client.get(reverse("articles:new_from_url"), follow=True)
    assert response.redirect_chain == [(reverse("articles:new") + "#by-url", 302)]
    assert 'id="by-url"' in response.content.decode()
    assert 'name="url"' in response.content.decode()


def test_an_empty_or_over_long_address_is_refused_in_words(client, reporter):
    client.force_login(reporter)
    empty = client.post(reverse("articles:new_from_url"), {"url": ""})
    assert empty.status_code == 400
    assert "This field is required." in empty.content.decode()
    long = client.post(reverse("articles:new_from_url"), {"url": "https://a.example/" + "x" * 2000})
    assert long.status_code == 400
    assert "That address is longer than 2,000 characters" in long.content.decode()
    assert not Article.objects.exists()


# ── logging a claim ─────────────────────────────────────────────────────────────────────


def test_an_empty_claim_is_refused_field_by_field(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    response = client.post(reverse("articles:log_claim", args=[article.pk]), {})
    assert response.status_code == 400
    assert response.content.decode().count("This field is required.") == 3
    assert not Claim.objects.exists()


def test_an_over_size_quote_or_wording_is_refused_and_the_rest_kept(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    response = log(client, article, quote="y" * (QUOTE_MAX + 1), text="z" * (CLAIM_TEXT_MAX + 1))
    body = response.content.decode()
    assert response.status_code == 400
    assert f"This is {QUOTE_MAX + 1:,} characters; the limit is {QUOTE_MAX:,}." in body
    assert f"This is {CLAIM_TEXT_MAX + 1:,} characters; the limit is {CLAIM_TEXT_MAX:,}." in body
    assert 'value="Der Bürgermeister"' in body
    # "Log it anyway" sends the same form: refused the same way.
    anyway = log(client, article, quote="y" * (QUOTE_MAX + 1), new_appearance="on")
    assert f"This is {QUOTE_MAX + 1:,} characters" in anyway.content.decode()
    assert not Claim.objects.exists()


def test_a_claim_sent_twice_is_logged_once(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    key = str(uuid.uuid4())
    first = log(client, article, quote=QUOTE, idempotency_key=key)
    second = log(client, article, quote=QUOTE, idempotency_key=key)
    claim = Claim.objects.get()
    assert first["Location"] == second["Location"] == claim.get_absolute_url()


def test_from_htmx_the_page_stays_with_the_new_claim_and_a_fresh_form(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    response = client.post(
        reverse("articles:log_claim", args=[article.pk]),
        {"text": "Unemployment fell by 12%.", "claimant_name": "Der Bürgermeister", "quote": QUOTE},
        headers={"HX-Request": "true"},
    )
    claim = Claim.objects.get()
    body = response.content.decode()
    assert response.status_code == 200
    assert body.startswith('\n<div class="articlegrid" id="article-desk">')
    assert f"Claim #{claim.pk} logged." in body
    assert f'href="{claim.get_absolute_url()}">Open claim #{claim.pk}</a>' in body
    assert f'aria-describedby="article-claim-{claim.pk}">{QUOTE}</mark>' in body
    assert 'value="Der Bürgermeister"' in body  # the claimant, remembered for the next
    assert 'name="quote" cols="40" rows="3" maxlength="5000"' in body
    assert "Unemployment fell by 12%.</textarea>" not in body  # the wording is cleared


def test_the_article_page_starts_with_the_claimant_of_the_last_claim_logged(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    log(client, article, quote=QUOTE)
    other = article_of(reporter, text="Der Minister sagte etwas anderes.")
    page = client.get(other.get_absolute_url()).content.decode()
    assert 'name="claimant_name" value="Der Bürgermeister"' in page


# ── duplicates ──────────────────────────────────────────────────────────────────────────


def test_the_same_passage_again_is_refused_with_a_link_to_its_claim(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    start = TEXT.index(QUOTE)
    span = {"quote": QUOTE, "quote_start": start, "quote_end": start + len(QUOTE)}
    log(client, article, **span)
    claim = Claim.objects.get()
    again = log(client, article, **span, claimant_name="Someone else", new_appearance="on")
    body = again.content.decode()
    assert again.status_code == 400
    assert f"This passage is already logged as claim #{claim.pk}." in body
    assert f'href="{claim.get_absolute_url()}">Open claim #{claim.pk}</a>' in body
    assert "Log it anyway" not in body
    assert Claim.objects.count() == 1


def test_overlapping_passages_are_logged(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    log(client, article, quote=QUOTE)
    log(client, article, quote="Arbeitslosigkeit ist um 12 %", text="Another wording.")
    assert Claim.objects.count() == 2


def test_the_same_words_elsewhere_warn_and_are_logged_on_purpose_once(client, reporter):
    client.force_login(reporter)
    log(client, article_of(reporter), quote=QUOTE)
    earlier = Claim.objects.get()
    elsewhere = article_of(reporter, text="Wieder: die Arbeitslosigkeit ist um 12 % GESUNKEN!")
    quote = "die Arbeitslosigkeit ist um 12 % GESUNKEN"
    key = str(uuid.uuid4())
    warned = log(client, elsewhere, quote=quote, idempotency_key=key)
    body = warned.content.decode()
    assert "Der Bürgermeister said the same words before: claim" in body
    assert f'href="{earlier.get_absolute_url()}">Open claim #{earlier.pk}</a>' in body
    assert '<button type="submit" name="new_appearance" value="on">' in body
    assert Claim.objects.count() == 1
    # "Log it anyway", clicked twice: one new appearance.
    confirmed = [
        log(client, elsewhere, quote=quote, idempotency_key=key, new_appearance="on")
        for _ in range(2)
    ]
    appearance = Claim.objects.exclude(pk=earlier.pk).get()
    assert appearance.article == elsewhere
    assert {response["Location"] for response in confirmed} == {appearance.get_absolute_url()}


def test_log_it_anyway_with_nothing_in_the_form_is_refused(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    response = client.post(
        reverse("articles:log_claim", args=[article.pk]), {"new_appearance": "on"}
    )
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert not Claim.objects.exists()


# ── quotes across paragraphs and highlights ─────────────────────────────────────────────


def test_a_quote_across_a_paragraph_break_sent_with_crlf_is_anchored(client, reporter):
    text = "First paragraph ends here.\n\nSecond paragraph starts here. More."
    article = article_of(reporter, text=text)
    client.force_login(reporter)
    start = text.index("ends")
    end = text.index(" More")
    sent = "ends here.\r\n\r\nSecond paragraph starts here."  # a textarea sends CRLF
    log(client, article, quote=sent, quote_start=start, quote_end=end)
    claim = Claim.objects.get()
    assert claim.quote == text[start:end] == "ends here.\n\nSecond paragraph starts here."
    assert (claim.quote_start, claim.quote_end) == (start, end)


def test_a_pasted_quote_with_other_line_breaks_is_found(client, reporter):
    text = "First paragraph ends here.\n\nSecond paragraph starts here."
    article = article_of(reporter, text=text)
    client.force_login(reporter)
    log(client, article, quote="ends here. Second   paragraph")
    claim = Claim.objects.get()
    assert claim.quote == "ends here.\n\nSecond paragraph"


def test_overlapping_and_dismissed_claims_all_show_in_the_text(client, reporter):
    client.force_login(reporter)
    article = article_of(reporter)
    log(client, article, quote=QUOTE)
    log(client, article, quote="um 12 % gesunken", text="It fell by 12 points.")
    outer, inner = Claim.objects.order_by("pk")
    Claim.objects.filter(pk=outer.pk).update(status="dismissed", dismiss_reason="opinion")
    page = client.get(article.get_absolute_url()).content.decode()
    both = f'aria-describedby="article-claim-{outer.pk} article-claim-{inner.pk}">um 12 % gesunken'
    assert both in page
    assert 'class="claimed depth-1"' in page  # the live one, over the dismissed
    assert 'class="claimed depth-1 dimmed"' in page  # the dismissed one's own words
