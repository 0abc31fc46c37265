"""manage.py import_check PATH.zip [--dry-run] [--json] [--user USERNAME]"""

from __future__ import annotations

import json
import os
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError, CommandParser

from factdesk.checkimport.importing import export_plan
from factdesk.checkimport.reader import Export
from factdesk.checkimport.services import check_import_from_file
from factdesk.core.errors import DeskError
from factdesk.core.progress import Bar


class Command(BaseCommand):
    help = (
        "Import a Meedan Check workspace export (the ZIP of CSV files). --dry-run says what "
        "would be created and what can't be mapped, and why, without writing anything."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="the export's ZIP file")
        parser.add_argument("--dry-run", action="store_true", help="report only; write nothing")
        parser.add_argument(
            "--json", action="store_true", help="print the report as one JSON object, last"
        )
        parser.add_argument(
            "--user", help="the desk account (a publisher or admin) the import is made by"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = options["path"]
        if not os.path.isfile(path):
            raise CommandError(f"There is no file at {path}.")
        bar = Bar(self.stderr._out)

        def tell(done: int, total: int, phase: str) -> None:
            bar(phase, done, total)

        try:
            if options["dry_run"]:
                with Export(path) as export:
                    report = export_plan(export, progress=tell).as_json()
            else:
                actor = self._actor(options["user"])
                report = check_import_from_file(actor=actor, path=path, tell=tell).report
        except (DeskError, PermissionDenied) as error:
            raise CommandError(getattr(error, "message", str(error))) from None
        finally:
            bar.close()
        self._show(report)
        if options["json"]:
            # One object on the last line, for scripts: `tail -n 1 | jq`.
            self.stdout.write(json.dumps(report, ensure_ascii=False, separators=(",", ":")))

    def _actor(self, username: str | None) -> User:
        if not username:
            raise CommandError(
                "Name the desk account the import is made by: --user USERNAME (a publisher "
                "or an admin). A dry run (--dry-run) needs none."
            )
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"There is no account {username!r} on the desk.")
        return user

    def _show(self, report: dict[str, Any]) -> None:
        dry = report.get("dry_run")
        workspace = report.get("workspace", {})
        self.stdout.write(
            f"{'Dry run: nothing written. ' if dry else ''}Check workspace "
            f"{workspace.get('name', '?')} (id {workspace.get('id', '?')})"
        )
        verb = "Would create" if dry else "Created"
        created = ", ".join(f"{n} {k.replace('_', ' ')}" for k, n in report["created"].items())
        self.stdout.write(f"{verb}: {created}")
        if report.get("already_imported"):
            already = ", ".join(f"{n} {k}" for k, n in report["already_imported"].items())
            self.stdout.write(f"Imported before (left alone): {already}")
        if report["unmapped_statuses"]:
            self.stdout.write(
                "Check statuses with no mapping (their items are left out): "
                + ", ".join(report["unmapped_statuses"])
                + ". Map them on the desk's page /check-import/statuses/."
            )
        for note in report.get("notes", []):
            self.stdout.write(f"Note: {note}")
        skipped = report["skipped"]
        if skipped:
            self.stdout.write(f"Left out ({report.get('skipped_total', len(skipped))}):")
            for skip in skipped:
                where = f"{skip['file']}, row {skip['row']}" if skip["row"] else skip["file"]
                self.stdout.write(f"  {where}: {skip['reason']}")
