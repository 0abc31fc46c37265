"""The admin's export of the whole desk, as a download (the same file as export_desk)."""

from __future__ import annotations

import tempfile

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils import timezone

from factdesk.exchange.desk import desk_export, exported_models


@staff_member_required
def export(request: HttpRequest) -> HttpResponseBase:
    """GET: what an export holds; POST: the ZIP (written to a temporary file, then sent)."""
    if not request.user.is_superuser:
        raise PermissionDenied("Only an admin exports the whole desk.")
    if request.method != "POST":
        kinds = [model._meta.verbose_name_plural for model in exported_models()]
        return render(request, "exchange/export.html", {"kinds": kinds})
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - the response closes it once sent
    desk_export(spool, with_archives=request.POST.get("with_archives") == "on")
    spool.seek(0)
    name = f"factdesk-export-{timezone.localdate():%Y-%m-%d}.zip"
    return FileResponse(spool, as_attachment=True, filename=name, content_type="application/zip")
