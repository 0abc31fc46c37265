"""Demo data for a first look: the desk's people and a living desk, written for factdesk.

Everything goes through the same services the pages use, so the demo's timelines, versions
and reviews are real. The town, outlets, people and figures are invented.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from factdesk.accounts.roles import Role
from factdesk.articles.models import Article
from factdesk.articles.services import article_create
from factdesk.claims import services
from factdesk.claims.models import Claim, Claimant, Medium, Priority, Rating, RatingScale, Review
from factdesk.claims.ratings import ensure_default_scale
from factdesk.claims.workflow import OPEN_STATUSES, ClaimStatus, DismissReason
from factdesk.intake.models import ExternalFactCheck
from factdesk.notifications.services import follow_set
from factdesk.sources.fetching import source_fetch
from factdesk.sources.models import Citation
from factdesk.sources.services import citation_add, citation_pin, citation_upload

DEMO_PASSWORD = "factdesk-demo"  # noqa: S105 - printed for the demo, refused without DEBUG

DEMO_PEOPLE = [
    # username, first, last, role (None: superuser)
    ("rita", "Rita", "Reyes", Role.REPORTER),
    ("ralph", "Ralph", "Okafor", Role.REPORTER),
    ("ed", "Ed", "Lindqvist", Role.EDITOR),
    ("erin", "Erin", "Moss", Role.EDITOR),
    ("paula", "Paula", "Nakamura", Role.PUBLISHER),
    ("admin", "Ada", "Admin", None),
]


ARTICLES_DIR = Path(__file__).resolve().parent / "articles"
SOURCES_DIR = Path(__file__).resolve().parent / "sources"


def _article(name: str, actor: User, outlet: str, *, days_ago: int, byline: str = "") -> Article:
    """A demo article from its file (the headline on the first line, then a blank line, the
    text), published `days_ago`."""
    title, _, text = (ARTICLES_DIR / f"{name}.txt").read_text(encoding="utf-8").partition("\n\n")
    return article_create(
        actor=actor,
        title=title.strip(),
        text=text,
        outlet_name=outlet,
        byline=byline,
        published_on=timezone.localdate() - timedelta(days=days_ago),
    )


class DemoRefusedError(Exception):
    pass


def _people() -> dict[str, User]:
    people = {}
    for username, first_name, last_name, role in DEMO_PEOPLE:
        user, created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@factdesk.example",
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        if role is not None:
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
        people[username] = user
    return people


def _claim(article: Article, quote: str, text: str, claimant: Claimant, actor: User) -> Claim:
    return services.claim_create(
        actor=actor, article=article, quote=quote, text=text, claimant=claimant
    )


def _draft(
    claim: Claim,
    actor: User,
    label: str,
    conclusion: str,
    explanation: str,
    correction_note: str = "",
) -> None:
    latest = claim.verdict_history().latest
    services.verdict_save(
        actor=actor,
        claim=claim,
        base_number=latest.number if latest else None,
        rating=Rating.objects.get(scale__is_default=True, label=label),
        conclusion=conclusion,
        explanation=explanation,
        correction_note=correction_note,
    )


def _move(claim: Claim, actor: User, *statuses: ClaimStatus) -> Claim:
    for status in statuses:
        claim = services.claim_transition(actor=actor, claim=claim, target=status)
    return claim


def _approve(claim: Claim, editor: User) -> None:
    services.review_submit(actor=editor, claim=claim, decision=Review.Decision.APPROVE)


def _cite_document(claim: Claim, actor: User, name: str, *, note: str, pin: str) -> None:
    """Cite a document of demo/sources/ as received by email, refuting the claim. It is read
    at once by the workers' own service (an upload needs no network), so that a first look
    shows its archived copy, its passages ranked against the claim and a pinned quote."""
    citation = citation_upload(
        actor=actor,
        claim=claim,
        upload=SimpleUploadedFile(name, (SOURCES_DIR / name).read_bytes()),
        stance=Citation.Stance.REFUTES,
        note=note,
    )
    source_fetch(source_id=citation.source_id)
    citation_pin(actor=actor, citation=citation, passage=pin)


def _desk(people: dict[str, User]) -> None:
    rita, ralph, ed, erin, paula = (
        people[name] for name in ("rita", "ralph", "ed", "erin", "paula")
    )
    ensure_default_scale(RatingScale, Rating)
    holt = services.claimant_create(
        actor=rita, name="Maren Holt", description="Leader of Harbridge council"
    )
    whitcombe = services.claimant_create(
        actor=ralph, name="Dana Whitcombe", description="Mayor of the Valley"
    )
    board = services.claimant_create(
        actor=rita, name="Harbridge health board", kind=Claimant.Kind.ORGANISATION
    )
    viral = services.claimant_create(
        actor=ralph, name="Viral social media posts", kind=Claimant.Kind.OTHER
    )
    # Made by mistake (a typo): an editor merges it into Maren Holt from its page.
    services.claimant_create(actor=ralph, name="Maren Hold")

    transit = _article("transit", rita, "Harbridge Ledger", days_ago=1, byline="Sam Achterberg")
    budget = _article("budget", ralph, "Valley Courier", days_ago=6)
    health = _article("health", rita, "Harbridge Ledger", days_ago=12)

    # New: just logged, nobody on it yet.
    _claim(
        transit,
        "the number of cars crossing the Old Bridge at rush hour had fallen by a third",
        "Rush-hour car traffic over the Old Bridge fell by a third after the fare cut.",
        holt,
        rita,
    )

    # Researching: assigned, a source cited, a question in the discussion.
    ridership = _claim(
        transit,
        "has doubled in the twelve months since we cut the flat fare to one pound",
        "Harbridge bus ridership doubled in the year after the fare cut to £1.",
        holt,
        rita,
    )
    services.claim_assign(actor=ed, claim=ridership, assignee=rita)
    services.claim_set_priority(actor=ed, claim=ridership, priority=Priority.HIGH)
    _move(ridership, rita, ClaimStatus.RESEARCHING)
    citation_add(
        actor=rita,
        claim=ridership,
        url="https://transport.harbridge.example/ridership-2026",
        stance=Citation.Stance.CONTEXT,
        note="Council's monthly boarding counts.",
    )
    _cite_document(
        ridership,
        rita,
        "bus-boardings-2024-2026.txt",
        note="The council's counts, sent by its press office: up 38%, not doubled.",
        pin="In the twelve months after it (March 2025 to February 2026) they recorded "
        "5.69 million boardings, an increase of 38 per cent.",
    )
    services.comment_add(
        actor=ed,
        claim=ridership,
        body="@rita, check whether the rail strike months are in the comparison, as Ibáñez says.",
    )
    # A claim inside another's quote: the article page shows both, the shared words darker.
    _claim(
        transit,
        "we cut the flat fare to one pound",
        "Harbridge cut its flat bus fare to £1.",
        holt,
        rita,
    )

    # In review, after one round of changes.
    schools = _claim(
        budget,
        "not a single school will close on my watch",
        "No school will close while Dana Whitcombe is mayor.",
        whitcombe,
        ralph,
    )
    services.claim_assign(actor=ed, claim=schools, assignee=ralph)
    _move(schools, ralph, ClaimStatus.RESEARCHING)
    _draft(
        schools,
        ralph,
        "Unproven",
        "A promise about the future can't be checked yet.",
        "The budget keeps every school open for 2027; later years are not budgeted.",
    )
    _move(schools, ralph, ClaimStatus.IN_REVIEW)
    services.review_submit(
        actor=ed,
        claim=schools,
        decision=Review.Decision.REQUEST_CHANGES,
        comment="Is this checkable at all? Consider dismissing as a pledge.",
    )
    _draft(
        schools,
        ralph,
        "Missing context",
        "The 2027 budget closes no school; it sets nothing for later years.",
        "The budget funds all 41 schools for 2027. The "
        "medium-term plan merges two primary schools in 2029.",
    )
    _move(schools, ralph, ClaimStatus.IN_REVIEW)

    # Approved, waiting for the publisher.
    per_pupil = _claim(
        budget,
        "more per pupil than any other city in the region",
        "The Valley spends more per pupil than any other city in the region.",
        whitcombe,
        ralph,
    )
    _move(per_pupil, ralph, ClaimStatus.RESEARCHING)
    _draft(
        per_pupil,
        ralph,
        "Mostly true",
        "Second-highest in the region, and the highest among cities.",
        "Regional education statistics put the Valley first among cities "
        "and second overall, behind a rural district.",
    )
    _move(per_pupil, ralph, ClaimStatus.IN_REVIEW)
    _approve(per_pupil, erin)

    # Published.
    stadium = _claim(
        budget,
        "will pay for itself within five years",
        "The new stadium will pay for itself within five years.",
        whitcombe,
        ralph,
    )
    _move(stadium, ralph, ClaimStatus.RESEARCHING)
    _cite_document(
        stadium,
        ralph,
        "stadium-business-case-summary.txt",
        note="The consultants' own summary: repaid in 22 years.",
        pin="On these estimates the council's share of the cost is repaid in 22 years.",
    )
    _draft(
        stadium,
        ralph,
        "False",
        "No study the city cites finds a five-year payback.",
        "The city's own consultants estimate 22 years; the two independent studies find no "
        "payback at all.",
    )
    _move(stadium, ralph, ClaimStatus.IN_REVIEW)
    _approve(stadium, ed)
    follow_set(actor=erin, claim=stadium, following=True)  # told when it is published
    _move(stadium, paula, ClaimStatus.PUBLISHED)

    # Corrected: published, then a correction through review again.
    uptake = _claim(
        health,
        "the highest uptake ever recorded in the district",
        "Flu vaccine uptake among over-65s is the highest ever recorded in Harbridge.",
        board,
        rita,
    )
    _move(uptake, rita, ClaimStatus.RESEARCHING)
    _draft(uptake, rita, "False", "Uptake was higher in 2021.", "The 2021 figure was 76%.")
    _move(uptake, rita, ClaimStatus.IN_REVIEW)
    _approve(uptake, erin)
    _move(uptake, paula, ClaimStatus.PUBLISHED, ClaimStatus.RESEARCHING)
    _draft(
        uptake,
        rita,
        "True",
        "74% is the highest uptake on record.",
        "The 76% we cited for 2021 was for all adults, not over-65s; over-65s peaked at "
        "71% that year.",
        correction_note="We first rated this False, comparing with the wrong 2021 figure. "
        "With the right figure the claim is accurate.",
    )
    _move(uptake, rita, ClaimStatus.IN_REVIEW)
    _approve(uptake, ed)
    _move(uptake, paula, ClaimStatus.CORRECTED)

    # Dismissed and duplicate.
    clinics = _claim(
        health,
        "taken the pressure off GP surgeries entirely",
        "Pharmacy clinics have taken the pressure off GP surgeries entirely.",
        board,
        rita,
    )
    services.claim_transition(
        actor=ed,
        claim=clinics,
        target=ClaimStatus.DISMISSED,
        dismiss_reason=DismissReason.OPINION,
        dismiss_note="A characterisation, not a measurable claim.",
    )
    repeat = services.claim_create(
        actor=ralph,
        text="The stadium will pay for itself in five years.",
        claimant=viral,
        quote="Stadium pays for itself in 5 years!!",
        medium=Medium.SOCIAL,
        source_url="https://social.example/posts/8812",
    )
    services.claim_transition(
        actor=erin, claim=repeat, target=ClaimStatus.DUPLICATE, duplicate_of=stadium
    )

    # Retracted: published, then withdrawn with a public note.
    ferry = services.claim_create(
        actor=ralph,
        text="The harbour ferry carried a million passengers last year.",
        claimant=viral,
        quote="A MILLION on the ferry last year",
        medium=Medium.SOCIAL,
        source_url="https://social.example/posts/9127",
    )
    _move(ferry, ralph, ClaimStatus.RESEARCHING)
    _draft(ferry, ralph, "True", "The operator reported 1.02 million.", "Annual report, p. 4.")
    _move(ferry, ralph, ClaimStatus.IN_REVIEW)
    _approve(ferry, ed)
    _move(ferry, paula, ClaimStatus.PUBLISHED)
    services.claim_transition(
        actor=paula,
        claim=ferry,
        target=ClaimStatus.RETRACTED,
        retraction_note="The operator's report counted each return trip twice; the figure "
        "we relied on does not stand.",
    )

    # Heard on the radio, urgent.
    crime = services.claim_create(
        actor=ralph,
        text="Crime in the Valley has fallen every year since 2022.",
        claimant=whitcombe,
        quote="crime has fallen every year since I took office",
        medium=Medium.TV,
        source_description="Valley FM breakfast show, 08:10",
        priority=Priority.URGENT,
    )
    services.claim_assign(actor=erin, claim=crime, assignee=ralph)

    # Topics, filed one by one on a claim's page and in bulk from the list.
    for article, topic in ((transit, "Transport"), (budget, "Council budget"), (health, "Health")):
        services.claims_bulk(
            actor=ed, action="topic", claims=list(article.claims.all()), topic_name=topic
        )
    services.claim_topic_add(actor=ed, claim=stadium, name="Stadium")
    services.claim_topic_add(actor=erin, claim=crime, name="Crime")
    # The articles' claims are due as if logged the day each article came out; the approved
    # budget claim has waited for its publisher past its date: overdue on the board and the
    # dashboard.
    for article in (transit, budget, health):
        for claim in article.claims.filter(status__in=OPEN_STATUSES):
            Claim.objects.filter(pk=claim.pk).update(
                due_date=services.due_date_for(claim.priority, article.published_on)
            )
    budget.claims.filter(status=ClaimStatus.APPROVED).update(
        due_date=timezone.localdate() - timedelta(days=2)
    )
    # Another newsroom (invented) checked the ridership claim too: "checked elsewhere".
    ExternalFactCheck.objects.create(
        url="https://checkers.example/2026/03/harbridge-bus-ridership",
        claim_reviewed="Harbridge bus ridership doubled after the fare cut to one pound.",
        headline="Did the \u00a31 fare really double Harbridge's bus ridership?",
        publisher="Checkers Weekly",
        rating_text="Exaggerated",
        rating_value=0.25,
        date_published=timezone.localdate() - timedelta(days=3),
        claimant="Maren Holt",
        language="en",
        origin=ExternalFactCheck.Origin.PAGE,
    )


@transaction.atomic
def load_demo() -> tuple[int, bool]:
    """Create what is missing of the demo: returns (accounts created, desk created)."""
    if not settings.DEBUG:
        raise DemoRefusedError(
            "Demo accounts have a published password, so they are only loaded with DEBUG on."
        )
    accounts_before = User.objects.count()
    people = _people()
    created_accounts = User.objects.count() - accounts_before
    if Article.objects.exists() or Claim.objects.exists():
        return created_accounts, False
    _desk(people)
    return created_accounts, True
