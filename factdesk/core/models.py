from django.db import models

SEARCH_CONFIG = "factdesk"  # see core/migrations/0002_search_configuration.py


class TimeStamped(models.Model):
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True
