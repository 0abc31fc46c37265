"""Importing a Check export: taking the ZIP and checking it (the dry run), confirming, the
worker's import with its progress, the import from a file on the server (the command),
and saying what a Check status becomes. Each change by a person is audited."""

from __future__ import annotations

import os
import uuid
from functools import partial

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connections, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import F
from django.utils import timezone

from factdesk.accounts.roles import require_role
from factdesk.checkimport.importing import Progress, Report, export_import, export_plan
from factdesk.checkimport.mapping import CORE_STATUSES
from factdesk.checkimport.models import CheckImport, Outcome, StatusMapping
from factdesk.checkimport.reader import Export
from factdesk.claims import audit
from factdesk.claims.models import Rating
from factdesk.claims.workflow import PUBLISHERS
from factdesk.core import idempotency
from factdesk.core.errors import DeskError
from factdesk.core.sizes import size_words

STATUS_ID_MAX = 100


class ProgressWriter:
    """Writes an import's progress from a database connection of its own, in autocommit:
    the import's transaction stays open until the end, and a page (or another process)
    reads only what is committed. Only these columns are written here; the import's own
    transaction never writes the row, so neither waits for the other."""

    def __init__(self, check_import_id: int) -> None:
        self.check_import_id = check_import_id
        self.connection: BaseDatabaseWrapper = connections["default"].copy()

    def __call__(self, done: int, total: int, phase: str) -> None:
        table = CheckImport._meta.db_table
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET rows_done = %s, rows_total = %s, phase = %s, "  # noqa: S608
                "updated_at = now() WHERE id = %s",
                [done, total, phase[:100], self.check_import_id],
            )

    def close(self) -> None:
        self.connection.close()


def _check_upload(upload: File) -> None:
    if not upload.size:
        raise DeskError("The file is empty: choose the ZIP Check gave you.", field="file")
    if upload.size > settings.CHECK_IMPORT_MAX_BYTES:
        raise DeskError(
            f"The file is {size_words(upload.size)}; exports of up to "
            f"{size_words(settings.CHECK_IMPORT_MAX_BYTES)} are taken here. Import a larger "
            "one on the server with manage.py import_check.",
            field="file",
        )


def check_import_start(
    *, actor: User, upload: File, idempotency_key: uuid.UUID | None = None
) -> CheckImport:
    """Take a Check export and check it (the dry run): what it would create, what it
    can't map and why. Nothing is imported until it is confirmed. Raises DeskError saying
    what is wrong with the file; nothing is kept then."""
    require_role(actor, PUBLISHERS, "import a Check export")
    _check_upload(upload)
    upload.seek(0)
    with Export(upload) as export:
        plan = export_plan(export)

    def create() -> CheckImport:
        check_import = CheckImport.objects.create(
            name=(upload.name or "export.zip").rsplit("/", 1)[-1][:255],
            size=upload.size or 0,
            workspace=str(plan.workspace.get("name", ""))[:200],
            plan=plan.as_json(),
            started_by=actor,
        )
        upload.seek(0)
        check_import.body = default_storage.save(f"check-imports/{uuid.uuid4().hex}.zip", upload)
        check_import.save(update_fields=["body"])
        audit.record(
            actor=actor,
            action="check.checked",
            target=check_import,
            summary=f"checked the Check export {check_import.name} "
            f"({check_import.workspace or 'workspace'}): {_counts(plan)}",
            changes={"export": [None, check_import.name], "plan": [None, _counts(plan)]},
        )
        return check_import

    with transaction.atomic():
        return idempotency.once(key=idempotency_key, user=actor, create=create)


def _counts(report: Report) -> str:
    created = {key: n for key, n in report.created.items() if n}
    words = ", ".join(f"{n} {key.replace('_', ' ')}" for key, n in created.items())
    return words or "nothing new"


def check_import_recheck(*, actor: User, check_import: CheckImport) -> CheckImport:
    """Check the export again (after mapping its statuses, say): a new dry run."""
    require_role(actor, PUBLISHERS, "import a Check export")
    if check_import.status != CheckImport.Status.READY or not check_import.body:
        raise DeskError("This import is under way or finished: there is nothing to check again.")
    with default_storage.open(check_import.body, "rb") as stream, Export(stream) as export:
        plan = export_plan(export)
    with transaction.atomic():
        before = check_import.plan.get("unmapped_statuses", [])
        updated = CheckImport.objects.filter(
            pk=check_import.pk, status=CheckImport.Status.READY
        ).update(plan=plan.as_json(), updated_at=timezone.now())
        if updated:
            audit.record(
                actor=actor,
                action="check.checked",
                target=check_import,
                summary=f"checked the Check export {check_import.name} again: {_counts(plan)}",
                changes={"unmapped_statuses": [before, sorted(plan.unmapped)]},
            )
    check_import.refresh_from_db()
    return check_import


def check_import_confirm(*, actor: User, check_import: CheckImport) -> CheckImport:
    """Send a checked export to a worker to import. Confirming twice (a double click)
    sends it once: only a checked import that waits for confirmation moves on."""
    require_role(actor, PUBLISHERS, "import a Check export")
    with transaction.atomic():
        taken = CheckImport.objects.filter(
            pk=check_import.pk, status=CheckImport.Status.READY
        ).update(status=CheckImport.Status.WAITING, updated_at=timezone.now())
        if taken:
            audit.record(
                actor=actor,
                action="check.confirmed",
                target=check_import,
                summary=f"confirmed the import of the Check export {check_import.name}",
                changes={"status": [CheckImport.Status.READY, CheckImport.Status.WAITING]},
            )
            transaction.on_commit(partial(send_check_import, check_import.pk))
    check_import.refresh_from_db()
    return check_import


