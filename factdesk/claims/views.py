"""Board, list and search, the claim page and its actions, claimants, dashboard.

Actions post to their own URL. With htmx they answer the claim page's body, swapped in
place; without JavaScript they redirect back to the claim page. Either way a rule the
desk's services refuse comes back as a message, and nothing is changed.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, Role, role_required, user_roles
from factdesk.claims import selectors, services
from factdesk.claims.forms import (
    AssignForm,
    BulkForm,
    ClaimantMergeForm,
    ClaimEditForm,
    ClaimForm,
    CommentForm,
    DueDateForm,
    FilterForm,
    PriorityForm,
    ReviewForm,
    TopicAddForm,
    TopicRemoveForm,
    TransitionForm,
    VerdictForm,
    person_name,
)
from factdesk.claims.models import Claim, Claimant, Priority, Topic, Verdict
from factdesk.claims.workflow import EDITORS, DismissReason
from factdesk.core.errors import DeskError, form_error
from factdesk.core.numbers import whole_number


def claimant_from_form(request: DeskRequest, cleaned: dict) -> Claimant:
    return services.claimant_create(
        actor=request.user,
        name=cleaned["claimant_name"],
        kind=cleaned.get("claimant_kind") or Claimant.Kind.PERSON,
        description=cleaned.get("claimant_description", ""),
    )


def _filter_context(request: DeskRequest) -> tuple[FilterForm, selectors.ClaimFilters, dict]:
    form = FilterForm(request.GET)
    filters = form.filters(request.user)
    params = request.GET.copy()
    params.pop("page", None)
    return (
        form,
        filters,
        {"filter_form": form, "query_string": params.urlencode(), **selectors.filter_choices()},
    )


def _sort(form: FilterForm) -> str:
    """The list's order as the filter form asks for it ("newest" unless it says)."""
    return (form.cleaned_data.get("sort") or "newest") if form.is_valid() else "newest"


@require_GET
@role_required()
def board(request: DeskRequest) -> HttpResponse:
    _, filters, context = _filter_context(request)
    columns, counts = selectors.board(filters)
    context.update(
        columns=columns,
        counts=counts,
        mine=request.GET.get("assignee") == "me",
        today=timezone.localdate(),
    )
    return render(request, "claims/board.html", context)


SEARCH_MAX_CHARS = 200  # the search box's maxlength too


@require_GET
@role_required()
def claim_list(request: DeskRequest) -> HttpResponse:
    form, filters, context = _filter_context(request)
    query = (form.cleaned_data.get("q") or "").strip() if form.is_valid() else ""
    sort = _sort(form)
    page_number = request.GET.get("page", "1")
    per_page = 25
    if len(query) > SEARCH_MAX_CHARS:
        messages.error(
            request,
            f"Search for at most {SEARCH_MAX_CHARS} characters (this search has "
            f"{len(query):,}): a few words of the claim, a name or an outlet find it.",
        )
        query = ""
    if query:
        number = max(1, whole_number(page_number) or 1)
        group = request.GET.get("group", "")
        found = selectors.desk_search(
            query, filters, limit=per_page, offset=(number - 1) * per_page, group=group
        )
        results = found.claims
        paginator = Paginator(range(results.total), per_page)
        page = paginator.get_page(number)
        context.update(
            results=results, found=found, group=group, rows=results.rows, page=page, query=query
        )
    else:
        # Counted from the kept status counts where it can (selectors.claim_count).
        page = Paginator(range(selectors.claim_count(filters)), per_page).get_page(page_number)
        claims = selectors.claim_list(
            filters, sort, offset=(page.number - 1) * per_page, limit=per_page
        )
        rows = [selectors.ClaimRow(claim) for claim in claims]
        context.update(rows=rows, page=page, query="")
    selectors.with_marks(row.claim for row in context["rows"])
    context.update(
        sort=sort,
        sorts=list(selectors.SORTS),
        today=timezone.localdate(),
        can_triage=bool(user_roles(request.user) & EDITORS),
        priorities=Priority.choices,
        dismiss_reasons=DismissReason.choices,
        topic_max=Topic.NAME_MAX,
    )
    return render(request, "claims/claim_list.html", context)


