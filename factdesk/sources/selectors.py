"""Reads that serve the sources panel and the evidence passages of a claim."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch

from factdesk.claims.models import Claim
from factdesk.sources.models import Citation, Snapshot, Source, last_published_at
from factdesk.sources.passages import Passage, rank_passages


@dataclass(frozen=True)
class CitedSource:
    """One citation of a claim with its source's newest snapshot (without its text)."""

    citation: Citation
    latest: Snapshot | None

    @property
    def source(self) -> Source:
        return self.citation.source

    @property
    def changed(self) -> bool:
        """Whether the source's content changed since the desk cited it."""
        return self.citation.changed_since_cited(self.latest)


def claim_citations(claim_id: int) -> list[CitedSource]:
    """A claim's citations, their sources and each source's newest snapshot (three queries)."""
    citations = (
        Citation.objects.filter(claim_id=claim_id)
        .select_related("source", "added_by")
        .prefetch_related(
            Prefetch(
                "source__snapshots",
                queryset=Snapshot.objects.defer("text", "links").order_by("-fetched_at"),
            )
        )
    )
    cited = []
    for citation in citations:
        snapshots = citation.source.snapshots.all()  # prefetched, newest first
        cited.append(CitedSource(citation, snapshots[0] if snapshots else None))
    return cited


def citations_unsettled(cited: list[CitedSource]) -> bool:
    """Whether a cited source is still being fetched: the panel then refreshes itself."""
    return not all(row.source.is_settled for row in cited)


@dataclass(frozen=True)
class SourcesPanel:
    claim: Claim
    cited: list[CitedSource]
    published_at: datetime.datetime | None = None  # the claim's last publication

    @property
    def unsettled(self) -> bool:
        return citations_unsettled(self.cited)

    @property
    def rows(self) -> list[tuple[CitedSource, bool]]:
        """Each citation and whether it may be removed (no published verdict rests on it)."""
        return [(row, not row.citation.is_published(self.published_at)) for row in self.cited]


def sources_panel(claim_id: int) -> SourcesPanel:
    """The sources panel of a claim. Raises Claim.DoesNotExist."""
    claim = Claim.objects.only("id").get(pk=claim_id)
    return SourcesPanel(claim, claim_citations(claim_id), last_published_at(claim_id))


@dataclass(frozen=True)
class EvidencePassages:
    """Each archived source of a claim with its passages that best match the claim."""

    claim: Claim
    rows: list[tuple[CitedSource, list[Passage]]]


def evidence_passages(claim_id: int) -> EvidencePassages:
    """The claim's archived sources (those with a snapshot) and their best passages, ranked
    against the claim's wording. Raises Claim.DoesNotExist."""
    claim = Claim.objects.only("id", "text").get(pk=claim_id)
    cited = [row for row in claim_citations(claim_id) if row.latest is not None]
    snapshot_ids = {row.citation.pk: row.latest.pk for row in cited if row.latest}
    bodies = dict(Snapshot.objects.filter(pk__in=snapshot_ids.values()).values_list("pk", "text"))
    texts = {citation_id: bodies[snapshot_id] for citation_id, snapshot_id in snapshot_ids.items()}
    ranked = rank_passages(claim.text, texts)
    return EvidencePassages(claim, [(row, ranked.get(row.citation.pk, [])) for row in cited])
