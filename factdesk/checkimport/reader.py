"""Reading a Meedan Check workspace export: a ZIP of CSV files (README.txt beside them),
as Check's "sunset" export writes it. Files are found by their exact names, at the root of
the ZIP, in its one top-level folder (a ZIP unpacked and zipped again by hand), or in a ZIP
inside the ZIP. Rows are streamed (csv over a TextIOWrapper of the ZIP member): a file is
never read whole into memory.

The draft format of the export (PR #2454's first version) is read too: its misspelt
headers and file name are aliases of the final ones, and its annotation headers carry no
task id. Errors are DeskErrors an editor can act on.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import IO, Any

from factdesk.core.errors import DeskError

WORKSPACE = "workspace_data.csv"
USERS = "workspace_user_data.csv"
FACT_CHECKS = "workspace_fact_checks_data.csv"
EXPLAINERS = "workspace_explainers_data.csv"
ITEMS = "workspace_item_data.csv"
ANNOTATIONS = "workspace_annotations_data.csv"
REQUESTS = "workspace_tipline_requests_data.csv"
NEWSLETTERS = "workspace_tipline_newsletter_data.csv"

# What the desk needs to import anything, and the columns it reads from each.
REQUIRED = {
    WORKSPACE: ("ID", "Name", "URL"),
    ITEMS: ("ID", "Title", "Description", "Creation date", "Tags", "Status", "Media type"),
}
# Read when present: a workspace without users, fact checks or team tasks is still an export.
OPTIONAL = {
    USERS: ("Name", "Email", "Role"),
    FACT_CHECKS: ("ID", "Title", "Summary", "URL", "Language", "Report Status"),
    ANNOTATIONS: ("Item ID",),
    EXPLAINERS: (),
    REQUESTS: (),
    NEWSLETTERS: (),
}
FILE_ALIASES = {"workspace_tipline_requets_data.csv": REQUESTS}  # the draft's typo
HEADER_ALIASES = {
    "Joined data": "Joined date",
    "Hheader file": "Header file",
    "Creation data": "Creation date",
}
NO_ANSWER = "-"  # an annotation cell, and an item's Description, with nothing in it
NESTED_DEPTH = 2  # a ZIP in a ZIP in the upload, and no deeper


@dataclass(frozen=True)
class Row:
    """One CSV record: `number` is its row as a spreadsheet shows it (the header is row 1;
    a record with line breaks in a field is still one row)."""

    file: str
    number: int
    values: dict[str, str]

    def get(self, column: str) -> str:
        return (self.values.get(column) or "").strip()


def _export_problem(names: list[str]) -> str:
    """Why a ZIP holding `names` is not a Check export, in words."""
    csvs = [name for name in names if name.lower().endswith(".csv")]
    missing = [name for name in REQUIRED if name not in {n.rsplit("/", 1)[-1] for n in names}]
    found = f" It holds {', '.join(sorted(csvs)[:5])}." if csvs else " It holds no CSV file."
    return (
        f"This ZIP is not a Check workspace export: {' and '.join(missing)} "
        f"{'is' if len(missing) == 1 else 'are'} missing.{found} Upload the ZIP Check gave "
        "you (Settings → Data → Download), as it came."
    )


class Export:
    """An open export: its files by name. Use as a context manager; it closes the ZIP (and
    the temporary copy of a ZIP inside the ZIP) on exit."""

    def __init__(self, source: str | IO[bytes]) -> None:
        self._stack = ExitStack()
        try:
            archive = self._open(source, depth=0)
        except BaseException:
            self._stack.close()
            raise
        self.archive = archive
        self.members = self._members(archive)

    def __enter__(self) -> Export:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._stack.close()

    def _open(self, source: str | IO[bytes], depth: int) -> zipfile.ZipFile:
        """The ZIP holding the export's files: `source` itself, or the ZIP it wraps.

        1. `source` must be a ZIP (its directory readable).
        2. If it holds workspace_data.csv (at its root or in folders), it is the export.
        3. Otherwise, if it holds exactly one ZIP, that one is opened the same way (copied to
           a temporary file first: a member can't be read from its end without reading it
           all), up to NESTED_DEPTH levels.
        """
        try:
            archive = self._stack.enter_context(zipfile.ZipFile(source))
        except zipfile.BadZipFile:
            if depth:
                raise DeskError(
                    "The ZIP inside the upload is damaged (its directory can't be read). "
                    "Download the export from Check again."
                ) from None
            raise DeskError(
                "This file is not a ZIP archive, or it is damaged (cut short while "
                "downloading?). Upload the ZIP Check gave you, as it came."
            ) from None
        except (OSError, EOFError, ValueError) as error:
            raise DeskError(
                f"The ZIP could not be read ({error}). Download the export from Check again."
            ) from None
        names = [info.filename for info in archive.infolist() if not info.is_dir()]
        if any(name.rsplit("/", 1)[-1] == WORKSPACE for name in names):
            return archive
        inner = [name for name in names if name.lower().endswith(".zip")]
        if len(inner) == 1 and depth < NESTED_DEPTH:
            # Closed (and so deleted) with the export.
            copy = self._stack.enter_context(tempfile.TemporaryFile())  # noqa: SIM115
            try:
                with archive.open(inner[0]) as member:
                    shutil.copyfileobj(member, copy)
            except (zipfile.BadZipFile, OSError, EOFError) as error:
                raise DeskError(
                    f"The ZIP inside the upload ({inner[0]}) is damaged: {error}. Download "
                    "the export from Check again."
                ) from None
            copy.seek(0)
            return self._open(copy, depth + 1)
        raise DeskError(_export_problem(names))

    @staticmethod
    def _members(archive: zipfile.ZipFile) -> dict[str, zipfile.ZipInfo]:
        """The export's files by name: at the root, or in the one folder that holds
        workspace_data.csv (a ZIP made again by hand around the unpacked folder). macOS's
        __MACOSX shadows are left out."""
        infos = [
            info
            for info in archive.infolist()
            if not info.is_dir() and not info.filename.startswith("__MACOSX/")
        ]
        folders = {
            info.filename.rsplit("/", 1)[0] if "/" in info.filename else ""
            for info in infos
            if info.filename.rsplit("/", 1)[-1] == WORKSPACE
        }
        if len(folders) > 1:
            raise DeskError(
                f"This ZIP holds {len(folders)} workspace exports ({', '.join(sorted(folders))}"
                "). Upload one workspace's ZIP at a time."
            )
        folder = folders.pop()
        prefix = f"{folder}/" if folder else ""
        members = {}
        for info in infos:
            if not info.filename.startswith(prefix) or "/" in info.filename[len(prefix) :]:
                continue
            name = info.filename[len(prefix) :]
            members[FILE_ALIASES.get(name, name)] = info
        missing = [name for name in REQUIRED if name not in members]
        if missing:
            raise DeskError(_export_problem([info.filename for info in infos]))
        return members

    def has(self, name: str) -> bool:
        return name in self.members

    def size(self, name: str) -> int:
        """The file's uncompressed size in bytes (0 when absent)."""
        return self.members[name].file_size if name in self.members else 0

    def headers(self, name: str) -> list[str]:
        with self._text(name) as text:
            try:
                header = next(csv.reader(text), [])
            except (csv.Error, UnicodeDecodeError) as error:
                raise self._unreadable(name, 1, error) from None
        return [HEADER_ALIASES.get(column, column) for column in header]

    def rows(self, name: str) -> Iterator[Row]:
        """The file's records, in order, as they are read. Raises DeskError when the file
        lacks a column the desk reads, or stops being readable CSV."""
        if name not in self.members:
            return
        with self._text(name) as text:
            reader = csv.reader(text)
            number = 1
            try:
                header = [HEADER_ALIASES.get(column, column) for column in next(reader, [])]
                needed = {**REQUIRED, **OPTIONAL}.get(name, ())
                missing = [column for column in needed if column not in header]
                if missing:
                    raise DeskError(
                        f"{name} lacks the column{'s' if len(missing) > 1 else ''} "
                        f"{', '.join(f'“{column}”' for column in missing)}: it is not the file "
                        "Check writes. Upload the ZIP Check gave you, unchanged."
                    )
                for number, values in enumerate(reader, start=2):
                    if not any(values):
                        continue  # a blank line (a file edited by hand)
                    yield Row(name, number, dict(zip(header, values, strict=False)))
            except (csv.Error, UnicodeDecodeError) as error:
                raise self._unreadable(name, number + 1, error) from None

    def count(self, name: str) -> int:
        """How many records the file holds (a read through it, no row kept)."""
        return sum(1 for _ in self.rows(name))

    def _text(self, name: str) -> io.TextIOWrapper:
        try:
            member = self.archive.open(self.members[name])
        except (zipfile.BadZipFile, OSError, RuntimeError) as error:
            raise DeskError(
                f"{name} can't be read from the ZIP ({error}). Download the export again."
            ) from None
        # utf-8-sig: a file saved again by a spreadsheet starts with a byte-order mark.
        return io.TextIOWrapper(member, encoding="utf-8-sig", newline="")

    @staticmethod
    def _unreadable(name: str, number: int, error: Exception) -> DeskError:
        if isinstance(error, UnicodeDecodeError):
            return DeskError(
                f"{name} is not UTF-8 text near row {number} (saved again by a spreadsheet in "
                "another encoding?). Upload the ZIP Check gave you, unchanged."
            )
        return DeskError(f"{name} stops being readable CSV at row {number} ({error}).")


