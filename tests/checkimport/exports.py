"""Check workspace exports for the tests, built in memory from the format's description:
an invented newsroom (the Larkmoor Gazette, workspace 7301), its users, items, fact checks
and annotation answers. Each test changes what it needs (`export(items=[...])`)."""

from __future__ import annotations

import csv
import io
import zipfile

WORKSPACE_HEADER = [
    "ID", "Name", "URL", "Created at", "Last activity", "Users #", "Items #", "Requests #",
    "FactChecks #", "Explainers #", "Enabled tipline?", "Active WhatsApp integration?",
    "Active non-WhatsApp integration?", "Active tiplines", "Active API?", "Last access",
]  # fmt: skip
WORKSPACE = [
    "7301", "Larkmoor Gazette", "https://checkmedia.org/larkmoor-gazette",
    "2022-01-10 08:00:00 UTC", "2026-05-01 10:00:00 UTC", "4", "7", "1", "4", "1", "Yes", "Yes",
    "No", "whatsapp", "No", "2026-05-01 09:00:00 UTC",
]  # fmt: skip
USER_HEADER = ["ID", "Name", "Email", "Joined date", "Last access date", "Role"]
USERS = [
    ["501", "Nadia Brightwater", "nadia@gazette.example", "2022-01-10 08:00:00 UTC", "", "admin"],
    ["502", "Owen Thistle", "owen@gazette.example", "2022-02-01 09:30:00 UTC", "", "editor"],
    ["7", "Smooch", "", "2022-03-01 12:00:00 UTC", "", "editor"],
    ["503", "Pia Marsh", "pia@gazette.example", "2023-06-05 14:00:00 UTC", "", "collaborator"],
]
ITEM_HEADER = [
    "ID", "Title", "Description", "Creation date", "Tags", "Status", "Source", "Media type",
    "Media data",
]  # fmt: skip
RIVER = "Post says the Fenwick river is unsafe for swimming after a chemical spill"
BUSES = "Night buses to Larkmoor station will stop in June"
FESTIVAL = "The mayor did not cancel the summer festival"
STALLS = "Market stalls on Quay Street pay no rent, a message says"
STALLS_SUMMARY = "Council records show the stalls pay a monthly fee.\nThe message is wrong."
ITEMS = [
    ["9100001", RIVER, RIVER, "2026-04-02 07:15:00 UTC", "river, health", "false", "",
     "Claim", "the fenwick is poisoned!! a chemical spill, dont swim, forward this"],
    ["9100002", BUSES, BUSES, "2026-04-03 18:20:00 UTC", "transport", "verified",
     "Larkmoor Buses", "Link", "https://social.example/larkmoorbuses/posts/42"],
    ["9100003", "Photo shows the old mill on fire last night",
     "Photo shows the old mill on fire last night", "2026-04-05 22:01:00 UTC",
     "fire, #mill", "in_progress", "", "UploadedImage",
     "https://assets.checkmedia.org/uploads/uploaded_image/77/mill.jpg"],
    ["9100004", "market-fire.mp4", "", "2026-04-06 06:00:00 UTC", "", "undetermined", "",
     "UploadedVideo", "https://assets.checkmedia.org/uploads/uploaded_video/78/market-fire.mp4"],
    ["9100005", FESTIVAL, "-", "2026-03-30 12:00:00 UTC", "events", "false", "", "Claim",
     FESTIVAL],
    ["9100006", STALLS, STALLS_SUMMARY, "2026-04-08 09:45:00 UTC", "", "in_progress", "",
     "Claim", STALLS],
]  # fmt: skip
FACT_CHECK_HEADER = ["ID", "Title", "Summary", "URL", "Language", "Report Status", "Imported?"]
FACT_CHECKS = [
    ["61001", "No, the Fenwick river is safe to swim in",
     "Water tests on April 3 found nothing unusual.\nThere was no spill.",
     "https://gazette.example/fact-check/fenwick-river", "en", "published", "false"],
    ["61003", "Old mill photo", "Draft: the photo is from 2019.", "", "en", "unpublished",
     "false"],
    ["61005", FESTIVAL, "The festival's organisers confirmed the dates on March 29.",
     "https://gazette.example/fact-check/festival", "en", "published", "false"],
    ["61006", "Quay Street stalls", STALLS_SUMMARY, "", "en", "unpublished", "true"],
]  # fmt: skip
ANNOTATION_HEADER = [
    "Item ID", "Where was it seen? (4401)", "Topics (4402)", "Reference links (4403)",
    "Location (4404)",
]  # fmt: skip
ANNOTATIONS = [
    ["9100001", '{"selected":"WhatsApp","other":null}',
     '{"selected":["Environment","Health"],"other":null}',
     '[{"url"=>"https://larkmoor.example.gov/water/tests", "title"=>"Water tests, April"}]',
     '{"type":"Feature","geometry":{"type":"Point","coordinates":[-1.25,53.5]},'
     '"properties":{"name":"Fenwick bridge"}}'],
    ["9100002", "-", "-", "-", "-"],
    ["9100099", "Telegram", "-", "-", "-"],
]  # fmt: skip
EXPLAINERS = [
    ["ID", "Title", "Description", "URL", "Language"],
    ["801", "How we check", "Steps.", "", "en"],
]


