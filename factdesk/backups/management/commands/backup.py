"""manage.py backup [PATH] [--schedule]: a consistent backup of the desk (backups/services.py)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factdesk.backups.services import backup_create
from factdesk.core.errors import DeskError
from factdesk.core.progress import Bar
from factdesk.core.sizes import size_words


class Command(BaseCommand):
    help = (
        "Back up the database (pg_dump) and the archived bodies (by content: a second backup "
        "into the same folder adds only new ones) into PATH, BACKUP_DIR by default."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", nargs="?", help="The backup folder (default: BACKUP_DIR).")
        parser.add_argument(
            "--schedule",
            action="store_true",
            help="Keep running: a backup now, then one every BACKUP_HOURS hours (compose's "
            "backup service).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"] or settings.BACKUP_DIR)
        if not options["schedule"]:
            self._backup(path)
            return
        while True:
            try:
                self._backup(path)
            except CommandError as error:
                # A failed backup must not stop the next one: the log says why, and the
                # next attempt comes at the usual time.
                self.stderr.write(str(error))
            self.stdout.write(f"Next backup in {settings.BACKUP_HOURS} hours.")
            self.stdout.flush()
            time.sleep(settings.BACKUP_HOURS * 3600)

    def _backup(self, path: Path) -> None:
        bar = Bar(self.stderr._out)
        try:
            made = backup_create(repository=path, progress=bar)
        except DeskError as error:
            raise CommandError(error.message) from None
        finally:
            bar.close()
        counts = ", ".join(f"{n:,} {table}" for table, n in made.counts.items())
        self.stdout.write(
            f"Backup {made.name} written to {made.folder}: the database "
            f"({size_words(made.dump_size)}; {counts}) and {made.bodies:,} archived bodies "
            f"({made.bodies_added:,} new, {size_words(made.bytes_added)} added)."
        )
        if made.missing:
            self.stderr.write(
                f"{len(made.missing):,} archived bodies the database names were missing or "
                f"damaged in storage and are not in the backup (listed in its manifest): "
                f"{', '.join(made.missing[:5])}{' ...' if len(made.missing) > 5 else ''}"
            )
