"""A claim marked as a duplicate hands its evidence to the claim it duplicates: each source
the other does not cite yet, with its stance, note and pinned passages, once."""

from factdesk.claims.models import Activity
from factdesk.claims.workflow import ClaimStatus
from factdesk.sources.models import Citation
from factdesk.sources.services import citation_add, citations_carry_over
from tests.claims.flow import log_claim, move


def test_marking_as_duplicate_carries_the_citations_over_once(
    editor, django_capture_on_commit_callbacks
):
    original = log_claim(editor, "Ridership doubled.")
    repeat = log_claim(editor, "Ridership doubled, again.")
    shared = "https://stats.example/ridership"
    citation_add(actor=editor, claim=original, url=shared, stance="refutes")
    citation_add(actor=editor, claim=repeat, url=shared, stance="supports")
    mine = citation_add(
        actor=editor, claim=repeat, url="https://council.example/counts", note="Monthly counts"
    )
    Citation.objects.filter(pk=mine.pk).update(pinned=["Up 38 per cent."])
    with django_capture_on_commit_callbacks(execute=True):
        move(repeat, editor, ClaimStatus.DUPLICATE, duplicate_of=original)
    carried = Citation.objects.filter(claim=original).order_by("created_at")
    assert [c.source.url for c in carried] == [shared, "https://council.example/counts"]
    assert carried[0].stance == "refutes"  # the original's own citation is left as it was
    new = carried[1]
    assert new.note == f"Monthly counts (cited on claim #{repeat.pk}, merged into this one)"
    assert new.pinned == ["Up 38 per cent."]
    assert Activity.objects.filter(claim=original, action="citation.carried_over").count() == 1
    assert citations_carry_over(actor=editor, claim=repeat, into=original) == 0  # again: none
