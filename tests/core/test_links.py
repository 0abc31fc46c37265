"""Links printed by page_url are the links reverse() gives, whatever the ids, the URLconf
and the path the desk is served under."""

import pytest
from django.test import override_settings
from django.urls import include, path, reverse, set_script_prefix

from factdesk.core.links import page_url

# A desk mounted under /elsewhere/, for the test that swaps the URLconf.
urlpatterns = [path("elsewhere/", include("factdesk.urls"))]


@pytest.mark.parametrize(
    ("viewname", "ids"),
    [
        ("claims:board", ()),
        ("claims:detail", (7,)),
        ("claims:detail", (90000000,)),
        ("claims:transition", (12,)),
        ("claims:claimant", (3,)),
    ],
)
def test_a_link_is_what_reverse_gives(viewname, ids):
    assert page_url(viewname, *ids) == reverse(viewname, args=ids)


def test_each_link_carries_its_own_id():
    assert [page_url("claims:detail", claim_id) for claim_id in (1, 22, 1)] == [
        "/claims/1/",
        "/claims/22/",
        "/claims/1/",
    ]


def test_a_desk_served_under_a_path_links_under_it():
    page_url("claims:detail", 5)  # reversed first at the root
    set_script_prefix("/desk/")
    try:
        assert page_url("claims:detail", 5) == "/desk/claims/5/"
    finally:
        set_script_prefix("/")
    assert page_url("claims:detail", 5) == "/claims/5/"


def test_a_swapped_urlconf_is_followed():
    page_url("claims:detail", 5)
    with override_settings(ROOT_URLCONF="tests.core.test_links"):
        assert page_url("claims:detail", 5) == "/elsewhere/claims/5/"
    assert page_url("claims:detail", 5) == "/claims/5/"