@role_required()
def claim_new(request: DeskRequest) -> HttpResponse:
    """A claim heard on TV, at a speech or in a post: no article to anchor it in."""
    # An empty POST is falsy, but it was sent: it gets its errors, not a blank form.
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():  # a refused claim leaves no new claimant behind
                claim = services.claim_create(
                    actor=request.user,
                    text=data["text"],
                    claimant=claimant_from_form(request, data),
                    quote=data["quote"],
                    medium=data["medium"],
                    source_url=data["source_url"],
                    source_description=data["source_description"],
                    claimed_on=data["claimed_on"],
                    new_appearance=data["new_appearance"],
                    idempotency_key=data["idempotency_key"],
                )
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, "Claim logged.")
            return redirect(claim)
    return render(
        request, "claims/claim_form.html", {"form": form, "title": "Log a claim without an article"}
    )


def claim_body(
    request: DeskRequest, claim_id: int, *, context: dict | None = None, status: int = 200
) -> HttpResponse:
    """The claim page, or only its body for htmx. `context` replaces blank forms with bound
    ones, so that what an editor typed comes back with the error; a view of a higher app
    may hand in its panel already rendered (`sources_panel`)."""
    try:
        page = selectors.claim_page(claim_id, request.user)
    except Claim.DoesNotExist:
        raise Http404("No such claim") from None
    return render(
        request,
        "claims/claim_detail.html#claim-body" if request.htmx else "claims/claim_detail.html",
        {**_claim_context(page), **(context or {})},
        status=status,
    )


def _claim_context(page: selectors.ClaimPage) -> dict:
    return {
        "page": page,
        "claim": page.claim,
        # The selects are written out in the template, not rendered from blank forms.
        "priorities": Priority.choices,
        "dismiss_reasons": TransitionForm.base_fields["dismiss_reason"].choices,  # type: ignore[attr-defined]
    }


@require_GET
@role_required()
def claim_detail(request: DeskRequest, claim_id: int) -> HttpResponse:
    return claim_body(request, claim_id)


def after_claim_action(request: DeskRequest, claim_id: int) -> HttpResponse:
    if request.htmx:
        return claim_body(request, claim_id)
    return redirect("claims:detail", claim_id=claim_id)


def refuse_claim_action(
    request: DeskRequest, claim_id: int, error: DeskError | str
) -> HttpResponse:
    messages.error(request, error.message if isinstance(error, DeskError) else error)
    return after_claim_action(request, claim_id)


def invalid_claim_action(request: DeskRequest, claim_id: int, form) -> HttpResponse:
    problems = "; ".join(
        f"{form.fields[name].label or name}: {' '.join(errors)}"
        if name in form.fields
        else " ".join(errors)
        for name, errors in form.errors.items()
    )
    return refuse_claim_action(request, claim_id, problems)


def claim_action(
    form_class: type[forms.Form], apply: Callable[..., str], roles: frozenset[Role] = frozenset()
) -> Callable:
    """A POST view for one action on a claim: validate `form_class`, then `apply(request,
    claim, cleaned_data)` calls one service and returns the message for the editor. Only
    `roles` may post it (any desk role if none)."""

    @require_POST
    @role_required(*roles)
    def view(request: DeskRequest, claim_id: int) -> HttpResponse:
        claim = get_object_or_404(Claim, pk=claim_id)
        form = form_class(request.POST)
        if not form.is_valid():
            return invalid_claim_action(request, claim_id, form)
        try:
            message = apply(request, claim, form.cleaned_data)
        except DeskError as error:
            return refuse_claim_action(request, claim_id, error)
        messages.success(request, message)
        return after_claim_action(request, claim_id)

    return view


