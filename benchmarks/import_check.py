"""How long a Meedan Check export takes to import, and how much memory: a synthetic export of
10,000 items and 5,000 fact checks (written to a temporary folder), imported through
`manage.py import_check`'s own path (checkimport.services.check_import_from_file: one
transaction, progress written from a second connection), beside baselines measured in the
same run: streaming every CSV of the export without writing anything, and the dry run.

    .venv/bin/python benchmarks/import_check.py                 # 10,000 items, 5,000 fact checks
    .venv/bin/python benchmarks/import_check.py --items 2000    # a quicker look
    .venv/bin/python benchmarks/import_check.py ../shared/migration/example/pa-courier.zip

Given a path, it imports that export instead and prints what came in. The database is a
fresh one on the embedded PostgreSQL (profile "bench"), made again at each run. Targets
(issue 14, item 7): the import <= 60 s and peak RSS <= 300 MB.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_seed import with_database

DATABASE = "bench_check_import"
TARGET_SECONDS = 60.0
TARGET_MB = 300.0
WORDS = [
    *("council", "harbour", "water", "school", "bridge", "mayor", "river", "budget"),
    *("hospital", "police", "ferry", "road", "tax", "rent", "market", "flood", "fire"),
    *("station", "bus", "tower", "festival", "park", "clinic", "museum", "port"),
    *("election", "vote", "minister", "report", "price", "wage", "housing", "energy"),
    *("storm", "fishing", "beach"),
]
STATUSES = ["undetermined"] * 8 + ["in_progress"] * 4 + ["false"] * 5 + ["verified"] * 3
ROLES = ["admin", "editor", "collaborator", "collaborator"]


def rss_mb() -> float:
    """This process's peak resident memory so far (Linux reports KB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def write_export(path: Path, items: int, fact_checks: int, seed: int = 7) -> None:
    """A synthetic export in the final format, written row by row into the ZIP.

    1. Users: 50 people and a bot.
    2. Fact checks: the first fifth belong to items made from a fact check without a
       claim (the item's title is the fact check's title, its description "-"): those
       pair; the rest pair with nothing.
    3. Items: a status mix like a working desk's, a third links (over 40 sites), tags from
       a vocabulary of 300; a third answered the workspace's tasks.
    """
    rng = random.Random(seed)
    paired = fact_checks // 5
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:

        def table(name: str, header: list[str], rows) -> None:
            with archive.open(name, "w") as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                writer = csv.writer(text, lineterminator="\n")
                writer.writerow(header)
                writer.writerows(rows)
                text.flush()
                text.detach()

        table(
            "workspace_data.csv",
            ["ID", "Name", "URL", "Created at", "Last activity", "Users #", "Items #"],
            [[90210, "Synthetic Desk", "https://checkmedia.org/synthetic-desk",
              "2021-01-01 00:00:00 UTC", "2026-01-01 00:00:00 UTC", 51, items]],
        )  # fmt: skip
        table(
            "workspace_user_data.csv",
            ["ID", "Name", "Email", "Joined date", "Last access date", "Role"],
            [
                [1000 + n, f"Person {n}", f"person{n}@synthetic.example",
                 "2022-01-01 00:00:00 UTC", "", ROLES[n % 4]]
                for n in range(50)
            ]
            + [[9, "Smooch", "", "2022-01-01 00:00:00 UTC", "", "editor"]],
        )  # fmt: skip
        titles = [f"{sentence(rng, 9)} (fact check {n})" for n in range(fact_checks)]
        table(
            "workspace_fact_checks_data.csv",
            ["ID", "Title", "Summary", "URL", "Language", "Report Status", "Imported?"],
            (
                [500000 + n, titles[n], f"{sentence(rng, 30)}.\n{sentence(rng, 20)}.",
                 f"https://synthetic.example/fact-check/{n}" if n % 3 else "", "en",
                 ("published", "unpublished", "paused")[n % 3], "false"]
                for n in range(fact_checks)
            ),
        )  # fmt: skip
        table(
            "workspace_explainers_data.csv",
            ["ID", "Title", "Description", "URL", "Language"],
            [[7000 + n, sentence(rng, 6), sentence(rng, 40), "", "en"] for n in range(20)],
        )
        tags = [f"{rng.choice(WORDS)} {n}" for n in range(300)]

        def item(n: int) -> list:
            if n < paired:  # made from fact check n, without a claim
                return [1_000_000 + n, titles[n], "-", "2025-06-01 10:00:00 UTC",
                        rng.choice(tags), rng.choice(["false", "verified"]), "", "Claim",
                        titles[n]]  # fmt: skip
            text = sentence(rng, 14)
            link = n % 3 == 0
            return [
                1_000_000 + n, text, text,
                f"2025-{1 + n % 12:02d}-{1 + n % 28:02d} 12:{n % 60:02d}:00 UTC",
                ", ".join(rng.sample(tags, rng.randint(0, 3))), rng.choice(STATUSES),
                "A Page" if link else "", "Link" if link else "Claim",
                f"https://site{n % 40}.example/posts/{n}" if link else f"fwd: {text.lower()}",
            ]  # fmt: skip

        table(
            "workspace_item_data.csv",
            ["ID", "Title", "Description", "Creation date", "Tags", "Status", "Source",
             "Media type", "Media data"],
            (item(n) for n in range(items)),
        )  # fmt: skip
        table(
            "workspace_annotations_data.csv",
            ["Item ID", "Where was it seen? (1)", "Topics (2)", "Notes (3)"],
            (
                [1_000_000 + n, '{"selected":"WhatsApp","other":null}',
                 '{"selected":["Health","Transport"],"other":null}', sentence(rng, 12)]
                for n in range(0, items, 3)
            ),
        )  # fmt: skip


