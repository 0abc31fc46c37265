"""Merging a claimant made by mistake into another, and deleting one no claim names."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from factdesk.claims import services
from factdesk.claims.models import Activity, Claim, Claimant
from factdesk.core.errors import DeskError
from tests.claims.flow import log_claim


@pytest.fixture
def mistake(reporter, ratings):
    """“A. Ministr” (a typo) with two claims, and the real “A. Minister” with one."""
    real = log_claim(reporter, "The real one.").claimant
    typo = Claimant.objects.create(name="A. Ministr")
    for text in ("First claim.", "Second claim."):
        claim = log_claim(reporter, text)
        Claim.objects.filter(pk=claim.pk).update(claimant=typo)
    return typo, real


def merge(client, claimant, into):
    return client.post(reverse("claims:claimant_merge", args=[claimant.pk]), {"into": into})


def test_merging_moves_every_claim_records_each_move_and_deletes_the_duplicate(
    client, editor, mistake
):
    typo, real = mistake
    moved = set(typo.claims.values_list("pk", flat=True))
    client.force_login(editor)
    response = merge(client, typo, "a. minister")  # any case
    assert response["Location"] == real.get_absolute_url()
    assert not Claimant.objects.filter(pk=typo.pk).exists()
    assert set(real.claims.values_list("pk", flat=True)) >= moved
    assert real.claims.count() == 3
    entries = Activity.objects.filter(action="claim.claimant_merged")
    assert {entry.claim_id for entry in entries} == moved
    assert all(entry.changes == {"claimant": [typo.pk, real.pk]} for entry in entries)
    merged = Activity.objects.get(action="claimant.merged")
    assert merged.actor == editor
    assert merged.changes["merged_into"] == [None, real.pk]
    page = client.get(real.get_absolute_url()).content.decode()
    assert "Merged “A. Ministr” into “A. Minister”: 2 claims moved." in page


def test_a_second_click_says_it_was_already_merged(client, editor, mistake):
    typo, real = mistake
    client.force_login(editor)
    merge(client, typo, "A. Minister")
    again = client.post(
        reverse("claims:claimant_merge", args=[typo.pk]), {"into": "A. Minister"}, follow=True
    )
    assert again.status_code == 200
    assert "This claimant was already merged (or deleted)." in again.content.decode()
    assert Activity.objects.filter(action="claimant.merged").count() == 1
    with pytest.raises(DeskError, match="already merged"):
        services.claimant_merge(actor=editor, claimant=typo, into=real)


def test_merging_into_itself_empty_or_unknown_or_over_size_is_refused_in_words(
    client, editor, mistake
):
    typo, _ = mistake
    client.force_login(editor)
    cases = {
        "A. Ministr": "“A. Ministr” cannot be merged into itself",
        "": "Type the name of the claimant who should keep these claims.",
        "Nobody Known": "No claimant is called “Nobody Known”: pick one from the list.",
        "x" * 201: "A claimant&#x27;s name is at most 200 characters (this has 201)",
    }
    for typed, reason in cases.items():
        response = merge(client, typo, typed)
        assert response.status_code == 400
        assert reason in response.content.decode()
    assert typo.claims.count() == 2
    assert not Activity.objects.filter(action__contains="merged").exists()


def test_only_editors_merge(client, reporter, outsider, mistake):
    typo, real = mistake
    client.force_login(outsider)
    assert merge(client, typo, "A. Minister").status_code == 403
    assert client.post(reverse("claims:claimant_delete", args=[typo.pk])).status_code == 403
    client.force_login(reporter)
    assert merge(client, typo, "A. Minister").status_code == 403
    assert "Merge into another claimant" not in client.get(typo.get_absolute_url()).content.decode()
    with pytest.raises(PermissionDenied):
        services.claimant_merge(actor=reporter, claimant=typo, into=real)
    assert typo.claims.count() == 2


def test_a_claimant_without_claims_is_deleted_and_one_with_claims_is_not(client, editor, mistake):
    typo, _ = mistake
    spare = Claimant.objects.create(name="Made Up")
    client.force_login(editor)
    assert "Delete “Made Up”" in client.get(spare.get_absolute_url()).content.decode()
    client.post(reverse("claims:claimant_delete", args=[spare.pk]))
    assert not Claimant.objects.filter(pk=spare.pk).exists()
    assert Activity.objects.get(action="claimant.deleted").changes["name"] == ["Made Up", None]
    again = client.post(reverse("claims:claimant_delete", args=[spare.pk]), follow=True)
    assert "already deleted" in again.content.decode()
    refused = client.post(reverse("claims:claimant_delete", args=[typo.pk]), follow=True)
    assert "“A. Ministr” has 2 claims: merge them into another claimant" in (
        refused.content.decode()
    )
    assert Claimant.objects.filter(pk=typo.pk).exists()