def _move(request: DeskRequest, claim: Claim, data: dict) -> str:
    claim = services.claim_transition(
        actor=request.user,
        claim=claim,
        target=data["target"],
        dismiss_reason=data["dismiss_reason"],
        dismiss_note=data["dismiss_note"],
        duplicate_of=data["duplicate_of"],
        retraction_note=data["retraction_note"],
    )
    return f"The claim is now {claim.get_status_display().lower()}."


def _assign(request: DeskRequest, claim: Claim, data: dict) -> str:
    services.claim_assign(actor=request.user, claim=claim, assignee=data["assignee"])
    assignee = data["assignee"]
    return f"Assigned to {person_name(assignee)}." if assignee else "Unassigned."


def _set_priority(request: DeskRequest, claim: Claim, data: dict) -> str:
    claim = services.claim_set_priority(actor=request.user, claim=claim, priority=data["priority"])
    return f"Priority set to {claim.get_priority_display().lower()}."


def _comment(request: DeskRequest, claim: Claim, data: dict) -> str:
    services.comment_add(
        actor=request.user,
        claim=claim,
        body=data["body"],
        idempotency_key=data["idempotency_key"],
    )
    return "Comment posted."


def _review(request: DeskRequest, claim: Claim, data: dict) -> str:
    review = services.review_submit(
        actor=request.user,
        claim=claim,
        decision=data["decision"],
        comment=data["comment"],
        idempotency_key=data["idempotency_key"],
    )
    claim.refresh_from_db(fields=["status"])
    return (
        f"Review recorded: {review.get_decision_display().lower()}. "
        f"The claim is {claim.get_status_display().lower()}."
    )


def _add_topic(request: DeskRequest, claim: Claim, data: dict) -> str:
    topic = services.claim_topic_add(actor=request.user, claim=claim, name=data["name"])
    return f"Topic: {topic.name}."


def _remove_topic(request: DeskRequest, claim: Claim, data: dict) -> str:
    services.claim_topic_remove(actor=request.user, claim=claim, topic=data["topic"])
    return f"Removed the topic {data['topic'].name}."


def _set_due_date(request: DeskRequest, claim: Claim, data: dict) -> str:
    claim = services.claim_set_due_date(actor=request.user, claim=claim, due_date=data["due_date"])
    return f"Due {claim.due_date:%-d %B %Y}."


claim_move = claim_action(TransitionForm, _move)
claim_assign = claim_action(AssignForm, _assign)
claim_priority = claim_action(PriorityForm, _set_priority)
claim_comment = claim_action(CommentForm, _comment)
claim_review = claim_action(ReviewForm, _review)
claim_topic_add = claim_action(TopicAddForm, _add_topic, EDITORS)
claim_topic_remove = claim_action(TopicRemoveForm, _remove_topic, EDITORS)
claim_due_date = claim_action(DueDateForm, _set_due_date, EDITORS)


@require_POST
@role_required(*EDITORS)
def claims_bulk(request: DeskRequest) -> HttpResponse:
    """One triage action on the claims ticked in the list; back to the same list page, with
    what was done or why nothing was."""
    form = BulkForm(request.POST)
    back = reverse("claims:list")
    if query := request.POST.get("return_query", "").lstrip("?"):
        back += "?" + QueryDict(query).urlencode()  # only a query string, re-encoded
    if not form.is_valid():
        messages.error(
            request, " ".join(" ".join(map(str, errors)) for errors in form.errors.values())
        )
        return redirect(back)
    data = form.cleaned_data
    try:
        result = services.claims_bulk(
            actor=request.user,
            action=data["action"],
            claims=list(Claim.objects.filter(pk__in=data["claims"]).only("id")),
            assignee=data["assignee"],
            priority=data["priority"],
            topic_name=data["topic_name"],
            dismiss_reason=data["dismiss_reason"],
            dismiss_note=data["dismiss_note"],
        )
    except DeskError as error:
        messages.error(request, error.message)
        return redirect(back)
    messages.success(request, _bulk_message(result, data))
    return redirect(back)


