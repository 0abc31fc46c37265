"""The import pages (publishers and admins): upload a Check export and read the dry run's
report, map its statuses, confirm, then watch the worker's progress."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.files.uploadhandler import MemoryFileUploadHandler, TemporaryFileUploadHandler
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, Role, role_required
from factdesk.checkimport import selectors, services
from factdesk.checkimport.forms import ExportSizeLimit, ExportUploadForm, StatusMappingForm
from factdesk.checkimport.models import CheckImport
from factdesk.core.errors import DeskError
from factdesk.core.sizes import size_words


# The upload handlers must be set before anything reads the body, and the CSRF check reads
# it: so the check is exempted here and made inside, once the handlers are in place
# (Django's documented way to change upload handlers in a view).
@csrf_exempt
@role_required(Role.PUBLISHER)
def start(request: DeskRequest) -> HttpResponse:
    """Upload an export: it is checked at once (the dry run), and its report shown."""
    if request.method == "POST":
        request.upload_handlers = [
            ExportSizeLimit(request),
            MemoryFileUploadHandler(request),
            TemporaryFileUploadHandler(request),
        ]
    return _start(request)


@csrf_protect
def _start(request: DeskRequest) -> HttpResponse:
    form = ExportUploadForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST":
        refused = getattr(request, "refused_export", None)
        if refused:
            form.is_valid()
            form.errors.pop("file", None)
            form.add_error(
                "file",
                f"\u201c{refused}\u201d is larger than "
                f"{size_words(settings.CHECK_IMPORT_MAX_BYTES)}, the most taken here. Import "
                "it on the server with manage.py import_check.",
            )
        elif form.is_valid():
            try:
                check_import = services.check_import_start(
                    actor=request.user,
                    upload=form.cleaned_data["file"],
                    idempotency_key=form.cleaned_data["idempotency_key"],
                )
            except DeskError as error:
                form.add_error("file", error.message)
            else:
                return redirect(check_import)
    return render(
        request,
        "checkimport/start.html",
        {"form": form, "imports": selectors.recent_imports()},
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(Role.PUBLISHER)
def detail(request: DeskRequest, import_id: int) -> HttpResponse:
    """An import: the dry run's report and the confirm button, then its progress while a
    worker imports it (the panel updates itself), then what came in."""
    check_import = get_object_or_404(CheckImport, pk=import_id)
    template = "checkimport/detail.html#progress" if request.htmx else "checkimport/detail.html"
    return render(request, template, {"check_import": check_import})


@require_POST
@role_required(Role.PUBLISHER)
def confirm(request: DeskRequest, import_id: int) -> HttpResponse:
    check_import = get_object_or_404(CheckImport, pk=import_id)
    services.check_import_confirm(actor=request.user, check_import=check_import)
    return redirect(check_import)


@require_POST
@role_required(Role.PUBLISHER)
def recheck(request: DeskRequest, import_id: int) -> HttpResponse:
    check_import = get_object_or_404(CheckImport, pk=import_id)
    try:
        services.check_import_recheck(actor=request.user, check_import=check_import)
    except DeskError as error:
        messages.error(request, error.message)
    return redirect(check_import)


@role_required(Role.PUBLISHER)
def statuses(request: DeskRequest) -> HttpResponse:
    """What each Check status becomes on the desk: a workflow status or a rating."""
    form = StatusMappingForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        outcome, rating = form.outcome_and_rating()
        try:
            services.status_mapping_save(
                actor=request.user,
                check_status=form.cleaned_data["status"],
                outcome=outcome,
                rating=rating,
            )
        except DeskError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, f"Saved: {form.cleaned_data['status']}.")
            back = request.POST.get("back", "")
            if (
                back.isascii()
                and back.isdigit()
                and len(back) < 10
                and CheckImport.objects.filter(pk=back).exists()
            ):
                return redirect("checkimport:detail", int(back))
            return redirect("checkimport:statuses")
    return render(
        request,
        "checkimport/statuses.html",
        {"form": form, "rows": selectors.status_rows(), "choices": form.choices},
        status=400 if form.errors else 200,
    )
