"""manage.py restore PATH [--backup NAME]: a backup restored into an empty desk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factdesk.backups.services import backup_restore, backups_listed
from factdesk.core.errors import DeskError
from factdesk.core.progress import Bar


class Command(BaseCommand):
    help = (
        "Restore a backup from PATH (the newest, or --backup NAME) into an empty desk, "
        "after checking every file against its checksum."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The backup folder manage.py backup wrote into.")
        parser.add_argument("--backup", help="Which backup (its folder name); default: newest.")
        parser.add_argument("--list", action="store_true", help="List the backups and stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["path"])
        if options["list"]:
            for name in backups_listed(path):
                self.stdout.write(name)
            return
        bar = Bar(self.stderr._out)
        try:
            restored = backup_restore(repository=path, name=options["backup"], progress=bar)
        except DeskError as error:
            raise CommandError(error.message) from None
        finally:
            bar.close()
        counts = ", ".join(f"{n:,} {table}" for table, n in restored.counts.items())
        self.stdout.write(
            f"Restored backup {restored.name}: {counts}; {restored.bodies:,} archived bodies "
            f"({restored.bodies_copied:,} copied into storage). If this desk's code is newer "
            "than the backup, run manage.py migrate now."
        )
