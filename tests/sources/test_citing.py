"""The citing forms on the claim page: addresses checked as they are cited, empty and
over-size input, double submission, and which citations may be removed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from factdesk.claims.models import Activity
from factdesk.claims.workflow import ClaimStatus
from factdesk.sources import services
from factdesk.sources.forms import NOTE_MAX_CHARS, PASTE_MAX_CHARS
from factdesk.sources.models import Citation, Source
from tests.claims.flow import Desk, approve, draft, log_claim, move
from tests.factories import SnapshotFactory
from tests.sources.panel import sources_panel


@pytest.fixture
def claim(reporter, ratings):
    return log_claim(reporter)


def cite(client, claim, urls, **fields):
    return client.post(
        reverse("sources:citation_add", args=[claim.pk]),
        {"urls": urls, "stance": "context", **fields},
        HTTP_HX_REQUEST="true",
    )


@pytest.mark.parametrize(
    ("url", "address"),
    [
        ("http://10.0.0.5/report", "10.0.0.5"),
        ("http://192.168.1.20:8080/admin", "192.168.1.20"),
        ("http://[::1]/", "::1"),
        ("http://169.254.169.254/latest/meta-data/", "169.254.169.254"),
        ("http://localhost/", "127.0.0.1"),
        ("http://[::ffff:10.0.0.5]/", "::ffff:a00:5"),  # 10.0.0.5 inside an IPv6 address
    ],
)
def test_a_private_address_is_refused_in_the_form_with_the_reason(
    client, reporter, claim, settings, url, address
):
    settings.FETCH_ALLOW_NETWORKS = []
    client.force_login(reporter)
    body = cite(client, claim, url, note="keep me").content.decode()
    assert f"is on a private network ({address}); the desk fetches only public web pages" in body
    assert "keep me" in body  # the form comes back as typed
    assert not Source.objects.exists()
    assert not Citation.objects.exists()


def test_one_private_line_in_a_paste_cites_nothing(client, reporter, claim, settings):
    settings.FETCH_ALLOW_NETWORKS = []
    client.force_login(reporter)
    body = cite(client, claim, "https://a.example/one\nhttp://10.1.2.3/x").content.decode()
    assert "line 2: “http://10.1.2.3/x” is on a private network (10.1.2.3)" in body
    assert not Citation.objects.exists()


def test_an_allowed_network_may_be_cited(client, reporter, claim, settings):
    """The tests' local sites (and a desk that fetches from its own intranet) allow-list it."""
    settings.FETCH_ALLOW_NETWORKS = ["10.0.0.0/8"]
    client.force_login(reporter)
    cite(client, claim, "http://10.0.0.5/report")
    assert Citation.objects.get().source.url == "http://10.0.0.5/report"


def test_an_empty_paste_says_what_to_do(client, reporter, claim):
    client.force_login(reporter)
    body = cite(client, claim, "  \n ").content.decode()
    assert "Paste at least one web address." in body
    assert not Citation.objects.exists()


