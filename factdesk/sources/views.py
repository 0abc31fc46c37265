"""Citing, the sources panel, archived copies and evidence passages of a claim.

The panel and passages are the sources app's parts of the claim page: the page loads them
by URL (htmx), and a refused form here answers with the claim page, this panel in place.
"""

import difflib
import mimetypes

import nh3
from django import forms
from django.contrib import messages
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.claims.models import Claim
from factdesk.claims.views import after_claim_action, claim_body, refuse_claim_action
from factdesk.core.errors import DeskError
from factdesk.sources import selectors, services, uploads
from factdesk.sources.forms import CitationForm, UploadForm
from factdesk.sources.models import Citation, Snapshot, Source
from factdesk.sources.reading import HTML_TYPES, IMAGE_TYPES, decode

PANEL = "sources/_panel.html"


def _panel_context(panel: selectors.SourcesPanel, **bound: forms.Form) -> dict:
    return {
        "panel": panel,
        "citation_form": bound.get("citation_form") or CitationForm(),
        "upload_form": bound.get("upload_form") or UploadForm(),
    }


def _claim_page_with_panel(
    request: DeskRequest, claim_id: int, **bound: forms.Form
) -> HttpResponse:
    """The claim page (its body, for htmx) with the sources panel in place, showing the
    refused form as the editor filled it in."""
    panel = render_to_string(
        PANEL, _panel_context(selectors.sources_panel(claim_id), **bound), request=request
    )
    return claim_body(request, claim_id, context={"sources_panel": panel})


@require_POST
@role_required()
def citation_add(request: DeskRequest, claim_id: int) -> HttpResponse:
    """Cite one or many URLs. A refused paste comes back in the form, as typed."""
    claim = get_object_or_404(Claim, pk=claim_id)
    form = CitationForm(request.POST)
    if form.is_valid():
        try:
            added, already = services.citations_paste(
                actor=request.user,
                claim=claim,
                urls=form.cleaned_data["urls"].splitlines(),
                stance=form.cleaned_data["stance"],
                note=form.cleaned_data["note"],
            )
        except DeskError as error:
            form.add_error("urls", error.message)
        else:
            cited = ", ".join(citation.source.label for citation in added)
            message = f"Cited {cited}." if added else "Nothing new to cite."
            if already:
                message += f" Already cited: {', '.join(already)}."
            messages.success(request, message)
            return after_claim_action(request, claim_id)
    messages.error(request, "The sources were not cited: see the form below.")
    return _claim_page_with_panel(request, claim_id, citation_form=form)


@require_POST
@role_required()
def citation_upload(request: DeskRequest, claim_id: int) -> HttpResponse:
    """Cite an uploaded file. A refused file is named with the reason; stance and note
    come back as typed (a browser cannot refill a file input: the editor picks it again)."""
    claim = get_object_or_404(Claim, pk=claim_id)
    form = UploadForm(request.POST, request.FILES)
    if refused := getattr(request, "refused_uploads", {}).get("file"):
        form.is_valid()
        form.errors["file"] = form.error_class([uploads.too_big(refused)])
    elif form.is_valid():
        try:
            citation = services.citation_upload(
                actor=request.user,
                claim=claim,
                upload=form.cleaned_data["file"],
                stance=form.cleaned_data["stance"],
                note=form.cleaned_data["note"],
            )
        except DeskError as error:
            form.add_error("file", error.message)
        else:
            messages.success(request, f"Cited {citation.source.label}; reading it now.")
            return redirect("claims:detail", claim_id=claim_id)
    messages.error(request, "The file was not cited: see the upload form below.")
    return _claim_page_with_panel(request, claim_id, upload_form=form)


@require_POST
@role_required()
def citation_remove(request: DeskRequest, claim_id: int, citation_id: int) -> HttpResponse:
    get_object_or_404(Claim.objects.only("id"), pk=claim_id)
    citation = (
        Citation.objects.select_related("claim", "source")
        .filter(pk=citation_id, claim_id=claim_id)
        .first()
    )
    if citation is None:  # a second click, or someone else removed it first
        messages.info(request, "That citation was already removed.")
        return after_claim_action(request, claim_id)
    try:
        services.citation_remove(actor=request.user, citation=citation)
    except DeskError as error:
        return refuse_claim_action(request, claim_id, error)
    messages.success(request, "Citation removed.")
    return after_claim_action(request, claim_id)


@require_POST
@role_required()
def source_retry(request: DeskRequest, claim_id: int, source_id: int) -> HttpResponse:
    source = get_object_or_404(Source, pk=source_id, citations__claim_id=claim_id)
    try:
        services.source_retry(actor=request.user, source=source)
    except DeskError as error:
        return refuse_claim_action(request, claim_id, error)
    messages.success(request, f"Fetching {source.label} again.")
    return after_claim_action(request, claim_id)


