"""How fast the desk's pages answer on a large desk.

    .venv/bin/python benchmarks/desk.py                 # 100,000 claims, 20,000 articles
    .venv/bin/python benchmarks/desk.py --claims 20000  # a quicker look

Seeds a separate database (embedded PostgreSQL under var/bench/ unless DATABASE_URL is set)
once, then times each page through Django's full request path (middleware, views, queries,
templates) in this process, and prints p50/p95 per page. The baseline, timed the same way in
the same run, is the login page: what any request costs before the desk's own work.

Targets (issue #3): p95 <= 50 ms for board, list and claim page; <= 100 ms for search.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import statistics
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

WORDS = [
    "budget",
    "tax",
    "unemployment",
    "inflation",
    "housing",
    "homes",
    "schools",
    "teachers",
    "nurses",
    "hospital",
    "waiting",
    "list",
    "crime",
    "police",
    "immigration",
    "border",
    "wages",
    "pensions",
    "energy",
    "prices",
    "fuel",
    "climate",
    "emissions",
    "vaccine",
    "vaccination",
    "council",
    "buses",
    "trains",
    "fares",
    "roads",
    "potholes",
    "stadium",
    "tourism",
    "jobs",
    "factory",
    "exports",
    "farmers",
    "water",
    "sewage",
    "rivers",
    "flooding",
    "benefits",
    "deficit",
    "debt",
    "growth",
    "recession",
    "students",
    "tuition",
    "library",
    "parks",
    "pollution",
    "broadband",
]
FIRST = "Ada Ben Cleo Dev Ema Finn Gita Hal Ines Jon Kai Lena Milo Nia Omar Pia Raj Sara Tom Uma"
LAST = "Holt Reyes Okafor Lindqvist Moss Nakamura Ibáñez Alvarado Whitcombe Achterberg Byrne"


STOPWORDS = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "that",
    "is",
    "was",
    "he",
    "for",
    "it",
    "with",
    "as",
    "his",
    "on",
    "be",
    "at",
    "by",
    "i",
    "this",
    "had",
    "not",
    "are",
    "but",
    "from",
    "or",
    "have",
    "an",
    "they",
    "which",
    "one",
    "you",
    "were",
    "her",
    "all",
    "she",
    "there",
    "would",
    "their",
    "we",
    "him",
    "been",
]


def vocabulary(rng: random.Random, size: int = 8000) -> list[str]:
    """Words by frequency rank, as in news text: stopwords first (search ignores them),
    the desk's topical words among the common ones, then a long tail of rarer words."""
    syllables = [
        "ka",
        "lo",
        "mi",
        "ren",
        "to",
        "sa",
        "vel",
        "dor",
        "an",
        "pe",
        "ri",
        "gu",
        "mo",
        "tes",
        "fa",
        "ni",
        "ber",
        "co",
        "lu",
        "shi",
    ]
    tail = {"".join(rng.choice(syllables) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = sorted(tail - set(WORDS) - set(STOPWORDS))
    rng.shuffle(words)
    for offset, word in enumerate(WORDS):  # topical words at ranks 40 to ~600
        words.insert(40 + offset * 9, word)
    return STOPWORDS + words


class Writer:
    """Sentences whose words follow Zipf's law over the vocabulary."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.words = vocabulary(rng)
        weights = [1 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        total = sum(weights)
        self.cumulative = list(itertools.accumulate(weight / total for weight in weights))

    def sentence(self, length: int) -> str:
        words = self.rng.choices(self.words, cum_weights=self.cumulative, k=length)
        return " ".join(words).capitalize() + "."


def seed(claims: int, articles: int, claimants: int) -> None:
    """Bulk-insert a desk of the given size (once: a seeded database is reused)."""
    from django.contrib.auth.models import Group, User

    from factdesk.articles.models import Article, Outlet
    from factdesk.claims.models import Activity, Claim, Claimant, Rating, RatingScale, Verdict
    from factdesk.claims.ratings import ensure_default_scale
    from factdesk.claims.workflow import ClaimStatus

    if Claim.objects.count() >= claims:
        print(f"Using the seeded desk: {Claim.objects.count():,} claims.")
        return
    rng = random.Random(7)
    writer = Writer(rng)
    sentence = writer.sentence
    started = time.monotonic()
    scale = ensure_default_scale(RatingScale, Rating)
    ratings = list(scale.ratings.all())
    group = Group.objects.get_or_create(name="reporter")[0]
    people = []
    for index in range(20):
        user, _ = User.objects.get_or_create(username=f"bench{index}")
        user.groups.add(group)
        people.append(user)
    outlets = Outlet.objects.bulk_create(
        [Outlet(name=f"Outlet {i}", domain=f"outlet{i}.example") for i in range(50)]
    )
    first, last = FIRST.split(), LAST.split()
    claimant_rows = Claimant.objects.bulk_create(
        [Claimant(name=f"{rng.choice(first)} {rng.choice(last)} {i}") for i in range(claimants)],
        batch_size=5000,
    )
    article_rows = []
    for start in range(0, articles, 2000):
        batch = [
            Article(
                title=sentence(8),
                text="\n\n".join(sentence(rng.randint(15, 30)) for _ in range(12)),
                outlet=rng.choice(outlets),
                added_by=rng.choice(people),
            )
            for _ in range(min(2000, articles - start))
        ]
        article_rows += Article.objects.bulk_create(batch)
        print(f"  articles {len(article_rows):,}/{articles:,}", end="\r", flush=True)
    print()
    statuses = list(ClaimStatus)
    made = 0
    while made < claims:
        batch = []
        for _ in range(min(5000, claims - made)):
            article = rng.choice(article_rows)
            batch.append(_claim(rng, writer, article, claimant_rows, statuses, people, ratings))
        rows = Claim.objects.bulk_create(batch)
        Verdict.objects.bulk_create(
            [
                Verdict(
                    claim=row,
                    number=1,
                    rating=row.current_rating or ratings[0],
                    conclusion=sentence(8),
                    explanation=sentence(40),
                    author=row.created_by,
                )
                for row in rows
                if row.current_rating
            ]
        )
        Activity.objects.bulk_create(
            [
                Activity(
                    actor=row.created_by,
                    action="claim.created",
                    claim=row,
                    target_type="claim",
                    target_id=row.pk,
                    summary="logged the claim",
                    changes={"text": [None, row.text]},
                )
                for row in rows
            ]
        )
        made += len(rows)
        print(f"  claims {made:,}/{claims:,}", end="\r", flush=True)
    print()
    print(f"Seeded in {time.monotonic() - started:.0f} s.")


def _claim(rng, writer, article, claimants, statuses, people, ratings):
    from factdesk.claims.models import Claim
    from factdesk.claims.workflow import ClaimStatus

    start = rng.randint(0, 200)
    status = rng.choice([s for s in statuses if s != ClaimStatus.DUPLICATE])
    return Claim(
        article=article,
        outlet_id=article.outlet_id,
        quote=article.text[start : start + 60],
        quote_start=start,
        quote_end=start + 60,
        text=writer.sentence(rng.randint(8, 16)),
        claimant=rng.choice(claimants),
        status=status,
        dismiss_reason="other" if status == ClaimStatus.DISMISSED else "",
        assignee=rng.choice([*people, None]),
        priority=rng.randint(0, 3),
        created_by=rng.choice(people),
        current_rating=rng.choice([*ratings, None]),
    )


def measure(client, urls: list[str], rounds: int) -> tuple[float, float, list[tuple[float, str]]]:
    """p50 and p95 in milliseconds of `rounds` requests cycling through `urls`, and the
    slowest requests."""
    # Steady state, as on a desk that has been up a while: every URL once before timing,
    # so PostgreSQL's buffers hold what the pages read (a fresh server reads from disk).
    for url in urls:
        client.get(url)
    timings = []
    for index in range(rounds):
        url = urls[index % len(urls)]
        started = time.perf_counter()
        response = client.get(url)
        timings.append(((time.perf_counter() - started) * 1000, url))
        assert response.status_code == 200, (url, response.status_code)
    timings.sort()
    values = [ms for ms, _ in timings]
    return statistics.median(values), values[int(len(values) * 0.95) - 1], timings[-3:]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--claimants", type=int, default=5_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--slowest", action="store_true", help="also print the slowest URLs")
    args = parser.parse_args()

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        os.environ["DEBUG"] = "1"
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        seed(args.claims, args.articles, args.claimants)
        from django.db import connection

        with connection.cursor() as cursor:
            # What autovacuum does on a live desk: fresh statistics, no dead rows from the
            # seeding or from migrations, and the visibility map that lets counts read an
            # index alone.
            cursor.execute("VACUUM ANALYZE")
        settings.DEBUG = False  # DEBUG keeps every query in memory; time production behaviour

        from django.contrib.auth.models import User

        from factdesk.claims.models import Claim, Claimant

        rng = random.Random(11)
        user = User.objects.get(username="bench0")
        client = Client()
        client.force_login(user)
        claim_ids = list(Claim.objects.order_by("?").values_list("id", flat=True)[:200])
        names = list(Claimant.objects.order_by("?").values_list("name", flat=True)[:50])
        terms = [
            *(f"{rng.choice(WORDS)} {rng.choice(WORDS)}" for _ in range(60)),
            *(rng.choice(WORDS) for _ in range(60)),
            *(" ".join(name.split()[:2]) for name in names[:40]),  # "Ada Holt"
            *("unemploymnet", "vacinnation", "stadum", "polution"),
        ]
        pages = {
            "baseline: login page": ["/accounts/login/"],
            "board": ["/", "/?assignee=me", "/?rating=3", "/?outlet=4"],
            "list": [
                "/claims/",
                "/claims/?sort=priority",
                "/claims/?status=researching",
                "/claims/?page=40",
                "/claims/?assignee=me&sort=claimed",
            ],
            "claim page": [f"/claims/{claim_id}/" for claim_id in claim_ids],
            "search": [f"/claims/?q={term}" for term in terms],
        }
        print(
            f"\n{Claim.objects.count():,} claims; {args.rounds} requests per page; "
            "server time in ms (Django test client, in process)\n"
        )
        print(f"{'page':<24}{'p50':>8}{'p95':>8}  target p95")
        targets = {"board": 50, "list": 50, "claim page": 50, "search": 100}
        for name, urls in pages.items():
            # The baseline is what an anonymous visitor's request costs.
            p50, p95, slowest = measure(
                Client() if name.startswith("baseline") else client, urls, args.rounds
            )
            target = targets.get(name)
            verdict = (
                "" if target is None else (f"≤ {target}  {'ok' if p95 <= target else 'MISSED'}")
            )
            print(f"{name:<24}{p50:>8.1f}{p95:>8.1f}  {verdict}")
            if args.slowest:
                for ms, url in reversed(slowest):
                    print(f"{'':<6}{ms:>8.1f} ms  {url}")


if __name__ == "__main__":
    main()
