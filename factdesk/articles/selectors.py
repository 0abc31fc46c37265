"""Reads that serve the article pages. Each runs a fixed number of queries, whatever the data."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Count, QuerySet

from factdesk.articles.models import Article
from factdesk.claims.models import Claim
from factdesk.claims.selectors import claim_cards
from factdesk.claims.workflow import ClaimStatus
from factdesk.core.highlight import layered_runs
from factdesk.core.queries import CompiledQuery, given
from factdesk.intake.models import TriageDone
from factdesk.intake.selectors import Intake, article_intake
from factdesk.sources.canonical import canonical_url
from factdesk.sources.models import Snapshot, Source

# Asked for every page the workers archive (the articles app's receiver): built once.
_WAITING = CompiledQuery(
    lambda: Article.objects.filter(source_id=given("source"), text="").values_list("id")[:1]
)


def article_waiting_for(source_id: int) -> bool:
    """Whether an article added by this URL waits for its text from the page's copy."""
    return bool(_WAITING.rows(source=source_id))


# Claims that are no longer checked: their highlights are dimmed, under the live ones.
SET_ASIDE = frozenset({ClaimStatus.DISMISSED, ClaimStatus.DUPLICATE})


@dataclass
class Segment:
    """A run of the article's text and the claims quoting all of it (none: plain text)."""

    text: str
    claims: list[Claim] = field(default_factory=list)
    furniture: bool = False  # page furniture: folded, dimmed when shown

    @property
    def live(self) -> list[Claim]:
        return [claim for claim in self.claims if claim.status not in SET_ASIDE]

    @property
    def dimmed(self) -> bool:
        """Only set-aside claims quote it: shown faintly, so it never hides a live one."""
        return bool(self.claims) and not self.live

    @property
    def depth(self) -> int:
        """How many live claims quote it (how many set-aside ones, when none is live),
        which the shade shows; 3 stands for three or more."""
        return min(len(self.live) or len(self.claims), 3)

    @property
    def title(self) -> str:
        return "\n".join(
            f"Claim #{claim.pk} ({claim.get_status_display()}): {claim.text[:100]}"
            for claim in self.claims
        )

    @property
    def described_by(self) -> str:
        return " ".join(f"article-claim-{claim.pk}" for claim in self.claims)


FURNITURE = object()  # the mark of a furniture line among the runs' items


def article_segments(
    article: Article, claims: list[Claim], furniture: Sequence[tuple[int, int]] = ()
) -> list[Segment]:
    """The article's text cut into runs at every quote's start and end, each run with every
    claim quoting it (overlapping and nested quotes all show), and whether it is a line of
    page furniture."""
    spans: list[tuple[int, int, Any]] = [
        (claim.quote_start, claim.quote_end, claim)
        for claim in claims
        if claim.quote_start is not None and claim.quote_end is not None
    ]
    spans += [(start, end, FURNITURE) for start, end in furniture]
    return [
        Segment(
            run.text,
            [item for item in run.items if item is not FURNITURE],
            furniture=any(item is FURNITURE for item in run.items),
        )
        for run in layered_runs(article.text, spans)
    ]


@dataclass
class ArticlePage:
    article: Article
    claims: list[Claim]
    segments: list[Segment]
    intake: Intake
    triaged: bool  # an editor marked it "Triage done"


def article_page(article_id: int) -> ArticlePage:
    """The article, its claims, its text in runs, and what intake suggests. Raises
    Article.DoesNotExist."""
    article = Article.objects.select_related("outlet", "added_by", "source").get(pk=article_id)
    claims = list(claim_cards(article.claims.all()).order_by("quote_start", "pk"))
    intake = article_intake(article, claims)
    return ArticlePage(
        article,
        claims,
        article_segments(article, claims, intake.furniture_spans),
        intake,
        TriageDone.objects.filter(article=article).exists(),
    )


def claimant_last_logged(user: User) -> str:
    """The name of the claimant of the last claim `user` logged: the claim form starts with
    it, since an editor logs a run of claims by one speaker."""
    name = (
        Claim.objects.filter(created_by=user)
        .order_by("-created_at", "-pk")
        .values_list("claimant__name", flat=True)
        .first()
    )
    return name or ""


def article_copy(article: Article) -> Snapshot | None:
    """The newest archived copy of an article added by URL."""
    if article.source_id is None:
        return None
    return (
        Snapshot.objects.filter(source_id=article.source_id)
        .only("id", "reading", "links")
        .order_by("-fetched_at")
        .first()
    )


def article_links(copy: Snapshot | None, claims: list[Claim]) -> list[dict[str, Any]]:
    """The links in an article's archived copy, each marked when a claim of the article
    already cites it."""
    links = copy.links if copy else []
    if not links:
        return []
    cited = set(
        Source.objects.filter(citations__claim__in=claims).values_list("canonical_url", flat=True)
    )
    return [{**link, "cited": canonical_url(link["url"]) in cited} for link in links]


def article_list() -> QuerySet[Article]:
    return (
        Article.objects.select_related("outlet")
        .annotate(claim_count=Count("claims"))
        .only("id", "title", "url", "byline", "published_on", "created_at", "outlet__name")
        .order_by("-created_at")
    )