@require_GET
@role_required()
def sources_panel(request: DeskRequest, claim_id: int) -> HttpResponse:
    """The sources panel of the claim page, which loads it with htmx; only its list of
    citations when the list polls itself (while fetches are under way); a page of its own
    without JavaScript."""
    try:
        panel = selectors.sources_panel(claim_id)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None
    if not request.htmx:
        template = "sources/panel_page.html"
    elif request.htmx.target == "sources-panel":
        template = f"{PANEL}#citations"
    else:
        template = PANEL
    return render(request, template, _panel_context(panel))


@require_GET
@role_required()
def snapshot_detail(request: DeskRequest, snapshot_id: int) -> HttpResponse:
    """The archived copy as text: never the page's own markup or scripts."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("source"), pk=snapshot_id)
    return render(request, "sources/snapshot_detail.html", {"snapshot": snapshot})


@require_GET
@role_required()
def citation_changes(request: DeskRequest, citation_id: int) -> HttpResponse:
    """What changed in a source between the copy the desk cited and the latest one."""
    citation = get_object_or_404(
        Citation.objects.select_related("source", "cited_snapshot", "claim"), pk=citation_id
    )
    latest = citation.source.newest_snapshot()
    cited = citation.cited_snapshot
    lines = list(
        difflib.unified_diff(
            (cited.text if cited else "").splitlines(),
            (latest.text if latest else "").splitlines(),
            fromfile="as cited",
            tofile="now",
            lineterm="",
            n=2,
        )
    )
    return render(
        request,
        "sources/citation_changes.html",
        {"citation": citation, "cited": cited, "latest": latest, "lines": lines},
    )


@require_GET
@role_required()
def passages(request: DeskRequest, claim_id: int) -> HttpResponse:
    """The passages of each archived source that best match the claim (loaded after the
    claim page, so the page itself stays quick)."""
    try:
        evidence = selectors.evidence_passages(claim_id)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None
    template = "sources/passages.html" if request.htmx else "sources/passages_page.html"
    return render(request, template, {"claim": evidence.claim, "rows": evidence.rows})


@require_POST
@role_required()
def citation_pin(request: DeskRequest, claim_id: int, citation_id: int) -> HttpResponse:
    citation = get_object_or_404(
        Citation.objects.select_related("source", "claim"), pk=citation_id, claim_id=claim_id
    )
    try:
        services.citation_pin(
            actor=request.user,
            citation=citation,
            passage=request.POST.get("passage", ""),
            unpin=request.POST.get("unpin") == "1",
        )
    except DeskError as error:
        return refuse_claim_action(request, claim_id, error)
    messages.success(request, "Evidence updated.")
    return after_claim_action(request, claim_id)


# The archived page is shown inside a sandboxed frame: no scripts, no forms, nothing fetched
# from the original site or anywhere else, even if sanitising missed something.
ARCHIVE_CSP = (
    "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox; frame-ancestors 'self'"
)


@require_GET
@role_required()
@xframe_options_sameorigin
def snapshot_html(request: DeskRequest, snapshot_id: int) -> HttpResponse:
    """The archived HTML, sanitised with nh3, for the sandboxed frame on the archive page."""
    snapshot = get_object_or_404(Snapshot, pk=snapshot_id)
    if snapshot.content_type not in HTML_TYPES:
        raise Http404("Only archived HTML pages are shown this way.")
    with default_storage.open(snapshot.body) as stored:
        html = decode(stored.read(), None)
    response = HttpResponse(nh3.clean(html), content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = ARCHIVE_CSP
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@role_required()
def snapshot_file(request: DeskRequest, snapshot_id: int) -> FileResponse:
    """The archived file itself. Images show inline; anything else downloads, and nothing
    served here may run (sandboxed, no sniffing)."""
    snapshot = get_object_or_404(Snapshot.objects.select_related("source"), pk=snapshot_id)
    inline = snapshot.content_type in IMAGE_TYPES
    response = FileResponse(
        default_storage.open(snapshot.body),
        as_attachment=not inline,
        filename=_download_name(snapshot),
        content_type=snapshot.content_type if inline else "application/octet-stream",
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def _download_name(snapshot: Snapshot) -> str:
    if snapshot.source.filename:
        return snapshot.source.filename
    extension = mimetypes.guess_extension(snapshot.content_type) or ""
    return f"archived-{snapshot.sha256[:12]}{extension}"
