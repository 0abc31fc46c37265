from django.conf import settings
from django.db import models

SEARCH_CONFIG = "factdesk"  # see core/migrations/0002_search_configuration.py


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WithoutSearchVector(models.Manager):
    """Leaves the stored tsvector out of every query unless asked for: it is only read by
    the database (search filters and ranks), and it is larger than the text it indexes."""

    def get_queryset(self) -> models.QuerySet:
        return super().get_queryset().defer("search_vector")


class IdempotencyKey(models.Model):
    """A submission already carried out: the key a form (or an API call, an import) sent
    with it, who sent it and what it created. A repeat of the key answers with that object
    instead of creating another (core/idempotency.py)."""

    key = models.UUIDField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey(
        "contenttypes.ContentType", on_delete=models.CASCADE, null=True, related_name="+"
    )
    # Empty only inside the transaction that claims the key and creates the object.
    object_id = models.PositiveBigIntegerField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.key} by user {self.user_id}"
