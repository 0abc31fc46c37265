"""A desk backed up (pg_dump and its archived bodies), restored into a second, new database
on the same server, and compared row by row and body by body; damaged backups and
non-empty desks refused with nothing changed.

pg_dump and pg_restore are other processes: they see only committed rows, so these tests
commit (transactional_db)."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.storage import FileSystemStorage
from django.core.management import CommandError, call_command
from django.db import connection

from factdesk.backups import services
from factdesk.backups.postgres import Database
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.errors import DeskError
from factdesk.sources.fetching import body_path, store_body
from factdesk.sources.models import Source
from tests.claims.flow import Desk
from tests.factories import SnapshotFactory


def desk_database() -> Database:
    return Database.from_settings(connection.settings_dict)


def archive(source: Source, body: bytes) -> None:
    digest = store_body(body)
    SnapshotFactory(
        source=source, sha256=digest, body=body_path(digest), size=len(body), text=body.decode()
    )


@pytest.fixture
def desk(transactional_db, reporter, editor, publisher, ratings, archive_storage):
    """Published and draft claims, cited sources with archived bodies, the audit trail."""
    from factdesk.sources import services as sources

    cast = Desk(reporter=reporter, editor=editor, publisher=publisher, ratings=ratings)
    published = cast.claim_in(ClaimStatus.PUBLISHED)
    cast.claim_in(ClaimStatus.IN_REVIEW)
    for number in range(3):
        citation = sources.citation_add(
            actor=reporter, claim=published, url=f"https://stats.example/table-{number}"
        )
        archive(citation.source, f"<p>Table {number}: the rate was 4.{number}%.</p>".encode())
    return cast


@pytest.fixture
def new_database():
    """A second, empty database on the test server, dropped afterwards."""
    test = desk_database()
    name = f"restore_{uuid.uuid4().hex[:10]}"
    with test.connect(autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield Database(
        name=name, host=test.host, port=test.port, user=test.user, password=test.password
    )
    with test.connect(autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def every_row(database: Database) -> dict[str, list[str]]:
    """Each table's rows (COPY's text, sorted) and each sequence's last value."""
    found: dict[str, list[str]] = {}
    with psycopg.connect(**database.conninfo()) as conn:
        tables = [
            row[0]
            for row in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
            )
        ]
        for table in tables:
            lines = []
            with conn.cursor().copy(f'COPY "{table}" TO STDOUT') as copy:
                for chunk in copy:
                    lines.append(bytes(chunk).decode())
            found[table] = sorted("".join(lines).splitlines())
        for (sequence,) in conn.execute(
            "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"
        ).fetchall():
            value = conn.execute(f'SELECT last_value FROM "{sequence}"').fetchone()  # noqa: S608
            found[f"sequence {sequence}"] = [str(value[0] if value else None)]
    return found


def files_under(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in root.rglob("*")
        if path.is_file() and path.relative_to(root).parts[0] == "snapshots"
    }


def tables_in(database: Database) -> int:
    with psycopg.connect(**database.conninfo()) as conn:
        row = conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone()
        return row[0] if row else 0


def test_a_restored_desk_is_the_desk_backed_up(desk, archive_storage, tmp_path, new_database):
    repository = tmp_path / "backups"
    made = services.backup_create(repository=repository)
    assert made.bodies == 3
    assert made.bodies_added == 3
    assert made.missing == []
    manifest = json.loads((made.folder / "manifest.json").read_text())
    assert manifest["counts"]["claims_claim"] == 2
    assert manifest["database"]["sha256"] == services.file_sha256(made.folder / "database.dump")
    assert {body["sha256"] for body in manifest["bodies"]} == {
        path.name for path in (repository / "bodies").rglob("*") if path.is_file()
    }

    restored_storage = tmp_path / "restored"
    restored = services.backup_restore(
        repository=repository,
        database=new_database,
        storage=FileSystemStorage(location=restored_storage),
    )

    assert restored.bodies_copied == 3
    original, copy = every_row(desk_database()), every_row(new_database)
    assert set(copy) == set(original)
    for table, rows in original.items():
        assert copy[table] == rows, f"{table} differs after the restore"
    assert original["claims_activity"]  # the audit trail came back too
    assert files_under(restored_storage) == files_under(archive_storage)
    assert len(files_under(restored_storage)) == 3