def table(header: list[str], rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue()


def files(
    *,
    items: list[list[str]] | None = None,
    fact_checks: list[list[str]] | None = None,
    users: list[list[str]] | None = None,
    annotations: list[list[str]] | None = None,
    draft: bool = False,
) -> dict[str, str]:
    """The export's files by name. `draft`: as PR #2454's first version wrote them (its
    misspelt headers and requests file, annotation headers without ids, empty cells for
    no answer, a README of one line)."""
    user_header = [("Joined data" if h == "Joined date" else h) for h in USER_HEADER]
    annotation_header = (
        [h.rsplit(" (", 1)[0] for h in ANNOTATION_HEADER] if draft else ANNOTATION_HEADER
    )
    answers = annotations if annotations is not None else ANNOTATIONS
    if draft:
        answers = [[("" if cell == "-" else cell) for cell in row] for row in answers]
    requests = (
        "workspace_tipline_requets_data.csv" if draft else "workspace_tipline_requests_data.csv"
    )
    return {
        "README.txt": "CSV Export Documentation\n" if draft else "CSV Export Documentation\n====\n",
        "workspace_data.csv": table(WORKSPACE_HEADER, [WORKSPACE]),
        "workspace_user_data.csv": table(user_header if draft else USER_HEADER, users or USERS),
        "workspace_fact_checks_data.csv": table(
            FACT_CHECK_HEADER, FACT_CHECKS if fact_checks is None else fact_checks
        ),
        "workspace_explainers_data.csv": table(EXPLAINERS[0], EXPLAINERS[1:]),
        "workspace_annotations_data.csv": table(annotation_header, answers),
        requests: table(
            ["ID", "Language", "Platform", "Creation date", "User UID", "Text"],
            [["990001", "en", "whatsapp", "2026-04-02 07:00:00 UTC", "a1b2", "is this true?"]],
        ),
        "workspace_item_data.csv": table(ITEM_HEADER, ITEMS if items is None else items),
    }


def zipped(contents: dict[str, str | bytes], *, folder: str = "") -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(contents):
            body = contents[name]
            archive.writestr(folder + name, body.encode() if isinstance(body, str) else body)
    return out.getvalue()


def export(*, folder: str = "", nested: bool = False, **changes) -> bytes:
    """An export as a ZIP's bytes; `folder`: its files under that folder (unpacked and zipped
    again by hand); `nested`: that ZIP inside another."""
    body = zipped(files(**changes), folder=folder)
    return zipped({"larkmoor-gazette.zip": body}) if nested else body


def export_path(**changes) -> str:
    """An export written to a temporary file (removed when the test process ends)."""
    import atexit
    import os
    import tempfile

    handle, path = tempfile.mkstemp(suffix=".zip")
    with os.fdopen(handle, "wb") as out:
        out.write(export(**changes))
    atexit.register(os.remove, path)
    return path


def checked_export(actor, **changes):
    """An export uploaded and checked (the dry run) by `actor`, waiting for confirmation."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from factdesk.checkimport.services import check_import_start

    upload = SimpleUploadedFile("larkmoor-gazette.zip", export(**changes))
    return check_import_start(actor=actor, upload=upload)