# ── values ──────────────────────────────────────────────────────────────────────────────


def timestamp(value: str) -> datetime.datetime | None:
    """A Check timestamp ("2026-08-20 16:02:11 UTC", or with a +HHMM offset) as an aware
    datetime; None when empty or not a timestamp."""
    value = value.strip()
    if not value:
        return None
    if value.endswith(" UTC"):
        value = value[:-4] + " +0000"
    try:
        return datetime.datetime.strptime(value, "%Y-%m-%d %H:%M:%S %z")
    except ValueError:
        return None


def tags(value: str) -> list[str]:
    """An item's tags: joined with ", " by Check (a tag with a comma in it splits too: the
    export can't tell), without a leading "#", each once."""
    names = (name.strip().lstrip("#").strip() for name in value.split(", "))
    return list(dict.fromkeys(name for name in names if name))


ANNOTATION_HEADER = re.compile(r"^(?P<label>.*?)\s*\((?P<id>\d+)\)$")


def annotation_columns(header: list[str]) -> list[tuple[str, str]]:
    """(column, label) of each answer column of the annotations file: "Topics (3302)" is
    labelled "Topics"; the draft format's bare labels are their own labels."""
    columns = []
    for column in header[1:]:
        found = ANNOTATION_HEADER.match(column)
        columns.append((column, found.group("label") if found else column))
    return columns