def test_a_second_backup_adds_only_the_new_bodies(desk, tmp_path):
    repository = tmp_path / "backups"
    first = services.backup_create(repository=repository)
    source = Source.objects.create(
        url="https://stats.example/new",
        canonical_url="https://stats.example/new",
        added_by=desk.reporter,
    )
    archive(source, b"A new table.")

    second = services.backup_create(repository=repository)

    assert (first.bodies, first.bodies_added) == (3, 3)
    assert (second.bodies, second.bodies_added) == (4, 1)
    assert second.bytes_added == len(b"A new table.")
    assert len([p for p in (repository / "bodies").rglob("*") if p.is_file()]) == 4
    assert services.backups_listed(repository) == sorted([first.name, second.name])


def test_a_restore_into_a_migrated_but_empty_desk_replaces_it(desk, tmp_path, new_database):
    repository = tmp_path / "backups"
    services.backup_create(repository=repository)
    storage = FileSystemStorage(location=tmp_path / "restored")
    services.backup_restore(repository=repository, database=new_database, storage=storage)
    # What a freshly migrated desk is: the tables, a rating scale, no people, no claims.
    with psycopg.connect(**new_database.conninfo()) as conn:
        conn.execute("TRUNCATE auth_user, claims_claim CASCADE")
    assert services.desk_emptiness(new_database) == {}

    services.backup_restore(repository=repository, database=new_database, storage=storage)

    assert every_row(new_database) == every_row(desk_database())


def test_a_damaged_dump_is_refused_before_anything_changes(desk, tmp_path, new_database):
    repository = tmp_path / "backups"
    made = services.backup_create(repository=repository)
    dump = made.folder / "database.dump"
    damaged = bytearray(dump.read_bytes())
    damaged[len(damaged) // 2] ^= 0xFF
    dump.write_bytes(bytes(damaged))
    storage = tmp_path / "restored"

    with pytest.raises(DeskError, match=r"is damaged, so nothing was restored: database\.dump"):
        services.backup_restore(
            repository=repository, database=new_database, storage=FileSystemStorage(storage)
        )

    assert tables_in(new_database) == 0
    assert not storage.exists()


def test_a_damaged_body_is_refused_before_anything_changes(desk, tmp_path, new_database):
    repository = tmp_path / "backups"
    made = services.backup_create(repository=repository)
    body = next(p for p in (repository / "bodies").rglob("*") if p.is_file())
    body.write_bytes(body.read_bytes() + b" and more")

    with pytest.raises(DeskError, match=f"the archived body {body.name} does not match"):
        services.backup_restore(
            repository=repository,
            name=made.name,
            database=new_database,
            storage=FileSystemStorage(tmp_path / "restored"),
        )

    assert tables_in(new_database) == 0


def test_a_desk_with_people_and_claims_is_refused(desk, tmp_path):
    repository = tmp_path / "backups"
    call_command("backup", str(repository))
    before = every_row(desk_database())

    with pytest.raises(CommandError, match=r"is not empty \(\d+ people and 2 claims\)"):
        call_command("restore", str(repository))

    assert every_row(desk_database()) == before


def test_unwritable_folder_and_failing_pg_dump_are_said_plainly(desk, tmp_path, monkeypatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    with pytest.raises(CommandError, match="Can't write the backup in"):
        call_command("backup", str(blocked / "backups"))

    failing = tmp_path / "pg_dump"
    failing.write_text(
        "#!/bin/sh\necho 'pg_dump: error: query failed: permission denied for table x' >&2\n"
        "exit 1\n"
    )
    failing.chmod(0o755)
    monkeypatch.setattr(services, "find_tool", lambda *args: failing)
    with pytest.raises(DeskError, match=r"(?s)pg_dump failed.*permission denied for table x"):
        services.backup_create(repository=tmp_path / "repo")
    assert services.backups_listed(tmp_path / "repo") == []  # nothing half-made looks finished


def test_restore_names_what_the_folder_holds(tmp_path):
    with pytest.raises(DeskError, match="holds no finished backup"):
        services.backup_manifest(tmp_path)