def _bulk_message(result: services.BulkResult, data: dict) -> str:
    """ "3 claims assigned to Ed. 1 was assigned to Ed already: left as it was." """
    person = data["assignee"]
    done = {
        services.BulkAction.ASSIGN: f"assigned to {person.get_full_name() or person}"
        if person
        else "unassigned",
        services.BulkAction.PRIORITY: f"set to {Priority(data['priority'] or 0).label.lower()} "
        "priority",
        services.BulkAction.TOPIC: f"given the topic {' '.join(data['topic_name'].split())}",
        services.BulkAction.DISMISS: "dismissed",
    }[result.action]
    parts = []
    if changed := len(result.changed):
        parts.append(f"{changed} claim{'s' if changed != 1 else ''} {done}.")
    if unchanged := len(result.unchanged):
        were, left = ("was", "it was") if unchanged == 1 else ("were", "they were")
        parts.append(f"{unchanged} {were} {done} already: left as {left}.")
    return " ".join(parts)


@require_GET
@role_required()
def topic_suggest(request: DeskRequest) -> HttpResponse:
    """Options for the topic field's datalist, as the editor types."""
    text = request.GET.get("name", "").strip()
    names = (
        Topic.objects.filter(name__icontains=text)
        .order_by("name")
        .values_list("name", flat=True)[:20]
        if text
        else []
    )
    return render(request, "claims/claimant_options.html", {"names": names})