def answer_text(cell: str) -> str:
    """An annotation answer as an editor reads it ("" for no answer).

    1. "-" (or, in the draft format, an empty cell) is no answer.
    2. Ruby's inspect of a list of links, [{"url"=>"…", "title"=>"…"}], is read as JSON
       once "=>" is ":" (outside strings): each link as "title <url>".
    3. A JSON object or list is read: {"selected": …, "other": …} gives its choices; a
       GeoJSON Feature its place name and coordinates.
    4. Anything else is kept as written (a free-text "true" stays text).
    """
    cell = cell.strip()
    if cell in ("", NO_ANSWER):
        return ""
    decoded: Any = None
    if cell.startswith('[{"url"=>'):
        decoded = _json(_ruby_hash_as_json(cell))
    elif cell[:1] in "{[":
        decoded = _json(cell)
    if decoded is None:
        return cell
    return _decoded_text(decoded) or cell


def _json(text: str) -> Any:
    try:
        return json.loads(text)
    except ValueError:
        return None


def _ruby_hash_as_json(text: str) -> str:
    """`"key"=>value` as `"key":value`, leaving "=>" inside strings alone."""
    out, in_string, escaped, i = [], False, False, 0
    while i < len(text):
        char = text[i]
        if in_string:
            out.append(char)
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
            out.append(char)
        elif text.startswith("=>", i):
            out.append(":")
            i += 1
        else:
            out.append(char)
        i += 1
    return "".join(out)


def _decoded_text(value: Any) -> str:
    if isinstance(value, dict) and "selected" in value:
        chosen = value["selected"]
        parts = [str(c) for c in (chosen if isinstance(chosen, list) else [chosen]) if c]
        if value.get("other"):
            parts.append(f"other: {value['other']}")
        return ", ".join(parts)
    if isinstance(value, dict) and value.get("type") == "Feature":
        geometry = value.get("geometry") or {}
        place = (value.get("properties") or {}).get("name") or ""
        coordinates = geometry.get("coordinates")
        if isinstance(coordinates, list) and len(coordinates) == 2:
            # GeoJSON's order is [longitude, latitude]; people read latitude first.
            where = f"{coordinates[1]}, {coordinates[0]}"
            return f"{place} ({where})" if place else where
        return str(place)
    if isinstance(value, list):
        links = []
        for entry in value:
            if isinstance(entry, dict) and entry.get("url"):
                title = entry.get("title") or ""
                links.append(f"{title} <{entry['url']}>" if title else str(entry["url"]))
            elif entry not in (None, ""):
                links.append(str(entry))
        return "; ".join(links)
    return ""
