"""An export comes in as the desk's own rows: claims with their statuses and ratings,
verdicts where a fact check pairs with its item, fact checks from elsewhere for the rest,
inactive accounts, notes; once, however often it is imported; all or nothing."""

import io

import pytest
from django.contrib.auth.models import User

from factdesk.checkimport import importing
from factdesk.checkimport.importing import UNKNOWN_CLAIMANT, export_plan
from factdesk.checkimport.models import CheckImport, CheckRecord, Outcome
from factdesk.checkimport.reader import Export
from factdesk.checkimport.services import check_import_from_file, status_mapping_save
from factdesk.claims.models import Activity, Claim, Comment, Topic, Verdict
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.intake import services
from factdesk.intake.models import ExternalFactCheck, FactCheckEmbedding
from factdesk.sources.models import Citation, Source
from tests.checkimport.exports import FESTIVAL, ITEMS, RIVER, export, files, zipped

CUSTOM_ITEMS = [
    ["9200001", "Bridge closure notice is fake", "Bridge closure notice is fake",
     "2026-05-02 10:11:12 UTC", "bridge", "misleading", "", "Claim", "The bridge closes Monday"],
    ["9200002", "Mayor quote on rates", "Mayor quote on rates", "2026-05-03 08:00:00 UTC", "",
     "partly_false", "", "Link", "https://buzz.example/mayor-rates"],
]  # fmt: skip


@pytest.fixture
def write_export(tmp_path):
    def write(body: bytes, name: str = "larkmoor-gazette.zip") -> str:
        path = tmp_path / name
        path.write_bytes(body)
        return str(path)

    return write


@pytest.fixture
def run(publisher, ratings, archive_storage, write_export, django_capture_on_commit_callbacks):
    def run_import(body: bytes) -> dict:
        with django_capture_on_commit_callbacks(execute=False):
            return check_import_from_file(actor=publisher, path=write_export(body)).report

    return run_import


def counts() -> dict[str, int]:
    return {
        "claims": Claim.objects.count(),
        "verdicts": Verdict.objects.count(),
        "users": User.objects.count(),
        "external": ExternalFactCheck.objects.count(),
        "comments": Comment.objects.count(),
        "topics": Topic.objects.count(),
        "citations": Citation.objects.count(),
        "records": CheckRecord.objects.count(),
    }


def test_the_dry_run_says_what_would_come_in_and_writes_nothing(publisher, ratings):
    before = counts()
    with Export(io.BytesIO(export())) as found:
        plan = export_plan(found).as_json()
    assert counts() == before
    assert plan["dry_run"] is True
    assert plan["created"] == {
        "claims": 6,
        "verdicts": 3,  # two ratings without a fact check (drafts), one paired (published)
        "users": 3,
        "external_fact_checks": 2,
        "comments": 2,  # the annotations of 9100001, the unrated fact check of 9100006
        "topics": 6,
        "sources": 3,
    }
    assert plan["unmapped_statuses"] == []
    reasons = {(skip["file"], skip["row"]): skip["reason"] for skip in plan["skipped"]}
    assert "Smooch has no e-mail address" in reasons[("workspace_user_data.csv", 4)]
    assert "item 9100099 was not imported" in reasons[("workspace_annotations_data.csv", 4)]
    assert any("each takes its item's date" in note for note in plan["notes"])
    assert any("1 explainer, 1 tipline request" in note for note in plan["notes"])