@role_required()
def claim_edit(request: DeskRequest, claim_id: int) -> HttpResponse:
    claim = get_object_or_404(Claim.objects.select_related("claimant"), pk=claim_id)
    form = ClaimEditForm(
        request.POST if request.method == "POST" else None,
        initial={
            "text": claim.text,
            "claimant_name": claim.claimant.name,
            "claimed_on": claim.claimed_on,
            "language": claim.language,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                services.claim_update(
                    actor=request.user,
                    claim=claim,
                    text=data["text"],
                    claimant=claimant_from_form(request, data),
                    claimed_on=data["claimed_on"],
                    language=data["language"],
                )
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, "Claim updated.")
            return redirect(claim)
    return render(
        request,
        "claims/claim_form.html",
        {"form": form, "claim": claim, "title": f"Edit claim #{claim.pk}"},
    )


@role_required()
def verdict_edit(request: DeskRequest, claim_id: int) -> HttpResponse:
    """The verdict draft. Saving makes a new version; if someone saved a newer one since the
    form was opened, the editor sees what changed and keeps everything they typed."""
    claim = get_object_or_404(Claim, pk=claim_id)
    history = claim.verdict_history()
    latest = history.latest
    is_correction = history.published is not None
    conflict = None
    if request.method == "POST":
        form = VerdictForm(request.POST, is_correction=is_correction)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.verdict_save(
                    actor=request.user,
                    claim=claim,
                    base_number=data["base_number"],
                    rating=data["rating"],
                    conclusion=data["conclusion"],
                    explanation=data["explanation"],
                    correction_note=data["correction_note"],
                    idempotency_key=data["idempotency_key"],
                )
            except services.ConflictError as error:
                conflict = error.latest
                # Keep what they typed; point the form at the newer version so that saving
                # again (after reading the changes) is a deliberate overwrite.
                values = request.POST.copy()
                values["base_number"] = str(conflict.number)
                form = VerdictForm(values, is_correction=is_correction)
                form.is_valid()
                form.add_error(None, error.message)
            except DeskError as error:
                form_error(form, error)
            else:
                messages.success(request, "Verdict draft saved.")
                return redirect(claim)
    else:
        initial: dict[str, object] = {"base_number": latest.number if latest else None}
        if latest:
            initial.update(
                rating=latest.rating_id,
                conclusion=latest.conclusion,
                explanation=latest.explanation,
                correction_note="" if latest.published_at else latest.correction_note,
            )
        form = VerdictForm(initial=initial, is_correction=is_correction)
    status = 409 if conflict else 200
    return render(
        request,
        "claims/verdict_form.html",
        {
            "form": form,
            "claim": claim,
            "latest": latest,
            "conflict": conflict,
            "is_correction": is_correction,
            "published": history.published,
            # The reviewers' requests for changes to the draft being revised.
            "requested_changes": history.requested_changes,
            "conflict_fields": _conflict_fields(form, conflict) if conflict else [],
        },
        status=status,
    )


@require_GET
@role_required()
def verdict_compare(request: DeskRequest, claim_id: int) -> HttpResponse:
    """Two versions of the verdict, word by word (`?older=1&newer=3`; by default the newest
    and the one before it). With htmx, only the comparison, for the claim page."""
    numbers = [request.GET.get(name, "") for name in ("older", "newer")]
    older, newer = (whole_number(n) for n in numbers)
    try:
        comparison = selectors.verdict_comparison(claim_id, older, newer)
    except (Claim.DoesNotExist, Verdict.DoesNotExist):
        raise Http404("No such version") from None
    return render(
        request,
        "claims/verdict_compare.html#comparison" if request.htmx else "claims/verdict_compare.html",
        {"comparison": comparison, "claim_id": claim_id},
    )


def _conflict_fields(form: VerdictForm, latest) -> list[dict]:
    """Side by side: what the other editor saved and what this one typed, field by field."""
    mine = form.cleaned_data if hasattr(form, "cleaned_data") else {}
    rows = []
    for name, theirs in (
        ("rating", latest.rating),
        ("conclusion", latest.conclusion),
        ("explanation", latest.explanation),
        ("correction_note", latest.correction_note),
    ):
        typed = mine.get(name, form.data.get(name, ""))
        rows.append(
            {
                "label": form.fields[name].label or name.capitalize(),
                "theirs": theirs,
                "mine": typed,
                "differs": str(theirs) != str(typed or ""),
            }
        )
    return rows


@require_GET
@role_required()
def claimant_detail(request: DeskRequest, claimant_id: int) -> HttpResponse:
    return _claimant_page(request, claimant_id)


def _claimant_page(
    request: DeskRequest,
    claimant_id: int,
    *,
    merge_form: ClaimantMergeForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The claimant page; with a refused merge form as the editor filled it in."""
    try:
        claimant, claims, tally = selectors.claimant_page(claimant_id)
    except Claimant.DoesNotExist:
        raise Http404("No such claimant") from None
    return render(
        request,
        "claims/claimant_detail.html",
        {
            "claimant": claimant,
            "claims": claims,
            "tally": tally,
            "merge_form": merge_form or ClaimantMergeForm(),
            "can_merge": bool(user_roles(request.user) & EDITORS),
        },
        status=status,
    )


@require_POST
@role_required(*EDITORS)
def claimant_merge(request: DeskRequest, claimant_id: int) -> HttpResponse:
    """Merge this claimant into the one named; a refusal comes back on the claimant page."""
    form = ClaimantMergeForm(request.POST)
    claimant = Claimant.objects.filter(pk=claimant_id).first()
    if claimant is None:  # a second click: the first one merged it
        messages.info(request, "This claimant was already merged (or deleted).")
        into = Claimant.objects.filter(name__iexact=request.POST.get("into", "").strip()).first()
        return redirect(into.get_absolute_url() if into else "claims:board")
    if form.is_valid():
        name = " ".join(form.cleaned_data["into"].split())
        into = Claimant.objects.filter(name__iexact=name).first()
        if into is None:
            form.add_error("into", f"No claimant is called “{name}”: pick one from the list.")
        else:
            try:
                moved = services.claimant_merge(actor=request.user, claimant=claimant, into=into)
            except DeskError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    f"Merged “{claimant.name}” into “{into.name}”: "
                    f"{moved} claim{'s' if moved != 1 else ''} moved.",
                )
                return redirect(into.get_absolute_url())
    messages.error(request, "The claimants were not merged: see the form below.")
    return _claimant_page(request, claimant_id, merge_form=form, status=400)


@require_POST
@role_required(*EDITORS)
def claimant_delete(request: DeskRequest, claimant_id: int) -> HttpResponse:
    claimant = Claimant.objects.filter(pk=claimant_id).first()
    if claimant is None:
        messages.info(request, "This claimant was already deleted (or merged).")
        return redirect("claims:board")
    try:
        services.claimant_delete(actor=request.user, claimant=claimant)
    except DeskError as error:
        messages.error(request, error.message)
        return redirect(claimant.get_absolute_url())
    messages.success(request, f"Deleted the claimant “{claimant.name}”.")
    return redirect("claims:board")


@require_GET
@role_required()
def claimant_suggest(request: DeskRequest) -> HttpResponse:
    """Options for the claimant field's datalist, as the editor types."""
    # The claim forms' claimant field, or the claimant page's "Merge into".
    text = (request.GET.get("claimant_name") or request.GET.get("into") or "").strip()
    names = (
        Claimant.objects.filter(name__icontains=text)
        .order_by("name")
        .values_list("name", flat=True)[:20]
        if len(text) >= 2
        else []
    )
    return render(request, "claims/claimant_options.html", {"names": names})


@require_GET
@role_required()
def dashboard(request: DeskRequest) -> HttpResponse:
    stats = selectors.dashboard()
    status_max = max((n for _, _, n in stats.by_status), default=0) or 1
    rating_max = max((row["n"] for row in stats.by_rating), default=0) or 1
    return render(
        request,
        "claims/dashboard.html",
        {"stats": stats, "status_max": status_max, "rating_max": rating_max},
    )


@require_GET
def rating_styles(request: HttpRequest) -> HttpResponse:
    """Each rating's colour as CSS, so that pages colour ratings without inline styles (the
    desk's Content-Security-Policy allows none). Public: colours are no secret."""
    rules = "".join(
        f'[data-rating="{pk}"]{{--rating:{colour}}}'  # colours are #rrggbb (a constraint)
        for pk, colour in selectors.rating_colours()
    )
    response = HttpResponse(rules, content_type="text/css")
    response["Cache-Control"] = "max-age=60"
    return response


CSV_COLUMNS = [
    "id",
    "claim",
    "quote",
    "claimant",
    "status",
    "priority",
    "assignee",
    "due date",
    "claimed on",
    "logged at",
    "rating",
    "rating published",
    "topics",
    "desk address",
]


def _cell(value: object) -> str:
    """A spreadsheet cell: text a spreadsheet would run as a formula is quoted (OWASP's
    advice on CSV injection)."""
    text = "" if value is None else str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


@require_GET
@role_required()
def claims_csv(request: DeskRequest) -> StreamingHttpResponse:
    """The claim list with its filters and sort, as a CSV file, written as it is read."""
    form = FilterForm(request.GET)
    claims = selectors.claim_export(form.filters(request.user), _sort(form))

    class Echo:
        def write(self, value: str) -> str:
            return value

    writer = csv.writer(Echo())

    def rows():
        yield "\ufeff" + writer.writerow(CSV_COLUMNS)  # a BOM: spreadsheets read it as UTF-8
        for claim in claims.iterator(chunk_size=2000):
            yield writer.writerow(
                _cell(value)
                for value in (
                    claim.pk,
                    claim.text,
                    claim.quote,
                    claim.claimant.name,
                    claim.get_status_display(),
                    claim.get_priority_display(),
                    person_name(claim.assignee) if claim.assignee else "",
                    claim.due_date,
                    claim.claimed_on,
                    timezone.localtime(claim.created_at).strftime("%Y-%m-%d %H:%M"),
                    claim.current_rating.label if claim.current_rating else "",
                    "yes" if claim.rating_is_public else "no",
                    "; ".join(topic.name for topic in claim.topics.all()),
                    request.build_absolute_uri(claim.get_absolute_url()),
                )
            )

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    stamp = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="claims-{stamp}.csv"'
    return response