def send_check_import(check_import_id: int) -> None:
    from factdesk.checkimport.tasks import check_import

    check_import.delay(check_import_id)


def check_import_run(check_import_id: int) -> CheckImport:
    """The worker's part: import the confirmed export, once (a second delivery finds it
    taken), then delete the stored ZIP."""
    taken = CheckImport.objects.filter(
        pk=check_import_id, status=CheckImport.Status.WAITING
    ).update(status=CheckImport.Status.IMPORTING, updated_at=timezone.now())
    check_import = CheckImport.objects.select_related("started_by").get(pk=check_import_id)
    if not taken:
        return check_import
    actor = check_import.started_by
    stored = check_import.body
    try:
        if actor is None:
            raise DeskError("The account that started this import was removed: start it again.")
        with default_storage.open(stored, "rb") as stream, Export(stream) as export:
            _execute(check_import, export, actor)
    except DeskError as error:
        _failed(check_import, error.message)
    except BaseException:
        # Out of time, or a fault: the transaction rolled back, so say so, not "importing".
        _failed(
            check_import,
            "The import stopped on an error; nothing was imported. Try again, "
            "or import the file on the server with manage.py import_check.",
        )
        raise
    if stored:
        default_storage.delete(stored)  # imported, or refused in words: not kept either way
        if check_import.body:  # refused: _execute did not let it go
            CheckImport.objects.filter(pk=check_import.pk).update(body="")
    return check_import


def check_import_from_file(*, actor: User, path: str, tell: Progress | None = None) -> CheckImport:
    """Import the export at `path` on the server (manage.py import_check), recorded and
    audited as an import from the page is; `tell` hears the progress as it is written."""
    require_role(actor, PUBLISHERS, "import a Check export")
    check_import = CheckImport.objects.create(
        name=os.path.basename(path)[:255],
        size=os.path.getsize(path) if os.path.exists(path) else 0,
        status=CheckImport.Status.IMPORTING,
        started_by=actor,
    )
    try:
        with Export(path) as export:
            _execute(check_import, export, actor, tell)
    except (DeskError, PermissionDenied) as error:
        _failed(check_import, getattr(error, "message", str(error)))
        raise
    return check_import


def _execute(
    check_import: CheckImport, export: Export, actor: User, tell: Progress | None = None
) -> None:
    writer = ProgressWriter(check_import.pk)

    def progress(done: int, total: int, phase: str) -> None:
        writer(done, total, phase)
        if tell is not None:
            tell(done, total, phase)

    try:
        report = export_import(export, actor=actor, check_import=check_import, progress=progress)
    except PermissionDenied as refused:
        raise DeskError(str(refused)) from None
    finally:
        writer.close()
    # Done in one write: whoever sees it done sees every row counted, and the stored ZIP
    # let go (its rows are the desk's now; the caller deletes the file).
    finished_at = timezone.now()
    done = {
        "status": CheckImport.Status.DONE,
        "report": report.as_json(),
        "workspace": str(report.workspace.get("name", ""))[:200],
        "finished_at": finished_at,
        "body": "",
    }
    CheckImport.objects.filter(pk=check_import.pk).update(
        **done, rows_done=F("rows_total"), phase="", updated_at=finished_at
    )
    for name, value in done.items():
        setattr(check_import, name, value)


def _failed(check_import: CheckImport, message: str) -> None:
    check_import.status = CheckImport.Status.FAILED
    check_import.error = message
    check_import.finished_at = timezone.now()
    check_import.save(update_fields=["status", "error", "finished_at", "updated_at"])


# ── statuses ────────────────────────────────────────────────────────────────────────────


def status_mapping_save(
    *, actor: User, check_status: str, outcome: str, rating: Rating | None = None
) -> StatusMapping:
    """Say what items of a Check status become: a workflow status, or a rating of the
    desk's scale (then published with their fact check, a draft otherwise)."""
    require_role(actor, PUBLISHERS, "map Check statuses")
    check_status = check_status.strip()
    if not check_status or len(check_status) > STATUS_ID_MAX:
        raise DeskError("Give the Check status's id, as the export writes it.", field="status")
    if outcome not in Outcome.values:
        raise DeskError("Choose what items of this status become.", field="outcome")
    if (outcome == Outcome.RATED) != (rating is not None):
        raise DeskError(
            "Choose a rating for a status that is a verdict (or a workflow status for one "
            "that is not).",
            field="outcome",
        )
    if rating is not None and not rating.scale.is_default:
        raise DeskError("Choose a rating of the desk's scale.", field="outcome")
    with transaction.atomic():
        row = StatusMapping.objects.select_for_update().filter(check_status=check_status).first()
        before = [row.outcome, row.rating.label if row.rating else None] if row else None
        after = [outcome, rating.label if rating else None]
        if before == after:
            return row  # type: ignore[return-value]  # the same choice saved twice
        row, _ = StatusMapping.objects.update_or_create(
            check_status=check_status,
            defaults={"outcome": outcome, "rating": rating, "updated_by": actor},
        )
        default = CORE_STATUSES.get(check_status)
        audit.record(
            actor=actor,
            action="check.status_mapped",
            target=row,
            summary=f"mapped the Check status {check_status} to "
            + (f"the rating {rating.label}" if rating else Outcome(outcome).label.lower())
            + (f" (Check's {default[0]})" if default else ""),
            changes={"mapping": [before, after]},
        )
    return row