def test_an_over_size_paste_or_note_is_refused_and_nothing_is_cited(client, reporter, claim):
    client.force_login(reporter)
    paste = "https://a.example/page\n" * (PASTE_MAX_CHARS // 20)
    body = cite(client, claim, paste).content.decode()
    assert f"Paste at most {PASTE_MAX_CHARS:,} characters of addresses" in body
    assert "split it in two" in body
    body = cite(client, claim, "https://a.example/one", note="n" * (NOTE_MAX_CHARS + 1))
    assert f"Keep the note under {NOTE_MAX_CHARS:,} characters" in body.content.decode()
    assert not Citation.objects.exists()
    assert not Source.objects.exists()


def test_citing_twice_by_a_double_click_makes_one_citation(client, reporter, claim):
    client.force_login(reporter)
    cite(client, claim, "https://a.example/one")
    second = cite(client, claim, "https://a.example/one").content.decode()
    assert Citation.objects.count() == 1
    assert Source.objects.count() == 1
    assert "Already cited: https://a.example/one." in second


def test_an_empty_or_repeated_upload_is_refused_in_words(client, reporter, claim, archive_storage):
    client.force_login(reporter)
    url = reverse("sources:upload", args=[claim.pk])
    empty = client.post(url, {"stance": "context"}).content.decode()
    assert "Choose a file to upload." in empty
    memo = b"The memo says 4.2 per cent."
    client.post(url, {"file": SimpleUploadedFile("memo.txt", memo), "stance": "context"})
    again = client.post(url, {"file": SimpleUploadedFile("memo.txt", memo), "stance": "context"})
    assert "This file is already cited on the claim (as “memo.txt”)." in again.content.decode()
    assert Citation.objects.count() == 1


def test_an_over_size_upload_note_is_refused(client, reporter, claim, archive_storage):
    client.force_login(reporter)
    response = client.post(
        reverse("sources:upload", args=[claim.pk]),
        {
            "file": SimpleUploadedFile("memo.txt", b"Words."),
            "stance": "context",
            "note": "n" * (NOTE_MAX_CHARS + 1),
        },
    )
    assert f"Keep the note under {NOTE_MAX_CHARS:,} characters" in response.content.decode()
    assert not Citation.objects.exists()


# ── pinning ─────────────────────────────────────────────────────────────────────────────


@pytest.fixture
def archived(reporter, claim):
    citation = services.citation_add(actor=reporter, claim=claim, url="https://stats.example/t")
    SnapshotFactory(source=citation.source, text="Intro. The rate fell to 4.2 per cent. End.")
    return citation


def pin(client, citation, passage, **fields):
    return client.post(
        reverse("sources:pin", args=[citation.claim_id, citation.pk]),
        {"passage": passage, **fields},
        follow=True,
    )


def test_pinning_twice_pins_once_and_unpinning_twice_unpins_once(client, reporter, archived):
    client.force_login(reporter)
    passage = "The rate fell to 4.2 per cent."
    pin(client, archived, passage)
    pin(client, archived, passage)
    archived.refresh_from_db()
    assert archived.pinned == [passage]
    pin(client, archived, passage, unpin="1")
    pin(client, archived, passage, unpin="1")
    archived.refresh_from_db()
    assert archived.pinned == []
    assert Activity.objects.filter(action="citation.pinned").count() == 2


def test_an_empty_or_over_size_passage_is_refused_in_words(client, reporter, archived):
    client.force_login(reporter)
    assert "Choose a passage to pin." in pin(client, archived, "  ").content.decode()
    body = pin(client, archived, "word " * 2000).content.decode()
    assert "A pinned passage is at most 5,000 characters" in body
    archived.refresh_from_db()
    assert archived.pinned == []


# ── removing ────────────────────────────────────────────────────────────────────────────


def remove(client, citation):
    return client.post(
        reverse("sources:citation_remove", args=[citation.claim_id, citation.pk]), follow=True
    )


def test_a_citation_of_an_unpublished_claim_is_offered_for_removal_and_removed(
    client, reporter, claim
):
    citation = services.citation_add(actor=reporter, claim=claim, url="https://a.example/one")
    client.force_login(reporter)
    assert reverse("sources:citation_remove", args=[claim.pk, citation.pk]) in sources_panel(
        client, claim
    )
    remove(client, citation)
    assert not Citation.objects.exists()
    assert Activity.objects.filter(action="citation.removed", claim=claim).exists()
    again = remove(client, citation).content.decode()
    assert again.count("That citation was already removed.") == 1


@pytest.fixture
def correcting(reporter, editor, publisher, ratings):
    """A published claim cited before publication, back in research for a correction, with
    a second source cited during the correction."""
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    claim = log_claim(reporter)
    claim = move(claim, reporter, ClaimStatus.RESEARCHING)
    published = services.citation_add(actor=reporter, claim=claim, url="https://a.example/seen")
    draft(claim, reporter, desk.rating)
    claim = move(claim, reporter, ClaimStatus.IN_REVIEW)
    approve(claim, editor)
    claim.refresh_from_db()
    claim = move(claim, publisher, ClaimStatus.PUBLISHED, ClaimStatus.RESEARCHING)
    new = services.citation_add(actor=reporter, claim=claim, url="https://a.example/new")
    return claim, published, new


def test_during_a_correction_the_published_citations_stay(client, reporter, correcting):
    claim, published, new = correcting
    assert claim.status == ClaimStatus.RESEARCHING  # the status alone would allow it
    with pytest.raises(services.DeskError, match="stays as readers saw it"):
        services.citation_remove(actor=reporter, citation=published)
    client.force_login(reporter)
    panel = sources_panel(client, claim)
    assert reverse("sources:citation_remove", args=[claim.pk, published.pk]) not in panel
    assert "Cited in the published verdict: it stays as readers saw it." in panel
    # What the correction added is not published yet: it may go.
    assert reverse("sources:citation_remove", args=[claim.pk, new.pk]) in panel
    assert "stays as readers saw it" in remove(client, published).content.decode()
    services.citation_remove(actor=reporter, citation=new)
    assert list(Citation.objects.all()) == [published]