def fresh_database(server_url: str) -> str:
    import psycopg

    with psycopg.connect(with_database(server_url, "postgres"), autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{DATABASE}"')
    return with_database(server_url, DATABASE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", help="a real export to import instead")
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--fact-checks", type=int, default=5_000)
    args = parser.parse_args()

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"), tempfile.TemporaryDirectory() as folder:
        os.environ["DATABASE_URL"] = fresh_database(os.environ["DATABASE_URL"])
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        if args.path:
            run(Path(args.path), real=True)
            return
        path = Path(folder) / "synthetic-desk.zip"
        started = time.perf_counter()
        write_export(path, args.items, args.fact_checks)
        print(
            f"Wrote {path.name}: {args.items:,} items, {args.fact_checks:,} fact checks, "
            f"{path.stat().st_size / 1e6:.1f} MB zipped ({time.perf_counter() - started:.1f} s)"
        )
        run(path, real=False)


def run(path: Path, *, real: bool) -> None:
    from django.contrib.auth.models import User

    from factdesk.checkimport import reader
    from factdesk.checkimport.importing import export_plan
    from factdesk.checkimport.reader import Export
    from factdesk.checkimport.services import check_import_from_file
    from factdesk.core import languages

    importer = User.objects.create_superuser("bench-importer", "bench@importer.example", None)
    languages.detect("warm the language model up before measuring")
    before_mb = rss_mb()

    started = time.perf_counter()
    with Export(str(path)) as export:
        rows = {name: export.count(name) for name in export.members if name.endswith(".csv")}
    read_seconds = time.perf_counter() - started

    started = time.perf_counter()
    with Export(str(path)) as export:
        export_plan(export)
    plan_seconds = time.perf_counter() - started

    started = time.perf_counter()
    report = check_import_from_file(actor=importer, path=str(path)).report
    import_seconds = time.perf_counter() - started
    peak_mb = rss_mb()

    started = time.perf_counter()
    again = check_import_from_file(actor=importer, path=str(path)).report
    again_seconds = time.perf_counter() - started

    print(f"Rows: {', '.join(f'{n:,} {name}' for name, n in rows.items())}")
    print(f"{'':40}{'seconds':>10}")
    print(f"{'baseline: stream-read every CSV':40}{read_seconds:>10.2f}")
    print(f"{'baseline: the dry run':40}{plan_seconds:>10.2f}")
    print(f"{'import (one transaction)':40}{import_seconds:>10.2f}")
    print(f"{'import again (creates nothing)':40}{again_seconds:>10.2f}")
    print(
        f"Peak RSS: {peak_mb:.0f} MB (before reading the export: {before_mb:.0f} MB; "
        "ru_maxrss of this process)"
    )
    created = {key: n for key, n in report["created"].items() if n}
    print(f"Created: {json.dumps(created)}")
    print(f"Again, created: {json.dumps({k: n for k, n in again['created'].items() if n})}")
    if real:
        print(f"Skipped ({report['skipped_total']}):")
        for skip in report["skipped"]:
            print(f"  {skip['file']}, row {skip['row']}: {skip['reason']}")
        for note in report["notes"]:
            print(f"Note: {note}")
        print(f"Unmapped statuses: {report['unmapped_statuses'] or 'none'}")
        return
    assert rows[reader.ITEMS] > 0
    verdict = "meets" if import_seconds <= TARGET_SECONDS and peak_mb <= TARGET_MB else "MISSES"
    print(
        f"Target: import <= {TARGET_SECONDS:.0f} s and peak RSS <= {TARGET_MB:.0f} MB: "
        f"{verdict} ({import_seconds:.1f} s, {peak_mb:.0f} MB)"
    )


if __name__ == "__main__":
    main()