def test_the_import_makes_the_desks_rows(run, publisher, ratings):
    report = run(export())
    assert report["created"]["claims"] == 6
    claims = {claim.source_description.split()[2]: claim for claim in Claim.objects.all()}
    river, buses, mill, video, festival, stalls = (claims[i[0]] for i in ITEMS)

    # Statuses and ratings from the core map; the claimant, creator and dates.
    assert (river.status, river.current_rating) == (ClaimStatus.RESEARCHING, ratings["False"])
    assert (buses.status, buses.current_rating) == (ClaimStatus.RESEARCHING, ratings["True"])
    assert (mill.status, video.status) == (ClaimStatus.RESEARCHING, ClaimStatus.NEW)
    assert river.text == RIVER
    assert river.quote.startswith("the fenwick is poisoned")  # the original submission
    assert river.claimant.name == UNKNOWN_CLAIMANT
    assert river.created_by == publisher
    assert str(river.claimed_on) == "2026-04-02"
    assert video.text == "market-fire.mp4"
    assert buses.source_url == "https://social.example/larkmoorbuses/posts/42"
    assert "from Larkmoor Buses" in buses.source_description
    assert sorted(river.topics.values_list("name", flat=True)) == ["health", "river"]
    assert sorted(mill.topics.values_list("name", flat=True)) == ["fire", "mill"]

    # The festival item pairs with its fact check by title: published with it, dated as
    # the item (the export gives fact checks no date).
    assert festival.status == ClaimStatus.PUBLISHED
    verdict = festival.verdicts.get()
    assert (verdict.rating, verdict.conclusion) == (ratings["False"], FESTIVAL)
    assert "organisers confirmed" in verdict.explanation
    assert verdict.published_at == festival.published_at
    assert str(verdict.published_at.date()) == "2026-03-30"
    # A rating with no fact check: a draft verdict to finish.
    draft = river.verdicts.get()
    assert draft.published_at is None
    assert draft.conclusion == "Rated “False” in Check"
    # The Fetch-imported fact check pairs by summary; its item is not rated: a note.
    assert stalls.comments.get().body.startswith("Fact check drafted in Check")

    # Unpaired fact checks are kept as fact checks from elsewhere.
    elsewhere = ExternalFactCheck.objects.order_by("claim_reviewed")
    assert [row.claim_reviewed for row in elsewhere] == [
        "No, the Fenwick river is safe to swim in",
        "Old mill photo",
    ]
    assert elsewhere[0].url == "https://gazette.example/fact-check/fenwick-river"
    assert elsewhere[1].url == "https://checkmedia.org/larkmoor-gazette#fact-check-61003"
    assert {row.origin for row in elsewhere} == {ExternalFactCheck.Origin.CHECK}
    assert {row.publisher for row in elsewhere} == {"Larkmoor Gazette"}
    # Its title is its headline: the export has no claim text, so it stands for the claim too.
    assert [row.headline for row in elsewhere] == [row.claim_reviewed for row in elsewhere]
    assert not any(row.distinct_headline for row in elsewhere)
    # Embedded as the worker embeds them: the title once, as the claim, and no second vector.
    assert services.embed_fact_checks([row.pk for row in elsewhere]) == 2
    stored = FactCheckEmbedding.objects.order_by("fact_check__claim_reviewed")
    assert [row.headline_vector for row in stored] == [None, None]
    assert [row.text_digest for row in stored] == [
        services._digest(row.claim_reviewed) for row in elsewhere
    ]

    # Users: inactive, with the matching role; the bot left out.
    nadia = User.objects.get(email="nadia@gazette.example")
    assert not nadia.is_active
    assert not nadia.has_usable_password()
    assert list(nadia.groups.values_list("name", flat=True)) == ["publisher"]
    assert list(
        User.objects.get(email="pia@gazette.example").groups.values_list("name", flat=True)
    ) == ["reporter"]
    assert not User.objects.filter(first_name="Smooch").exists()

    # Annotation answers: one note, decoded.
    note = river.comments.get().body
    assert "- Where was it seen?: WhatsApp" in note
    assert "- Topics: Environment, Health" in note
    assert "Water tests, April <https://larkmoor.example.gov/water/tests>" in note
    assert "Fenwick bridge (53.5, -1.25)" in note
    assert not buses.comments.exists()  # nothing answered

    # Media addresses are cited sources, waiting for the fetch workers.
    assert Citation.objects.filter(claim=buses, source__url=buses.source_url).exists()
    assert Source.objects.filter(url__contains="mill.jpg", status=Source.Status.PENDING).exists()


def test_importing_again_creates_nothing(run):
    run(export())
    before = counts()
    again = run(export())
    assert counts() == before
    assert {key: n for key, n in again["created"].items() if n} == {}
    assert again["already_imported"] == {
        "users": 3,
        "claims": 6,
        "fact_checks": 4,
        "comments": 1,
    }


def test_the_draft_format_and_rezipped_archives_import_the_same(run):
    assert run(export(draft=True))["created"]["claims"] == 6
    assert Claim.objects.count() == 6
    assert run(export(folder="gazette/", nested=True))["created"]["claims"] == 0


def test_unmapped_statuses_are_reported_then_imported_once_mapped(run, publisher, ratings):
    items = [*ITEMS[:2], *CUSTOM_ITEMS]
    with Export(io.BytesIO(export(items=items))) as found:
        plan = export_plan(found).as_json()
    assert plan["unmapped_statuses"] == ["misleading", "partly_false"]
    assert plan["created"]["claims"] == 2
    assert "“misleading” (Misleading) is not mapped" in plan["skipped"][1]["reason"]

    first = run(export(items=items))
    assert first["unmapped_statuses"] == ["misleading", "partly_false"]
    assert Claim.objects.count() == 2
    status_mapping_save(
        actor=publisher,
        check_status="misleading",
        outcome=Outcome.RATED,
        rating=ratings["Missing context"],
    )
    status_mapping_save(actor=publisher, check_status="partly_false", outcome=Outcome.RESEARCHING)
    second = run(export(items=items))
    assert second["unmapped_statuses"] == []
    assert second["created"]["claims"] == 2
    bridge = Claim.objects.get(text="Bridge closure notice is fake")
    assert bridge.current_rating == ratings["Missing context"]
    assert Claim.objects.get(text="Mayor quote on rates").status == ClaimStatus.RESEARCHING


