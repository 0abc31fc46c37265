"""The list's rows write dates as the rest of the desk does (Django's `j M Y`) and cut long
wordings as its templates do."""

import datetime
import html

from django.utils.dateformat import format as date_format
from django.utils.text import Truncator
from django.utils.timezone import localtime

from factdesk.claims.templatetags.cards import day_label
from tests.claims.flow import log_claim


def test_a_day_is_written_as_date_format_writes_it_in_every_month():
    days = [datetime.date(2026, month, day) for month in range(1, 13) for day in (1, 9, 28)]
    assert [day_label(day) for day in days] == [date_format(day, "j M Y") for day in days]


def test_a_row_of_the_list_says_when_the_claim_was_logged(client, reporter):
    claim = log_claim(reporter)
    logged = localtime(claim.created_at)
    client.force_login(reporter)
    body = client.get("/claims/").content.decode()
    assert (
        f'<td title="{date_format(logged, "j M Y H:i")}">{date_format(logged, "j M Y")}</td>'
        in body
    )


def test_a_long_wording_is_cut_in_the_list_as_truncatechars_cuts_it(client, reporter):
    """Cut to 180 characters, the last an ellipsis; escaped; a short one whole."""
    long = "Ministers & <officials> said " + "the budget grew " * 20
    short = "Rents rose by 9% & more."
    claims = [log_claim(reporter, text) for text in (long, short)]
    client.force_login(reporter)
    body = client.get("/claims/").content.decode()
    for claim in claims:
        shown = html.escape(Truncator(claim.text).chars(180))
        assert f'<a href="/claims/{claim.pk}/">{shown}</a>' in body
    assert html.escape(long.strip()) not in body  # cut, not whole
