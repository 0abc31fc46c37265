"""The notifications page, opening one, following a claim, email preferences, and the
people a comment can mention."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, role_required
from factdesk.claims.models import Claim
from factdesk.core.errors import DeskError, form_error
from factdesk.notifications import selectors, services
from factdesk.notifications.forms import EmailPreferenceForm, FollowForm
from factdesk.notifications.models import Notification


def _page(request: DeskRequest, form: EmailPreferenceForm | None = None, status: int = 200):
    preference = selectors.email_preference(request.user)
    if form is None:
        form = EmailPreferenceForm(
            initial={
                "enabled": preference.enabled if preference else False,
                "address": preference.address if preference else "",
                "kinds": preference.kinds if preference else [],
            }
        )
    return render(
        request,
        "notifications/notification_list.html",
        {
            "notifications": selectors.inbox(request.user, request.GET.get("page")),
            "form": form,
            "account_email": request.user.email,
        },
        status=status,
    )


@require_GET
@role_required()
def notification_list(request: DeskRequest) -> HttpResponse:
    return _page(request)


@require_GET
@role_required()
def notification_open(request: DeskRequest, notification_id: int) -> HttpResponse:
    """Mark the notification read and go to its claim. Someone else's is not found."""
    notification = Notification.objects.filter(pk=notification_id, recipient=request.user).first()
    if notification is None:
        raise Http404("No such notification")
    services.notifications_mark_read(user=request.user, notification_id=notification.pk)
    return redirect("claims:detail", claim_id=notification.claim_id)


@require_POST
@role_required()
def mark_all_read(request: DeskRequest) -> HttpResponse:
    marked = services.notifications_mark_read(user=request.user)
    messages.success(
        request,
        f"Marked {marked} notification{'s' if marked != 1 else ''} read."
        if marked
        else "Nothing was unread.",
    )
    return redirect("notifications:list")


@require_POST
@role_required()
def email_preferences(request: DeskRequest) -> HttpResponse:
    form = EmailPreferenceForm(request.POST)
    if form.is_valid():
        try:
            services.email_preference_save(
                actor=request.user,
                enabled=form.cleaned_data["enabled"],
                address=form.cleaned_data["address"],
                kinds=form.cleaned_data["kinds"],
            )
        except DeskError as error:
            form_error(form, error)
        else:
            on = form.cleaned_data["enabled"]
            messages.success(
                request, "Email notifications are on." if on else "Email notifications are off."
            )
            return redirect(reverse("notifications:list") + "#email")
    return _page(request, form, status=400)


@require_POST
@role_required()
def follow(request: DeskRequest, claim_id: int) -> HttpResponse:
    """Follow or stop following; with htmx, answer the button, else go back to the claim."""
    claim = get_object_or_404(Claim, pk=claim_id)
    form = FollowForm(request.POST)
    if not form.is_valid():
        return HttpResponse(
            " ".join(map(str, form.errors["following"])), status=400, content_type="text/plain"
        )
    following = services.follow_set(
        actor=request.user, claim=claim, following=form.cleaned_data["following"]
    )
    if request.htmx:
        return render(
            request, "notifications/_follow.html", {"claim": claim, "following": following}
        )
    messages.success(
        request,
        "You follow this claim: you'll be told when it is published, corrected or retracted."
        if following
        else "You no longer follow this claim.",
    )
    return redirect("claims:detail", claim_id=claim.pk)


@require_GET
@role_required()
def people(request: DeskRequest) -> JsonResponse:
    """Who `@...` can mention: desk members whose name or login starts with `q`."""
    found = selectors.people_matching(request.GET.get("q", "")[:50])
    return JsonResponse(
        {"people": [{"username": person.username, "name": person.name} for person in found]}
    )
