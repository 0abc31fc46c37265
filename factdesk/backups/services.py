"""Backups of the whole desk, and restoring one into an empty desk.

A backup repository is a folder:

    PATH/bodies/aa/<sha256>                 archived bodies, by content: shared by every backup
    PATH/backups/<name>/database.dump       pg_dump --format=custom
    PATH/backups/<name>/manifest.json       what the backup holds, with a checksum for each file

A second backup into the same PATH copies only the bodies the first did not have. A backup
folder without its manifest is unfinished (the manifest is written last) and is never
restored. Work files of the desk (a Check export waiting for confirmation, an uploaded feed)
are not backed up: they are deleted once read, and can be uploaded again.

These are operator commands (manage.py backup / restore), not a person's change through the
desk: they write no Activity. A restore brings back the audit trail as it was.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.db import connections
from django.utils import timezone

from factdesk.backups.postgres import (
    STDERR_LINES,
    Database,
    find_tool,
    run_tool,
    server_major,
)
from factdesk.core.errors import DeskError

FORMAT = 1  # manifest.json's "format": bumped when the layout changes
DUMP = "database.dump"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024
# The rows counted in the manifest: what an operator checks a restore against at a glance.
COUNTED_TABLES = (
    "auth_user",
    "claims_claim",
    "claims_verdict",
    "claims_activity",
    "claims_comment",
    "articles_article",
    "sources_source",
    "sources_snapshot",
    "sources_citation",
)
# A desk with people or claims is not empty: a restore would mix two desks.
EMPTY_DESK_TABLES = {"auth_user": "people", "claims_claim": "claims"}
DAMAGE_LISTED = 5

Progress = Callable[[str, int, int], None]  # what, done, total (exchange.progress.Bar)


def _quiet(what: str, done: int, total: int) -> None:
    pass


@dataclass
class BackupMade:
    name: str
    folder: Path
    dump_size: int
    bodies: int
    bodies_added: int
    bytes_added: int
    missing: list[str] = field(default_factory=list)  # bodies the storage did not have
    counts: dict[str, int] = field(default_factory=dict)


@dataclass
class Restored:
    name: str
    counts: dict[str, int]
    bodies: int
    bodies_copied: int


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _body_file(repository: Path, sha256: str) -> Path:
    return repository / "bodies" / sha256[:2] / sha256


def _writable(repository: Path) -> None:
    """Make the repository's folders, or say why they can't be written."""
    try:
        (repository / "bodies").mkdir(parents=True, exist_ok=True)
        (repository / "backups").mkdir(exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=repository / "backups"):
            pass
    except OSError as error:
        raise DeskError(
            f"Can't write the backup in {repository}: {error.strerror or error}. Give a folder "
            "the desk's user may write in (and with room for the database and the archive)."
        ) from None


def _new_name(repository: Path) -> str:
    base = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    name, number = base, 1
    while (repository / "backups" / name).exists():
        number += 1
        name = f"{base}-{number}"
    return name


def backup_create(
    *,
    repository: Path,
    database: Database | None = None,
    storage: Storage | None = None,
    progress: Progress = _quiet,
) -> BackupMade:
    """Back up the database and the archived bodies into `repository` as one consistent
    backup, and return what it holds. Raises DeskError (the folder can't be written, pg_dump
    is missing or fails); nothing half-made is left looking finished.

    1. In one read-only, repeatable-read transaction, export its snapshot, read the list of
       archived bodies and the row counts, and run pg_dump on that same snapshot: the dump,
       the list and the counts describe one moment of the desk, while it keeps working.
    2. Copy each body the repository lacks, checking that its content has the SHA-256 it is
       stored under (bodies are never changed once stored, so copying after the moment is
       safe).
    3. Write the manifest last, then give the backup its name.
    """
    repository = repository.resolve()
    database = database or Database.from_settings(connections["default"].settings_dict)
    storage = storage or default_storage
    _writable(repository)
    name = _new_name(repository)
    work = Path(tempfile.mkdtemp(prefix=f".{name}-", dir=repository / "backups"))
    try:
        with database.connect() as connection:
            major = server_major(connection)
            pg_dump = find_tool("pg_dump", database, major)
            connection.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            snapshot = connection.execute("SELECT pg_export_snapshot()").fetchone()
            assert snapshot is not None
            bodies = _bodies_listed(connection)
            counts = _counts(connection)
            tables = connection.execute(
                "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()"
            ).fetchone()
            _dump(
                [str(pg_dump), "--format=custom", "--verbose", f"--snapshot={snapshot[0]}"],
                work / DUMP,
                database,
                tables=tables[0] if tables else 0,
                progress=progress,
            )
            connection.execute("COMMIT")
        dump_size = (work / DUMP).stat().st_size
        dump_sha256 = file_sha256(work / DUMP)
        listed, missing, added, bytes_added = _copy_bodies(repository, storage, bodies, progress)
        manifest = {
            "format": FORMAT,
            "name": name,
            "created_at": timezone.now().isoformat(),
            "server_version": major,
            "database": {"file": DUMP, "sha256": dump_sha256, "size": dump_size},
            "bodies": listed,
            "missing_bodies": missing,
            "counts": counts,
        }
        with (work / MANIFEST).open("w") as stream:
            json.dump(manifest, stream, indent=1)
            stream.flush()
            os.fsync(stream.fileno())
        work.rename(repository / "backups" / name)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return BackupMade(
        name=name,
        folder=repository / "backups" / name,
        dump_size=dump_size,
        bodies=len(listed),
        bodies_added=added,
        bytes_added=bytes_added,
        missing=[body["sha256"] for body in missing],
        counts=counts,
    )


def _table_exists(connection: Any, table: str) -> bool:
    row = connection.execute("SELECT to_regclass(%s) IS NOT NULL", [table]).fetchone()
    return bool(row and row[0])


def _bodies_listed(connection: Any) -> list[tuple[str, str]]:
    """(sha256, storage path) of every archived body the database points at."""
    if not _table_exists(connection, "sources_snapshot"):
        return []
    return connection.execute(
        "SELECT DISTINCT sha256, body FROM sources_snapshot ORDER BY sha256, body"
    ).fetchall()


def _counts(connection: Any) -> dict[str, int]:
    counts = {}
    for table in COUNTED_TABLES:
        if _table_exists(connection, table):
            row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
            counts[table] = row[0] if row else 0
    return counts


def _dump(
    command: list[str], target: Path, database: Database, *, tables: int, progress: Progress
) -> None:
    """Run pg_dump into `target`, its --verbose lines moving the progress bar (one step a
    table's rows); a failure raises DeskError with the end of what pg_dump said."""
    progress("database", 0, tables)
    lines: list[str] = []
    done = 0
    try:
        process = subprocess.Popen(  # noqa: S603 - find_tool's binary, no shell
            [*command, f"--file={target}"],
            env=database.environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
    except OSError as error:
        raise DeskError(f"pg_dump could not be started: {error}") from None
    assert process.stderr is not None
    for line in process.stderr:
        if "dumping contents of table" in line:
            done += 1
            progress("database", min(done, tables), tables)
        else:
            lines.append(line.rstrip())
            del lines[:-50]  # the end says why it failed
    if process.wait() != 0:
        errors = [line for line in lines if "error" in line.lower()] or lines
        said = "\n  ".join(errors[-STDERR_LINES:]) or "it gave no reason"
        raise DeskError(f"pg_dump failed (exit {process.returncode}):\n  {said}")
    progress("database", tables, tables)


def _copy_bodies(
    repository: Path, storage: Storage, bodies: list[tuple[str, str]], progress: Progress
) -> tuple[list[dict[str, Any]], list[dict[str, str]], int, int]:
    """Copy into the repository the bodies it lacks. Returns the bodies listed (sha256,
    size, path), those missing or damaged in storage, and how many bodies and bytes were
    added."""
    listed: list[dict[str, Any]] = []
    missing: list[dict[str, str]] = []
    added = bytes_added = 0
    progress("archived bodies", 0, len(bodies))
    for number, (sha256, path) in enumerate(bodies, 1):
        target = _body_file(repository, sha256)
        if target.exists():
            listed.append({"sha256": sha256, "size": target.stat().st_size, "path": path})
        else:
            size = _copy_body(storage, path, sha256, target)
            if size is None:
                missing.append({"sha256": sha256, "path": path})
            else:
                listed.append({"sha256": sha256, "size": size, "path": path})
                added += 1
                bytes_added += size
        progress("archived bodies", number, len(bodies))
    return listed, missing, added, bytes_added


def _copy_body(storage: Storage, path: str, sha256: str, target: Path) -> int | None:
    """Copy one body to `target` (written aside, renamed once checked); its size, or None
    when storage lacks it or holds other content than its SHA-256 says."""
    target.parent.mkdir(exist_ok=True)
    partial = target.with_name(f".{sha256}.partial")
    digest = hashlib.sha256()
    size = 0
    try:
        with storage.open(path, "rb") as source, partial.open("wb") as copy:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                size += len(chunk)
                copy.write(chunk)
    except FileNotFoundError:
        partial.unlink(missing_ok=True)
        return None
    if digest.hexdigest() != sha256:
        partial.unlink()
        return None
    partial.rename(target)
    return size


# ── restore ─────────────────────────────────────────────────────────────────────────────


def backups_listed(repository: Path) -> list[str]:
    """The finished backups in the repository (those with a manifest), oldest first."""
    folder = repository / "backups"
    if not folder.is_dir():
        return []
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if not entry.name.startswith(".") and (entry / MANIFEST).is_file()
    )


def backup_manifest(repository: Path, name: str | None = None) -> dict[str, Any]:
    """The manifest of backup `name` (the newest when None), or a DeskError saying which
    backups there are."""
    names = backups_listed(repository)
    if not names:
        raise DeskError(
            f"{repository} holds no finished backup (no backups/<name>/{MANIFEST}): give the "
            "folder manage.py backup wrote into."
        )
    name = name or names[-1]
    if name not in names:
        raise DeskError(f"There is no backup {name} in {repository}. It holds: {', '.join(names)}.")
    try:
        manifest = json.loads((repository / "backups" / name / MANIFEST).read_text())
    except ValueError:
        raise DeskError(f"The manifest of backup {name} is not readable JSON: damaged.") from None
    if manifest.get("format") != FORMAT:
        raise DeskError(
            f"Backup {name} is in format {manifest.get('format')!r}; this desk reads {FORMAT}."
        )
    return manifest


def backup_verify(repository: Path, manifest: dict[str, Any], progress: Progress = _quiet) -> None:
    """Check every file of the backup against its size and SHA-256; a DeskError lists what
    does not match."""
    name = manifest["name"]
    dump = repository / "backups" / name / manifest["database"]["file"]
    problems = []
    progress("checking the database dump", 0, 1)
    if not dump.is_file():
        problems.append(f"{DUMP} is missing")
    elif (
        dump.stat().st_size != manifest["database"]["size"]
        or file_sha256(dump) != manifest["database"]["sha256"]
    ):
        problems.append(f"{DUMP} does not match its checksum")
    progress("checking the database dump", 1, 1)
    bodies = manifest["bodies"]
    progress("checking archived bodies", 0, len(bodies))
    for number, body in enumerate(bodies, 1):
        stored = _body_file(repository, body["sha256"])
        if not stored.is_file():
            problems.append(f"the archived body {body['sha256']} is missing")
        elif stored.stat().st_size != body["size"] or file_sha256(stored) != body["sha256"]:
            problems.append(f"the archived body {body['sha256']} does not match its checksum")
        progress("checking archived bodies", number, len(bodies))
    if problems:
        more = len(problems) - DAMAGE_LISTED
        listed = "; ".join(problems[:DAMAGE_LISTED]) + (f"; and {more} more" if more > 0 else "")
        raise DeskError(
            f"Backup {name} is damaged, so nothing was restored: {listed}. Restore an older "
            "backup (--backup NAME), or copy the repository again from where it is kept."
        )


def desk_emptiness(database: Database) -> dict[str, int]:
    """What makes the desk at `database` not empty: {"people": n, "claims": n} for those
    present; {} for an empty database or a freshly migrated one."""
    found = {}
    with database.connect() as connection:
        for table, what in EMPTY_DESK_TABLES.items():
            if _table_exists(connection, table):
                row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()  # noqa: S608
                if row and row[0]:
                    found[what] = row[0]
    return found


def backup_restore(
    *,
    repository: Path,
    name: str | None = None,
    database: Database | None = None,
    storage: Storage | None = None,
    progress: Progress = _quiet,
) -> Restored:
    """Restore backup `name` (the newest when None) into an empty desk. Raises DeskError,
    having changed nothing, when the desk is not empty or any file of the backup does not
    match its checksum.

    1. Read the manifest and check every checksum (the dump and every body).
    2. Refuse a desk with people or claims (an empty database, or one freshly migrated, is
       fine: the restore replaces its tables).
    3. pg_restore in one transaction (a failure leaves the database as it was).
    4. Copy the bodies the storage lacks.
    """
    repository = repository.resolve()
    database = database or Database.from_settings(connections["default"].settings_dict)
    storage = storage or default_storage
    manifest = backup_manifest(repository, name)
    backup_verify(repository, manifest, progress)
    found = desk_emptiness(database)
    if found:
        held = " and ".join(f"{count:,} {what}" for what, count in found.items())
        raise DeskError(
            f"The desk in database {database.name} is not empty ({held}): a backup is restored "
            "only into an empty desk, so that two desks never mix. Restore into a new database "
            "(createdb, then point DATABASE_URL at it), or drop this one first if it is "
            "surely not needed."
        )
    with database.connect() as connection:
        pg_restore = find_tool("pg_restore", database, server_major(connection))
    progress("restoring the database", 0, 1)
    dump = repository / "backups" / manifest["name"] / manifest["database"]["file"]
    run_tool(
        [
            str(pg_restore),
            f"--dbname={database.name}",
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-privileges",
            "--single-transaction",
            "--exit-on-error",
            str(dump),
        ],
        database,
        "pg_restore",
    )
    progress("restoring the database", 1, 1)
    bodies = manifest["bodies"]
    copied = 0
    progress("archived bodies", 0, len(bodies))
    for number, body in enumerate(bodies, 1):
        if not storage.exists(body["path"]):
            with _body_file(repository, body["sha256"]).open("rb") as stream:
                storage.save(body["path"], File(stream))
            copied += 1
        progress("archived bodies", number, len(bodies))
    return Restored(
        name=manifest["name"], counts=manifest["counts"], bodies=len(bodies), bodies_copied=copied
    )
