"""How fast the public side answers on a large desk: a fact-check page, the index (plain and
filtered) and the Atom feed, beside the login page as the baseline, in the same runs.

    .venv/bin/python benchmarks/public.py                    # 100,000 claims
    .venv/bin/python benchmarks/public.py --claims 20000     # a quicker look

The desk is seeded as for benchmarks/desk.py (the same database, reused) and each page is
timed through Django's full request path with an anonymous client, as a reader (no cache in
front: what a CDN would ask the desk for). Each page shows its median run's p50 and p95 and
the spread of the p95 over the runs. Target (publishing issue): a fact-check page p95 <= 20 ms.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk import measure, percentile
from desk_seed import database_name, prepare_database, seed, with_database

TARGETS = {"fact-check page": 20.0}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    articles, claimants = max(1, args.claims // 5), max(1, args.claims // 20)

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"):
        name = database_name(args.claims, articles, claimants, True)
        server_url = os.environ["DATABASE_URL"]
        shape = {"claims": args.claims, "articles": articles, "claimants": claimants}
        seeded = prepare_database(server_url, name, shape)
        os.environ["DATABASE_URL"] = with_database(server_url, name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        if not seeded:
            print(f"Seeding {name}: {args.claims:,} claims")
            seed(args.claims, articles, claimants)
        settings.DEBUG = False
        run(args)


def run(args) -> None:
    from django.test import Client

    from factdesk.claims.models import Claimant, Rating
    from factdesk.public.selectors import public_claims

    rng = random.Random(5)
    ids = list(public_claims().values_list("id", flat=True)[:5000])
    claimant = Claimant.objects.filter(claims__in=public_claims()).values_list("id", flat=True)[0]
    rating = Rating.objects.filter(scale__is_default=True).values_list("id", flat=True)[0]
    reader = Client()
    # Each fact check at its own address (the short one redirects: time the page itself).
    pages = {
        "baseline: login page": ["/accounts/login/"],
        "fact-check page": [
            reader.get(f"/fact-checks/{pk}/").url for pk in rng.sample(ids, min(200, len(ids)))
        ],
        "index": [
            "/fact-checks/",
            f"/fact-checks/?rating={rating}",
            f"/fact-checks/?claimant={claimant}",
        ],
        "feed (Atom)": ["/fact-checks/feed.atom"],
    }
    print(f"{public_claims().count():,} public fact checks")
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for number in range(args.runs):
        for page, urls in pages.items():
            values = [ms for ms, _ in measure(reader, urls, args.rounds)]
            runs[page].append((statistics.median(values), percentile(values, 0.95)))
        print(f"  run {number + 1}/{args.runs}", flush=True)
    print(f"\n{'page':<24}{'p50':>7}{'p95':>7}  {'p95 spread':<15}{'+login':>7}  target p95")
    baseline = runs["baseline: login page"]
    for page, results in runs.items():
        order = sorted(range(len(results)), key=lambda i: results[i][1])
        median_run = order[len(order) // 2]
        p50, p95 = results[median_run]
        spread = f"{results[order[0]][1]:.1f}-{results[order[-1]][1]:.1f}"
        over = "" if page.startswith("baseline") else f"{p95 - baseline[median_run][1]:7.1f}"
        target = TARGETS.get(page)
        verdict = "" if target is None else f"≤ {target:g}  {'ok' if p95 <= target else 'MISSED'}"
        print(f"{page:<24}{p50:7.1f}{p95:7.1f}  {spread:<15}{over:>7}  {verdict}")


if __name__ == "__main__":
    main()
