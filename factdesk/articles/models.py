from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector, SearchVectorField
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse

from factdesk.core.models import SEARCH_CONFIG, TimeStamped, WithoutSearchVector


class Outlet(TimeStamped):
    """A publisher: a newspaper, a broadcaster, a site."""

    name = models.CharField(max_length=200)
    domain = models.CharField(max_length=253, blank=True, help_text="e.g. example.com")

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="outlet_name_unique_ci"),
            models.UniqueConstraint(
                Lower("domain"), condition=~Q(domain=""), name="outlet_domain_unique_ci"
            ),
        ]
        # The desk's search finds outlets by any part of the name or domain (ILIKE).
        indexes = [
            GinIndex(fields=["name"], opclasses=["gin_trgm_ops"], name="outlet_name_trgm"),
            GinIndex(fields=["domain"], opclasses=["gin_trgm_ops"], name="outlet_domain_trgm"),
        ]

    def __str__(self) -> str:
        return self.name


class Article(TimeStamped):
    """A piece claims appeared in. `text` is the stored text claims' offsets point into."""

    url = models.URLField(max_length=2000, blank=True)
    outlet = models.ForeignKey(
        Outlet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="articles",
        db_index=False,  # article_outlet leads with it
    )
    title = models.CharField(max_length=500)
    byline = models.CharField(max_length=300, blank=True)
    published_on = models.DateField(null=True, blank=True)
    # Detected from the text (core/languages.py), editable; "" while unknown.
    language = models.CharField(max_length=10, blank=True)
    text = models.TextField(blank=True)
    # Added by URL: the page is fetched through the sources pipeline, and the article's
    # text and metadata are filled in from it once archived.
    source = models.OneToOneField(
        "sources.Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article",
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    search_vector = models.GeneratedField(
        expression=SearchVector("title", weight="A", config=SEARCH_CONFIG)
        + SearchVector("text", weight="D", config=SEARCH_CONFIG),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = WithoutSearchVector()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["url"], condition=~Q(url=""), name="article_url_unique"
            ),
            # Only an article still being fetched may be without text.
            models.CheckConstraint(
                condition=~Q(text="") | Q(source__isnull=False), name="article_text_not_empty"
            ),
        ]
        indexes = [
            GinIndex(fields=["search_vector"], name="article_search_gin"),
            # Claims filtered by outlet (the board's and list's ?outlet=) join through the
            # article: its ids by outlet, and whether an article is the outlet's, come from
            # this index alone, without reading the article rows (their text is large).
            models.Index(fields=["outlet", "id"], name="article_outlet"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def awaiting_text(self) -> bool:
        return not self.text

    def get_absolute_url(self) -> str:
        return reverse("articles:detail", args=[self.pk])
