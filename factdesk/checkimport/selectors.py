"""Reads for the import pages."""

from __future__ import annotations

from dataclasses import dataclass

from factdesk.checkimport.mapping import CORE_STATUSES, Mapped, humanised, status_mappings
from factdesk.checkimport.models import CheckImport

RECENT = 10


@dataclass(frozen=True)
class StatusRow:
    """A Check status on the mapping page: what it becomes now (None: not mapped), and
    how many items had it in the last checked export."""

    status: str
    words: str
    mapped: Mapped | None
    items: int

    @property
    def choice(self) -> str:
        """The mapping form's value for what it becomes now."""
        if self.mapped is None:
            return ""
        if self.mapped.rating is not None:
            return f"rating:{self.mapped.rating.pk}"
        return str(self.mapped.outcome)


def recent_imports() -> list[CheckImport]:
    return list(CheckImport.objects.select_related("started_by").order_by("-created_at")[:RECENT])


def status_rows() -> list[StatusRow]:
    """Every Check status the desk knows of: Check's core ones, those mapped, and those the
    recent exports held; unmapped first, then by id."""
    mappings = status_mappings()
    seen: dict[str, int] = {}
    for plan in CheckImport.objects.order_by("-created_at").values_list("plan", flat=True)[:RECENT]:
        for status, count in (plan or {}).get("statuses", {}).items():
            seen.setdefault(status, count)
        for status, count in (plan or {}).get("unmapped_items", {}).items():
            seen.setdefault(status, count)
    ids = set(CORE_STATUSES) | set(mappings) | set(seen)
    rows = [StatusRow(s, humanised(s), mappings.get(s), seen.get(s, 0)) for s in ids if s]
    return sorted(rows, key=lambda row: (row.mapped is not None, row.status))
