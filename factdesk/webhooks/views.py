"""Webhook pages (publishers): the subscriptions, each with its delivery log, which updates
itself while something is being sent."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from factdesk.accounts.roles import DeskRequest, Role, role_required
from factdesk.core.errors import DeskError, form_error
from factdesk.webhooks import selectors, services
from factdesk.webhooks.forms import SubscriptionForm
from factdesk.webhooks.models import Delivery, Subscription


@role_required(Role.PUBLISHER)
def subscriptions(request: DeskRequest) -> HttpResponse:
    """The desk's webhooks, and a form to add one."""
    form = SubscriptionForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            subscription = services.subscription_create(
                actor=request.user,
                url=form.cleaned_data["url"],
                events=form.cleaned_data["events"],
                description=form.cleaned_data["description"],
                idempotency_key=form.cleaned_data["idempotency_key"],
            )
        except DeskError as error:
            form_error(form, error)
        else:
            messages.success(request, "Webhook added. Send it a test event to check it works.")
            return redirect("webhooks:subscription", subscription.pk)
    return render(
        request,
        "webhooks/list.html",
        {"form": form, "subscriptions": selectors.subscriptions()},
        status=400 if form.errors else 200,
    )


@require_GET
@role_required(Role.PUBLISHER)
def subscription(request: DeskRequest, subscription_id: int) -> HttpResponse:
    """One webhook: its secret, its events, and its delivery log."""
    subscription = get_object_or_404(Subscription, pk=subscription_id)
    log = selectors.delivery_log(subscription)
    template = "webhooks/subscription.html#log" if request.htmx else "webhooks/subscription.html"
    return render(request, template, {"subscription": subscription, "log": log})


@require_POST
@role_required(Role.PUBLISHER)
def set_active(request: DeskRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id)
    active = request.POST.get("active") == "on"
    try:
        services.subscription_set_active(
            actor=request.user, subscription=subscription, active=active
        )
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"The webhook is {'on' if active else 'off'}.")
    return redirect(subscription)


@require_POST
@role_required(Role.PUBLISHER)
def send_test(request: DeskRequest, subscription_id: int) -> HttpResponse:
    subscription = get_object_or_404(Subscription, pk=subscription_id)
    services.webhook_test_send(actor=request.user, subscription=subscription)
    messages.success(request, "A test event is on its way; the log below shows its answer.")
    return redirect(subscription)


@require_POST
@role_required(Role.PUBLISHER)
def retry(request: DeskRequest, delivery_id: int) -> HttpResponse:
    delivery = get_object_or_404(Delivery.objects.select_related("subscription"), pk=delivery_id)
    try:
        services.delivery_retry(actor=request.user, delivery=delivery)
    except DeskError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Sending it again.")
    return redirect(delivery.subscription)
