"""The export is read as Check writes it, and as people hand it over: zipped again in a
folder, inside another ZIP, in the draft format; anything else is refused in words."""

import io
import zipfile

import pytest

from factdesk.checkimport import reader
from factdesk.checkimport.reader import Export
from factdesk.core.errors import DeskError
from tests.checkimport.exports import RIVER, export, files, zipped


def open_export(body: bytes) -> Export:
    return Export(io.BytesIO(body))


@pytest.mark.parametrize(
    "body",
    [export(), export(folder="larkmoor-gazette/"), export(nested=True)],
    ids=["as Check writes it", "zipped again around its folder", "a ZIP inside a ZIP"],
)
def test_the_files_are_found_however_the_zip_was_made(body):
    with open_export(body) as found:
        assert found.has(reader.ITEMS)
        assert found.has(reader.ANNOTATIONS)
        rows = list(found.rows(reader.ITEMS))
    assert [row.number for row in rows] == [2, 3, 4, 5, 6, 7]
    assert rows[0].get("Title") == RIVER
    assert rows[0].get("Status") == "false"  # a status id, not a boolean


def test_the_draft_format_reads_with_the_final_names():
    with open_export(export(draft=True)) as found:
        users = list(found.rows(reader.USERS))
        assert users[0].get("Joined date") == "2022-01-10 08:00:00 UTC"  # "Joined data"
        assert found.has(reader.REQUESTS)  # from the misspelt "requets" file
        columns = reader.annotation_columns(found.headers(reader.ANNOTATIONS))
    assert [label for _, label in columns][:2] == ["Where was it seen?", "Topics"]


def test_multiline_fields_are_one_row():
    with open_export(export()) as found:
        checks = list(found.rows(reader.FACT_CHECKS))
    assert checks[0].get("Summary").count("\n") == 1
    assert [row.number for row in checks] == [2, 3, 4, 5]


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"", "not a ZIP archive"),
        (b"%PDF-1.4 not a zip at all", "not a ZIP archive"),
        (export()[:200], "not a ZIP archive, or it is damaged"),
        (zipped({"notes.txt": "hello", "report.csv": "a,b\n"}), "workspace_data.csv and"),
        (
            zipped({"workspace_data.csv": files()["workspace_data.csv"]}),
            "workspace_item_data.csv is missing",
        ),
        (zipped({"inner.zip": b"PK\x03\x04 broken"}), "The ZIP inside the upload"),
    ],
    ids=["empty", "a PDF", "cut short", "another ZIP", "items missing", "broken inner ZIP"],
)
def test_what_is_not_an_export_is_refused_in_words(body, words):
    with pytest.raises(DeskError, match=words):
        open_export(body)


def test_a_file_without_a_needed_column_is_refused_in_words():
    broken = files()
    broken["workspace_item_data.csv"] = "ID,Title\n1,x\n"
    with open_export(zipped(broken)) as found, pytest.raises(DeskError, match="“Status”"):
        list(found.rows(reader.ITEMS))


def test_a_file_that_is_not_utf8_is_refused_in_words():
    broken: dict[str, str | bytes] = dict(files())
    broken["workspace_item_data.csv"] = "ID,Title\n1,caf\xe9\n".encode("latin-1")
    with open_export(zipped(broken)) as found, pytest.raises(DeskError, match="not UTF-8"):
        list(found.rows(reader.ITEMS))


def test_two_workspaces_in_one_zip_are_refused():
    both = {f"a/{n}": b for n, b in files().items()} | {f"b/{n}": b for n, b in files().items()}
    with pytest.raises(DeskError, match="2 workspace exports"):
        open_export(zipped(both))


def test_values_are_read_as_the_format_says():
    assert reader.timestamp("2026-08-20 16:02:11 UTC").isoformat() == "2026-08-20T16:02:11+00:00"
    assert reader.timestamp("2026-08-20 16:02:11 -0400").utcoffset().total_seconds() == -14400
    assert reader.timestamp("") is None
    assert reader.timestamp("yesterday") is None
    assert reader.tags("harbor, water supply, #storm") == ["harbor", "water supply", "storm"]
    assert reader.tags("") == []


@pytest.mark.parametrize(
    ("cell", "text"),
    [
        ("-", ""),
        ("", ""),
        ('{"selected":"WhatsApp","other":null}', "WhatsApp"),
        (
            '{"selected":["Environment","Health"],"other":"Roads"}',
            "Environment, Health, other: Roads",
        ),
        (
            '[{"url"=>"https://a.example/x", "title"=>"A => B"}, {"url"=>"https://b.example/"}]',
            "A => B <https://a.example/x>; https://b.example/",
        ),
        (
            '{"type":"Feature","geometry":{"type":"Point","coordinates":[-1.25,53.5]},'
            '"properties":{"name":"Fenwick bridge"}}',
            "Fenwick bridge (53.5, -1.25)",
        ),
        ("true", "true"),  # free text stays text
        ("42", "42"),
        ("{not json", "{not json"),
    ],
)
def test_annotation_answers_read_as_an_editor_would(cell, text):
    assert reader.answer_text(cell) == text


def test_rows_are_streamed_not_read_whole(monkeypatch):
    """The reader hands out rows as the ZIP member is decompressed: the first row comes
    before the rest of the file is read."""
    big = files(items=[["1", "x", "x", "", "", "false", "", "Claim", "x"]] * 20_000)
    body = zipped(big)
    with open_export(body) as found:
        opened = []
        real_open = found.archive.open

        def spying_open(*args, **kwargs):
            member = real_open(*args, **kwargs)
            opened.append(member)
            return member

        monkeypatch.setattr(found.archive, "open", spying_open)
        rows = found.rows(reader.ITEMS)
        assert next(rows).get("ID") == "1"
        assert opened[0].tell() < found.size(reader.ITEMS) // 2
        rows.close()
    assert zipfile.is_zipfile(io.BytesIO(body))
