"""Webhooks' reads for their pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from factdesk.webhooks.models import Delivery, Subscription

LOG_LENGTH = 50


def subscriptions() -> QuerySet[Subscription]:
    """Every webhook with its deliveries counted by how they stand."""
    return Subscription.objects.annotate(
        delivered=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.DELIVERED)),
        pending=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.PENDING)),
        failed=Count("deliveries", filter=Q(deliveries__status=Delivery.Status.FAILED)),
    ).select_related("created_by")


@dataclass
class DeliveryLog:
    deliveries: list[Delivery]
    total: int

    @property
    def sending(self) -> bool:
        """Whether something is still on its way (the log then updates itself)."""
        return any(delivery.status == Delivery.Status.PENDING for delivery in self.deliveries)


def delivery_log(subscription: Subscription) -> DeliveryLog:
    """The newest deliveries, newest first, with the claim each was about."""
    deliveries = list(
        subscription.deliveries.select_related("claim").order_by("-created_at", "-id")[:LOG_LENGTH]
    )
    return DeliveryLog(deliveries=deliveries, total=subscription.deliveries.count())
