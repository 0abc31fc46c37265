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
