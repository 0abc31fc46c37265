"""How long a backup and a restore of a large desk take, and how large the backup is.

    .venv/bin/python benchmarks/backup.py                   # the 100,000-claim desk
    .venv/bin/python benchmarks/backup.py --claims 20000 --bodies 500

The desk is benchmarks/desk_seed.py's (seeded once into `bench_<claims>` on the embedded
PostgreSQL under var/bench/, reused later). It is copied to a scratch database (CREATE
DATABASE ... TEMPLATE), where --bodies archived sources are added with bodies in a scratch
storage folder (the seed has none). Then, in one run:

- baseline: plain `pg_dump --format=custom --no-sync` of the same database to /dev/null;
- `backup_create` into a new backup folder (dump, checksums, bodies, manifest);
- a second backup into the same folder (no new bodies: what a nightly backup costs);
- `backup_restore` into a new, empty database (checksums, pg_restore, bodies copied).
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_seed import database_name, prepare_database, with_database  # noqa: E402

SCRATCH = "bench_backup_source"
RESTORED = "bench_backup_restored"


def folder_size(path: Path) -> int:
    return sum(entry.stat().st_size for entry in path.rglob("*") if entry.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--bodies", type=int, default=2000, help="archived bodies added")
    parser.add_argument("--body-bytes", type=int, default=40_000, help="size of each body")
    args = parser.parse_args()

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"):
        import psycopg

        server_url = os.environ["DATABASE_URL"]
        name = database_name(args.claims, args.claims // 5, args.claims // 20, True)
        shape = {
            "claims": args.claims,
            "articles": args.claims // 5,
            "claimants": args.claims // 20,
        }
        if not prepare_database(server_url, name, shape):
            # Seeded (and migrated) as the desk benchmark seeds it, in a process of its own.
            subprocess.run(
                [
                    sys.executable,
                    str(BASE_DIR / "benchmarks" / "desk.py"),
                    "--claims",
                    str(args.claims),
                    "--seed-only",
                ],
                check=True,
            )
        import django

        admin_url = with_database(server_url, "postgres")
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
            admin.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')
            # The seeded database is the template: nobody may be connected to it.
            admin.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s", [name]
            )
            admin.execute(f'CREATE DATABASE "{SCRATCH}" TEMPLATE "{name}"')
            admin.execute(f'CREATE DATABASE "{RESTORED}"')
        os.environ["DATABASE_URL"] = with_database(server_url, SCRATCH)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        os.environ["DEBUG"] = "1"
        work = Path(tempfile.mkdtemp(prefix="factdesk-backup-bench-"))
        os.environ["STORAGE_DIR"] = str(work / "storage")
        django.setup()
        from django.conf import settings
        from django.contrib.auth.models import User
        from django.core.files.storage import FileSystemStorage
        from django.db import connections

        from factdesk.backups import services
        from factdesk.backups.postgres import Database, find_tool, server_major
        from factdesk.sources.fetching import body_path, store_body
        from factdesk.sources.models import Snapshot, Source

        settings.STORAGES["default"]["OPTIONS"]["location"] = str(work / "storage")
        print(f"Adding {args.bodies:,} archived sources of {args.body_bytes:,} bytes each...")
        author = User.objects.order_by("pk").first()
        assert author is not None
        rng = random.Random(3)
        sources = Source.objects.bulk_create(
            Source(
                url=f"https://bench.example/{index}",
                canonical_url=f"https://bench.example/{index}",
                status=Source.Status.DONE,
                added_by=author,
            )
            for index in range(args.bodies)
        )
        snapshots = []
        for source in sources:
            body = rng.randbytes(args.body_bytes // 2).hex().encode()
            digest = store_body(body)
            snapshots.append(
                Snapshot(
                    source=source,
                    sha256=digest,
                    body=body_path(digest),
                    size=len(body),
                    reading=Snapshot.Reading.TEXT,
                )
            )
        Snapshot.objects.bulk_create(snapshots)

        database = Database.from_settings(connections["default"].settings_dict)
        with database.connect() as conn:
            pg_dump = find_tool("pg_dump", database, server_major(conn))
        started = time.monotonic()
        subprocess.run(
            [str(pg_dump), "--format=custom", "--no-sync", "--file=/dev/null"],
            env=database.environment(),
            check=True,
        )
        baseline = time.monotonic() - started

        repository = work / "backups"
        started = time.monotonic()
        made = services.backup_create(repository=repository)
        first = time.monotonic() - started
        started = time.monotonic()
        again = services.backup_create(repository=repository)
        second = time.monotonic() - started

        target = Database(
            name=RESTORED,
            host=database.host,
            port=database.port,
            user=database.user,
            password=database.password,
        )
        started = time.monotonic()
        restored = services.backup_restore(
            repository=repository,
            name=made.name,
            database=target,
            storage=FileSystemStorage(location=work / "restored-storage"),
        )
        restore = time.monotonic() - started

        with psycopg.connect(**target.conninfo()) as conn:
            claims = conn.execute("SELECT count(*) FROM claims_claim").fetchone()
        print()
        print(
            f"desk: {made.counts.get('claims_claim', 0):,} claims, "
            f"{made.counts.get('claims_activity', 0):,} audit entries, {made.bodies:,} bodies "
            f"({folder_size(work / 'storage') / 1e6:.1f} MB)"
        )
        print(f"baseline  pg_dump -Fc to /dev/null           {baseline:7.1f} s")
        print(f"backup    first (dump + {made.bodies_added:,} bodies + manifest)  {first:7.1f} s")
        print(f"backup    second, same folder ({again.bodies_added} new bodies)    {second:7.1f} s")
        print(
            f"restore   checksums + pg_restore + bodies        {restore:7.1f} s "
            f"({claims[0] if claims else 0:,} claims back, {restored.bodies_copied:,} bodies)"
        )
        print(
            f"archive   database.dump {made.dump_size / 1e6:.1f} MB; the folder after two "
            f"backups {folder_size(repository) / 1e6:.1f} MB"
        )
        shutil.rmtree(work, ignore_errors=True)
        connections.close_all()
        with psycopg.connect(admin_url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{SCRATCH}" WITH (FORCE)')
            admin.execute(f'DROP DATABASE IF EXISTS "{RESTORED}" WITH (FORCE)')


if __name__ == "__main__":
    main()
