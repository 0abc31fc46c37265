"""manage.py export_desk PATH.zip [--with-archives]: the whole desk, as docs/export.md says."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factdesk.core.progress import Bar
from factdesk.exchange.desk import desk_export


class Command(BaseCommand):
    help = "Export the whole desk (every row, the audit trail included) to a ZIP of JSON Lines."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The ZIP file to write.")
        parser.add_argument(
            "--with-archives",
            action="store_true",
            help="Include the archived bodies of sources (snapshots and uploads).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if path.exists():
            raise CommandError(f"{path} exists already: give the name of a new file.")
        if not path.parent.is_dir():
            raise CommandError(f"There is no folder {path.parent} to write the export in.")
        bar = Bar(self.stderr._out)
        try:
            counts = desk_export(path, with_archives=options["with_archives"], progress=bar)
        except BaseException:
            path.unlink(missing_ok=True)  # no half-written export left looking whole
            raise
        finally:
            bar.close()
        rows = sum(count for name, count in counts.items() if name != "archived bodies")
        self.stdout.write(
            f"Exported {rows:,} rows of {len(counts) - 1} kinds"
            + (
                f" and {counts['archived bodies']:,} archived bodies"
                if counts["archived bodies"]
                else ""
            )
            + f" to {path}."
        )
