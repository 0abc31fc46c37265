"""manage.py import_desk PATH.zip: a desk export (export_desk) into this empty desk."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from factdesk.core.errors import DeskError
from factdesk.core.progress import Bar
from factdesk.exchange.desk import desk_import


class Command(BaseCommand):
    help = "Load a desk export into this desk, which must be empty (all of it, or nothing)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="The export's ZIP file.")

    def handle(self, *args: Any, **options: Any) -> None:
        if not Path(options["path"]).is_file():
            raise CommandError(f"There is no file {options['path']}.")
        bar = Bar(self.stderr._out)
        try:
            report = desk_import(options["path"], progress=bar)
        except DeskError as error:
            raise CommandError(error.message) from None
        finally:
            bar.close()
        rows = sum(report.rows.values())
        self.stdout.write(
            f"Imported {rows:,} rows of {len(report.rows)} kinds"
            + (f" and {report.bodies:,} archived bodies" if report.bodies else "")
            + ". The search and the similar-claims index fill themselves within minutes."
        )
