"""The claim list as a CSV file: the list's filters and sort, a header row, topics and the
rating, formulas neutralised, for desk members only."""

import csv
import io

from django.urls import reverse

from factdesk.claims.models import Claim
from factdesk.claims.services import claim_topic_add
from factdesk.claims.workflow import ClaimStatus
from tests.claims.flow import Desk, log_claim


def rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")  # spreadsheets then read it as UTF-8
    return list(csv.DictReader(io.StringIO(body.removeprefix("\ufeff"))))


def test_the_csv_follows_the_lists_filters(client, reporter, editor, publisher, ratings):
    desk = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    published = desk.claim_in(ClaimStatus.PUBLISHED)
    claim_topic_add(actor=editor, claim=published, name="Jobs")
    log_claim(reporter, '=HYPERLINK("http://evil.example", "click")')
    client.force_login(editor)
    everything = rows(client.get(reverse("claims:csv")))
    assert len(everything) == 2
    only_published = rows(client.get(reverse("claims:csv"), {"status": "published"}))
    assert [row["id"] for row in only_published] == [str(published.pk)]
    row = only_published[0]
    assert row["rating"] == "Mostly true"
    assert row["rating published"] == "yes"
    assert row["topics"] == "Jobs"
    assert row["desk address"] == f"http://testserver/claims/{published.pk}/"
    formula = next(row for row in everything if row["id"] != str(published.pk))
    assert formula["claim"].startswith("'=HYPERLINK")  # not run by a spreadsheet


def test_the_list_links_to_its_csv_and_outsiders_get_none(client, editor, outsider):
    log_claim(editor)
    client.force_login(editor)
    page = client.get(reverse("claims:list"), {"status": "new"}).content.decode()
    assert f'href="{reverse("claims:csv")}?status=new' in page
    client.force_login(outsider)
    assert client.get(reverse("claims:csv")).status_code == 403
    assert Claim.objects.count() == 1


def test_the_csv_reads_in_a_fixed_number_of_queries(client, editor, django_assert_max_num_queries):
    for number in range(30):
        log_claim(editor, f"Claim number {number} about the fares.")
    client.force_login(editor)
    with django_assert_max_num_queries(12):
        assert len(rows(client.get(reverse("claims:csv")))) == 30
