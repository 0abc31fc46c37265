"""How fast the desk's pages answer on a large desk.

    .venv/bin/python benchmarks/desk.py                    # 100,000 claims, 20,000 articles
    .venv/bin/python benchmarks/desk.py --claims 1000000   # a million (seeded once, minutes)
    .venv/bin/python benchmarks/desk.py --claims 20000     # a quicker look
    .venv/bin/python benchmarks/desk.py --runs 0 --profile # where a claim page's time goes

Each size is seeded once with PostgreSQL COPY (benchmarks/desk_seed.py) into its own
database, `bench_<claims>`, on an embedded PostgreSQL under var/bench/ (or on the server of
DATABASE_URL, when set); later runs find the seed's marker and reuse it. Each page is then
timed through Django's full request path (middleware, views, queries, templates) in this
process, as an editor. The page set is run three times (--runs), interleaved, and each page
shows its median run (the run with the median p95: its p50 and p95), the spread of the p95
over the runs (min-max), and how far its p95 is above the baseline's in the same run. The
baseline is the login page, timed the same way in the same runs: what any request costs
before the desk's own work. The CPU is shared: when the baseline moves between runs, so do
the pages, and the spread says by how much.

Search is timed per kind of query (a rare word, a common word, a quoted phrase, a typo, which
falls back to trigram similarity, and a claimant's name), and pooled over the kinds.

--compare-prepared times board, list and claim page with the queries prepared on the server
(settings.DATABASE_PREPARED, the default) and without, in blocks that alternate between the
two on the same connection settings otherwise: what the prepared statements save, with the
machine held as constant as it can be.

--profile then takes a claim page, the board and search apart: queries per request, time in
SQL, in template rendering and in the rest of Python, the costliest queries with EXPLAIN
ANALYZE of the slowest, and the Python functions that cost most (cProfile; by own time, or
with PROFILE_SORT=cumulative PROFILE_LINES=40 by time inside each function).

Targets (issue #3): at 100,000 claims, p95 <= 25 ms for board, list and claim page and
<= 50 ms for search and for the APIs' lists (issue #14: the desk's, with a token, and the
public one); at 1,000,000, <= 50 ms for board, list and claim page and <= 100 ms for
a rare-word or phrase search.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import random
import re
import statistics
import sys
import time
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_seed import (  # noqa: E402
    COLLOCATIONS,
    RARE_WORDS,
    WORDS,
    database_name,
    prepare_database,
    seed,
    seeded_seconds,
    with_database,
)

TYPOS = [
    "unemploymnet",
    "vacinnation",
    "stadum",
    "polution",
    "inflaton",
    "immigartion",
    "broadbnad",
    "pensoins",
    "hospitl",
    "recesion",
]


def targets_for(claims: int) -> dict[str, float]:
    if claims >= 1_000_000:
        return {
            "board": 50,
            "list": 50,
            "claim page": 50,
            "search: rare word": 100,
            "search: phrase": 100,
        }
    search = {
        f"search: {kind}": 50
        for kind in ("all kinds", "rare word", "common word", "phrase", "typo", "claimant name")
    }
    apis = {"api: desk claims": 50, "api: fact checks": 50}
    return {"board": 25, "list": 25, "claim page": 25, **apis, **search}


def cpu_loop_ms() -> float:
    """Milliseconds a fixed pure-Python loop takes (the median of three): the machine's speed
    at the time. A shared CPU can run at half speed for minutes, and the pages with it; two
    runs of this benchmark compare only beside this figure."""
    timings = []
    for _ in range(3):
        started = time.perf_counter()
        total = 0
        for number in range(3_000_000):
            total += number * number
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * fraction + 0.5) - 1)]


def measure(client, urls: list[str], rounds: int) -> list[tuple[float, str]]:
    """Milliseconds of `rounds` requests cycling through `urls`, each with its URL."""
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
    return timings


def build_pages(rng: random.Random) -> dict[str, list[str]]:
    from django.db.models import Max, Min

    from factdesk.articles.models import Outlet
    from factdesk.claims.models import Claim, Claimant, Rating, Topic

    bounds = Claim.objects.aggregate(low=Min("id"), high=Max("id"))
    candidates = rng.sample(range(bounds["low"], bounds["high"] + 1), 400)
    claim_ids = list(Claim.objects.filter(id__in=candidates).values_list("id", flat=True))[:200]
    rng.shuffle(claim_ids)
    names = list(
        Claimant.objects.filter(
            id__in=rng.sample(range(1, Claimant.objects.count() + 1), 40)
        ).values_list("name", flat=True)
    )
    rating = Rating.objects.filter(scale__is_default=True).order_by("position")[2].pk
    outlet = Outlet.objects.order_by("id")[3].pk
    # The biggest topic (a fifth of the filed claims) and one from the tail.
    big_topic, small_topic = (Topic.objects.get(name=name).pk for name in ("Economy", "Heritage"))
    phrases = [f'"{first} {second}"' for first, second in COLLOCATIONS.items()]
    search = {
        "rare word": RARE_WORDS,
        "common word": WORDS[:8],
        "phrase": phrases,
        "typo": TYPOS,
        "claimant name": [" ".join(name.split()[:2]) for name in names],  # "Ada Holt"
    }
    pages = {
        "baseline: login page": ["/accounts/login/"],
        "board": [
            "/",
            "/?assignee=me",
            f"/?rating={rating}",
            f"/?outlet={outlet}",
            f"/?topic={big_topic}",
            f"/?topic={small_topic}",
        ],
        "list": [
            "/claims/",
            "/claims/?sort=priority",
            "/claims/?status=researching",
            "/claims/?page=40",
            "/claims/?assignee=me&sort=claimed",
            f"/claims/?topic={big_topic}",
            f"/claims/?topic={small_topic}&sort=priority",
        ],
        "claim page": [f"/claims/{claim_id}/" for claim_id in claim_ids],
        # The APIs' lists: the desk's with a person's token, the public one without.
        "api: desk claims": [
            "/api/v1/desk/claims/",
            "/api/v1/desk/claims/?status=researching",
            "/api/v1/desk/claims/?page=40",
            f"/api/v1/desk/claims/?claimant={rng.randint(1, 100)}",
        ],
        "api: fact checks": [
            "/api/v1/fact-checks/",
            f"/api/v1/fact-checks/?rating={rating}",
            "/api/v1/fact-checks/?page=20",
            "/api/v1/fact-checks/?updated_since=2026-01-01T00:00:00Z",
        ],
    }
    for kind, terms in search.items():
        pages[f"search: {kind}"] = [f"/claims/?q={term}" for term in terms]
    return pages


def run_benchmark(args, pages, client, anonymous, token_client) -> None:
    from factdesk.claims.models import Claim

    # runs[page] = [(p50, p95), ...], one per run
    runs: dict[str, list[tuple[float, float]]] = defaultdict(list)
    slowest: dict[str, list[tuple[float, str]]] = defaultdict(list)
    search_rounds = max(20, args.rounds // 2)
    loop_before = cpu_loop_ms()
    for run in range(args.runs):
        started = time.monotonic()
        pooled: list[float] = []
        for name, urls in pages.items():
            rounds = search_rounds if name.startswith("search") else args.rounds
            by = client
            if name.startswith(("baseline", "api: fact")):
                by = anonymous
            elif name.startswith("api: desk"):
                by = token_client
            timings = measure(by, urls, rounds)
            values = [ms for ms, _ in timings]
            runs[name].append((statistics.median(values), percentile(values, 0.95)))
            slowest[name] += sorted(timings)[-3:]
            if name.startswith("search"):
                pooled += values
        runs["search: all kinds"].append((statistics.median(pooled), percentile(pooled, 0.95)))
        print(f"  run {run + 1}/{args.runs}: {time.monotonic() - started:.0f} s", flush=True)

    loop_after = cpu_loop_ms()
    targets = targets_for(args.claims)
    order = ["baseline: login page", "board", "list", "claim page", "api: desk claims"]
    order += ["api: fact checks", "search: all kinds"]
    order += [name for name in pages if name.startswith("search")]
    count = Claim.objects.count()
    print(
        f"\n{count:,} claims; {args.runs} runs x {args.rounds} requests per page "
        f"({search_rounds} per kind of search); server time in ms, Django test client in "
        "process.\nMedian run: the run with the median p95, its p50 and p95; spread: the "
        "lowest and highest p95 of the runs;\n+login: the page's p95 minus the login page's "
        f"in the same run.\nMachine speed: a fixed Python loop took {loop_before:.0f} ms before "
        f"the runs and {loop_after:.0f} ms after (cpu_loop_ms; compare runs beside it).\n"
    )
    print(f"{'page':<24}{'p50':>7}{'p95':>7}  {'p95 spread':<15}{'+login':>7}  target p95")
    baseline = runs["baseline: login page"]
    for name in order:
        results = runs[name]
        by_p95 = sorted(range(len(results)), key=lambda i: results[i][1])
        median_run = by_p95[len(by_p95) // 2]
        p50, p95 = results[median_run]
        low, high = results[by_p95[0]][1], results[by_p95[-1]][1]
        over = "" if name.startswith("baseline") else f"{p95 - baseline[median_run][1]:>7.1f}"
        target = targets.get(name)
        verdict = "" if target is None else f"≤ {target:g}  {'ok' if p95 <= target else 'MISSED'}"
        label = (
            name
            if not name.startswith("search: ") or name.endswith("all kinds")
            else ("  " + name.removeprefix("search: "))
        )
        if name == "search: all kinds":
            label = "search (all kinds)"
        print(
            f"{label:<24}{p50:>7.1f}{p95:>7.1f}  {f'{low:.1f}-{high:.1f}':<15}{over:>7}  {verdict}"
        )
    if args.slowest:
        print("\nSlowest requests:")
        for name in order:
            for ms, url in sorted(slowest.get(name, []))[-3:][::-1]:
                print(f"  {name:<22}{ms:>8.1f} ms  {url}")


def compare_prepared(pages, client, blocks: int = 4, rounds: int = 60) -> None:
    """Board, list and claim page with and without prepared statements, interleaved."""
    from django.db import connection

    options = connection.settings_dict["OPTIONS"]
    as_set = {
        key: options[key] for key in ("server_side_binding", "prepare_threshold") if key in options
    }
    prepared = {"server_side_binding": True, "prepare_threshold": 2}  # as settings.py sets them
    ways = {"client-side binding": {}, "prepared": prepared}
    names = ["board", "list", "claim page"]
    timings: dict[tuple[str, str], list[float]] = defaultdict(list)
    for _ in range(blocks):
        for way, chosen in ways.items():
            connection.close()  # the next request connects with these options
            for key in prepared:
                options.pop(key, None)
            options.update(chosen)
            for name in names:
                timings[way, name] += [ms for ms, _ in measure(client, pages[name], rounds)]
    for key in prepared:
        options.pop(key, None)
    options.update(as_set)  # as the settings have it, for what runs next
    connection.close()
    print(f"\nPrepared statements, {blocks} alternating blocks of {rounds} requests (ms):")
    for name in names:
        cells = [
            f"{way}: p50 {statistics.median(timings[way, name]):.1f} "
            f"p95 {percentile(timings[way, name], 0.95):.1f}"
            for way in ways
        ]
        print(f"  {name:<12}" + " | ".join(cells))


# ── profile ─────────────────────────────────────────────────────────────────────────────


class Recorder:
    """Per request: every query's SQL, parameters and time, whether it ran while a template
    rendered, and the time spent rendering templates (outermost render only)."""

    def __init__(self) -> None:
        self.queries: list[tuple[str, object, float, bool]] = []
        self.render_ms = 0.0
        self.depth = 0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            ms = (time.perf_counter() - started) * 1000
            self.queries.append((sql, params, ms, self.depth > 0))


@contextmanager
def recording(recorder: Recorder):
    from django.db import connection
    from django.template import base

    original = base.Template.render

    def render(template, context):
        recorder.depth += 1
        started = time.perf_counter()
        try:
            return original(template, context)
        finally:
            recorder.depth -= 1
            if recorder.depth == 0:
                recorder.render_ms += (time.perf_counter() - started) * 1000

    base.Template.render = render
    try:
        with connection.execute_wrapper(recorder):
            yield
    finally:
        base.Template.render = original


def shape(sql: str) -> str:
    """The query with its IN lists folded, to group repeats of one query."""
    return re.sub(r"\((?:%s, )+%s\)", "(%s…)", sql)


def label(sql: str) -> str:
    tables = re.findall(r'FROM "([a-z_]+)"', sql)
    where = re.search(r"WHERE (.{0,70})", sql)
    head = sql.split()[0]
    text = f"{head} {'/'.join(dict.fromkeys(tables)) or sql[:40]}"
    if where:
        text += f" WHERE {where.group(1)}"
    return text.replace('"', "")


def profile_page(name: str, client, urls: list[str], requests: int) -> None:
    from django.db import connection

    for url in urls:  # warm, as in the timing
        client.get(url)
    totals, sql_out, sql_in, render, counts = [], [], [], [], []
    per_shape: dict[str, list] = defaultdict(lambda: [0, 0.0, None])  # count, ms, slowest
    for index in range(requests):
        url = urls[index % len(urls)]
        recorder = Recorder()
        started = time.perf_counter()
        with recording(recorder):
            response = client.get(url)
        totals.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
        counts.append(len(recorder.queries))
        sql_out.append(sum(ms for _, _, ms, inside in recorder.queries if not inside))
        in_render = sum(ms for _, _, ms, inside in recorder.queries if inside)
        sql_in.append(in_render)
        render.append(recorder.render_ms - in_render)
        for sql, params, ms, _ in recorder.queries:
            entry = per_shape[shape(sql)]
            entry[0] += 1
            entry[1] += ms
            if entry[2] is None or ms > entry[2][0]:
                entry[2] = (ms, sql, params)
    total = statistics.mean(totals)
    sql_a, sql_b, tpl = statistics.mean(sql_out), statistics.mean(sql_in), statistics.mean(render)
    print(f"\n── {name}: {requests} requests over {len(urls)} URLs ──")
    print(
        f"mean {total:.1f} ms (median {statistics.median(totals):.1f}); "
        f"{statistics.mean(counts):.1f} queries per request "
        f"(min {min(counts)}, max {max(counts)})"
    )
    print(
        f"  SQL in the view {sql_a:6.1f} ms  {100 * sql_a / total:4.0f} %\n"
        f"  SQL from templates {sql_b:3.1f} ms  {100 * sql_b / total:4.0f} %"
        "   (lazy querysets evaluated while rendering)\n"
        f"  template rendering {tpl:3.1f} ms  {100 * tpl / total:4.0f} %   (without its SQL)\n"
        f"  rest of Python  {total - sql_a - sql_b - tpl:6.1f} ms  "
        f"{100 * (total - sql_a - sql_b - tpl) / total:4.0f} %"
        "   (middleware, session, view code, ORM building and loading rows)"
    )
    print(f"  {'per req':>7} {'mean ms':>8} {'ms/req':>7}  query")
    ranked = sorted(per_shape.items(), key=lambda item: -item[1][1])
    for sql, (count, ms, _) in ranked[:12]:
        print(f"  {count / requests:>7.2f} {ms / count:>8.2f} {ms / requests:>7.2f}  {label(sql)}")
    # The two queries that cost the page most (time per request), each at its slowest run.
    for rank, (_, (count, total_ms, slowest)) in enumerate(ranked[:2], 1):
        slow_ms, slow_sql, slow_params = slowest
        print(
            f"\n  costliest query #{rank}: {total_ms / requests:.1f} ms per request, "
            f"{total_ms / count:.2f} ms mean, {slow_ms:.1f} ms at its slowest:\n"
            f"    {slow_sql[:700]}{' …' if len(slow_sql) > 700 else ''}\n"
            f"    params: {str(slow_params)[:300]}"
        )
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + slow_sql, slow_params)
            plan = [row[0] for row in cursor.fetchall()]
        timing = [line.strip() for line in plan if line.startswith(("Planning", "Execution"))]
        print(f"  EXPLAIN ANALYZE ({'; '.join(timing)}):\n    " + "\n    ".join(plan[:24]))

    profiler = cProfile.Profile()
    profiler.enable()
    for index in range(requests):
        client.get(urls[index % len(urls)])
    profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(40)
    lines = [
        line
        for line in out.getvalue().splitlines()
        if re.match(r"\s*[\d/]+\s+\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+\s+\d+\.\d+\s", line)
    ]
    print(
        f"\n  cProfile, own time, ms per request (profiled: "
        f"{stats.total_tt * 1000 / requests:.0f} ms per request):"
    )
    for line in lines[: int(os.environ.get("PROFILE_LINES", "15"))]:
        parts = line.split(None, 5)
        ncalls, where = parts[0], parts[5]
        tottime = float(parts[3] if os.environ.get("PROFILE_SORT") == "cumulative" else parts[1])
        where = where.replace(str(BASE_DIR) + "/", "").replace(sys.prefix + "/", "")
        where = re.sub(r".*site-packages/", "", where)
        calls = int(ncalls.split("/")[0]) / requests
        print(f"    {tottime * 1000 / requests:6.2f}  {calls:8.0f} calls  {where[:100]}")


def run_profile(args, pages, client) -> None:
    requests = args.profile_requests
    profile_page("claim page", client, pages["claim page"][:60], requests)
    profile_page("board", client, pages["board"], requests)
    search = [url for name, urls in pages.items() if name.startswith("search") for url in urls]
    profile_page("search (all kinds)", client, search, requests)
    for kind in ("rare word", "common word", "phrase", "typo"):
        profile_page(f"search: {kind}", client, pages[f"search: {kind}"], max(10, requests // 3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=100_000)
    parser.add_argument("--articles", type=int, help="default: one per five claims")
    parser.add_argument("--claimants", type=int, help="default: one per twenty claims")
    parser.add_argument("--rounds", type=int, default=200, help="requests per page per run")
    parser.add_argument("--runs", type=int, default=3, help="times the page set is run")
    parser.add_argument("--slowest", action="store_true", help="also print the slowest URLs")
    parser.add_argument("--profile", action="store_true", help="take the pages apart after")
    parser.add_argument(
        "--compare-prepared", action="store_true", help="with and without prepared statements"
    )
    parser.add_argument("--profile-requests", type=int, default=60)
    parser.add_argument("--seed-only", action="store_true")
    args = parser.parse_args()
    default_shape = args.articles is None and args.claimants is None
    args.articles = args.articles or max(1, args.claims // 5)
    args.claimants = args.claimants or max(1, args.claims // 20)

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench"):
        name = database_name(args.claims, args.articles, args.claimants, default_shape)
        server_url = os.environ["DATABASE_URL"]
        shape_ = {"claims": args.claims, "articles": args.articles, "claimants": args.claimants}
        seeded = prepare_database(server_url, name, shape_)
        os.environ["DATABASE_URL"] = with_database(server_url, name)
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        os.environ["DEBUG"] = "1"
        # Throttled as deployed (a Redis round trip a request), at a rate the runs never reach.
        os.environ["API_DESK_RATE"] = os.environ["API_ANON_RATE"] = "1000000/minute"
        import django

        django.setup()
        from django.conf import settings
        from django.core.cache import cache
        from django.core.management import call_command
        from django.db import connection
        from django.test import Client

        settings.ALLOWED_HOSTS = ["*"]
        call_command("migrate", verbosity=0)
        if seeded:
            print(f"Using the seeded desk in database {name} (seeded in {seeded_seconds():.0f} s).")
        else:
            print(
                f"Seeding database {name}: {args.claims:,} claims, {args.articles:,} articles, "
                f"{args.claimants:,} claimants"
            )
            seed(args.claims, args.articles, args.claimants)
        with connection.cursor() as cursor:
            # What autovacuum does on a live desk: fresh statistics, no dead rows from the
            # seeding or from migrations, and the visibility map that lets counts read an
            # index alone.
            started = time.monotonic()
            cursor.execute("VACUUM ANALYZE")
            print(f"VACUUM ANALYZE: {time.monotonic() - started:.0f} s")
        # The bench profile's own Redis: nothing cached from another size or an earlier seed.
        cache.clear()
        if args.seed_only:
            return
        settings.DEBUG = False  # DEBUG keeps every query in memory; time production behaviour
        from django.contrib.auth.models import User

        client = Client()
        client.force_login(User.objects.get(username="bench10"))  # an editor
        from factdesk.api.services import api_token_create

        editor = User.objects.get(username="bench10")
        _, token = api_token_create(actor=editor, name="benchmark", scope="read")
        token_client = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        pages = build_pages(random.Random(11))
        if args.runs:
            run_benchmark(args, pages, client, Client(), token_client)
        if args.compare_prepared:
            compare_prepared(pages, client)
        if args.profile:
            run_profile(args, pages, client)


if __name__ == "__main__":
    main()