def test_a_core_status_can_be_mapped_otherwise(run, publisher, ratings):
    status_mapping_save(actor=publisher, check_status="undetermined", outcome=Outcome.DISMISSED)
    run(export())
    video = Claim.objects.get(text="market-fire.mp4")
    assert video.status == ClaimStatus.DISMISSED
    assert video.dismiss_note == "Check status “undetermined”"


def test_a_mapping_is_checked(publisher, reporter, ratings):
    with pytest.raises(DeskError, match="Choose a rating"):
        status_mapping_save(actor=publisher, check_status="x", outcome=Outcome.RATED)
    with pytest.raises(DeskError, match="Choose what items"):
        status_mapping_save(actor=publisher, check_status="x", outcome="published")
    with pytest.raises(Exception, match="Only a publisher"):
        status_mapping_save(actor=reporter, check_status="x", outcome=Outcome.NEW)


def test_a_user_already_on_the_desk_is_kept_as_is(run, editor):
    editor.email = "NADIA@gazette.example"
    editor.save()
    report = run(export())
    assert report["created"]["users"] == 2
    editor.refresh_from_db()
    assert editor.is_active
    assert list(editor.groups.values_list("name", flat=True)) == ["editor"]


def test_a_file_that_breaks_imports_nothing(write_export, publisher, ratings):
    contents: dict[str, str | bytes] = dict(files())
    items = files()["workspace_item_data.csv"].encode()
    contents["workspace_item_data.csv"] = items + b"9100009,\xff\xfe,x\n"
    before = counts()
    with pytest.raises(DeskError, match="not UTF-8"):
        check_import_from_file(actor=publisher, path=write_export(zipped(contents)))
    assert counts() == before
    failed = CheckImport.objects.get()
    assert failed.status == CheckImport.Status.FAILED
    assert "not UTF-8" in failed.error


def test_an_import_that_stops_midway_leaves_nothing(write_export, publisher, ratings, monkeypatch):
    """Claims, users and topics were written in the import's transaction when it stopped:
    all of it rolls back."""

    def stop(self):
        assert Claim.objects.count() == 6  # written, not committed
        raise DeskError("stopped")

    monkeypatch.setattr(importing.Importer, "_annotations", stop)
    before = counts()
    with pytest.raises(DeskError, match="stopped"):
        check_import_from_file(actor=publisher, path=write_export(export()))
    assert counts() == before


def test_the_import_is_audited(run, publisher):
    run(export())
    actions = set(Activity.objects.filter(actor=publisher).values_list("action", flat=True))
    assert {
        "claim.imported",
        "verdict.imported",
        "external.imported",
        "user.imported",
        "comment.imported",
        "citation.added",
        "topic.created",
        "claimant.created",
        "check.imported",
    } <= actions
    river = Claim.objects.get(text=RIVER)
    created = Activity.objects.get(claim=river, action="claim.imported")
    assert created.changes["status"] == [None, "researching"]
    assert created.changes["topics"] == [None, ["health", "river"]]
    assert "item 9100001 of Larkmoor Gazette" in created.summary
    whole = Activity.objects.get(action="check.imported")
    assert whole.changes["claims"] == [0, 6]


def test_only_a_publisher_imports(reporter, ratings, write_export):
    with pytest.raises(Exception, match="Only a publisher"):
        check_import_from_file(actor=reporter, path=write_export(export()))
    assert not Claim.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_progress_is_committed_while_the_import_runs(
    publisher, ratings, write_export, monkeypatch
):
    """The progress row moves while the import's transaction is open: read from inside
    that transaction, each statement sees what the progress connection committed."""
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 0)
    seen: list[tuple[int, int, str]] = []

    def look(done: int, total: int, phase: str) -> None:
        row = CheckImport.objects.values("rows_done", "rows_total", "status").get()
        seen.append((row["rows_done"], row["rows_total"], phase))
        assert not Claim.objects.filter(pk__lt=0).exists()

    check_import = check_import_from_file(actor=publisher, path=write_export(export()), tell=look)
    done = [rows for rows, _, _ in seen]
    assert done == sorted(done)
    assert 0 < done[len(done) // 2] < seen[-1][1]
    assert (
        seen[-1][0] == seen[-1][1] == 4 + 4 + 6 + 4 + 3
    )  # users, fact checks twice, items, answers
    check_import.refresh_from_db()
    assert (check_import.status, check_import.rows_done) == (CheckImport.Status.DONE, 21)
    assert check_import.percent == 100
