"""Throughput of the sources pipeline, against a bare fetch-and-extract script.

    .venv/bin/python benchmarks/fetch.py                 # 1,000 pages over 100 host names
    .venv/bin/python benchmarks/fetch.py --threads 8     # where politeness binds (see below)
    .venv/bin/python benchmarks/fetch.py --pages 200     # a quicker look
    .venv/bin/python benchmarks/fetch.py --runs 1        # one run of each, not three
    .venv/bin/python benchmarks/fetch.py --one-site --interval 0.25   # one site's paste
    .venv/bin/python benchmarks/fetch.py --pool prefork  # workers in processes, not threads

A local server answers on 100 loopback addresses (127.0.1.1 ... 127.0.1.100, one "host" each)
with 1,000 distinct article pages, each after 100 ms of latency. The 100 hosts are there so
that the default per-host politeness is not what binds (issue #4); the concurrency decides
whether it does. A host's 10 pages, 1 s apart, take 9 s however fast the machine, and its
first page waits for its robots.txt. At the default, 2 processes x 4 threads (8 fetches at
once), the bare script takes about 14 s and a polite script about 1.1x that (robots.txt
alone). At 2 x 8 the bare script takes about 8 s and the polite one about 1.4x: no polite
fetcher can be within 1.3x there. The third runner measures that floor at any concurrency,
and the output says when it binds.

- factdesk: one editor cites every page on a claim (one paste); real Celery workers on the
  real broker fetch them through the guarded client, obey robots.txt and the per-host
  limits, store and read each body, and write the snapshots to PostgreSQL. Timed from the
  paste to the moment the last source is archived.
- bare: a script with no Django, Celery or database fetches the same pages with httpx (one
  client per thread) and extracts them with trafilatura (the reader's options), with the same
  concurrency (processes x threads).
- polite bare: the bare script made as polite as factdesk: robots.txt read before a host's
  first page, and a host's pages started FETCH_HOST_INTERVAL apart (its threads sleep for
  that, as a script may). What is left between it and factdesk is the pipeline's cost: the
  queue, the database, the shared limits, the archive.

Target (issue #4): factdesk within 1.3x of the bare script. All three run here, in one
command; the database is an embedded PostgreSQL under var/bench-fetch/ unless DATABASE_URL
is set. CPU figures are the fetching processes' own while they worked (start-up not
counted); the factdesk workers consume only the `fetch` queue, as deployed.

Every runner runs --runs times (3 by default), in turns (bare, polite bare, factdesk, then
again), since the machine is shared: the figures are the medians, with the spread (min-max),
and the ratios are the median of each turn's ratio.

The one-site case (--one-site, instead of the main one): --one-site-pages pages (200) of one
host in one paste, FETCH_HOST_INTERVAL (--interval, 1 s by default) apart, so the floor is
(pages - 1) x the interval. It shows how the pipeline paces one site: factdesk's time over
the floor, and how many deliveries found nothing to do (the row not yet due, or leased) and
how many pages were sent back for a later slot. Those counts come from the workers: the
benchmark starts them through a small bootstrap that logs each call of the fetch service and
of its reschedule (worker-N.log under var/bench-fetch/, lines starting "BENCH").

--pool prefork runs the workers' tasks in processes (where Celery's time limits can be
enforced) rather than threads: the same number of workers, each with --threads processes.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import heapq
import logging
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
# The servers are the embedded ones (under var/bench-fetch/) unless these are set.
EMBEDDED = not os.environ.get("DATABASE_URL") and not os.environ.get("REDIS_URL")
sys.path.insert(0, str(BASE_DIR))

WORDS = (
    "the",
    "minister",
    "said",
    "figures",
    "rates",
    "fell",
    "rose",
    "council",
    "budget",
    "schools",
    "hospital",
    "waiting",
    "police",
    "housing",
    "prices",
    "energy",
    "wages",
    "report",
    "office",
    "survey",
    "year",
    "month",
    "percent",
    "data",
    "official",
    "analysis",
    "claimed",
    "economists",
    "government",
    "opposition",
    "committee",
    "spending",
)


def article_html(index: int) -> bytes:
    """A news page of a realistic shape: navigation, scripts, a sidebar, the story, a footer."""
    rng = random.Random(index)

    def sentence(words: int) -> str:
        return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize() + "."

    nav = "".join(f"<li><a href='/section/{n}'>Section {n}</a></li>" for n in range(40))
    story = "".join(
        f"<p>{' '.join(sentence(rng.randint(12, 24)) for _ in range(3))}</p>" for _ in range(14)
    )
    related = "".join(
        f"<li><a href='/story/{rng.randint(1, 9999)}'>{sentence(8)}</a></li>" for _ in range(15)
    )
    script = "<script>" + "var x=1;" * 400 + "</script>"
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>Story {index}: {sentence(6)}"
        f"</title><meta name='author' content='Reporter {index % 37}'>"
        f"<meta property='article:published_time' content='2026-03-{index % 28 + 1:02d}'>"
        f"{script}</head><body><header><nav><ul>{nav}</ul></nav></header>"
        f"<main><article><h1>{sentence(9)}</h1>{story}</article>"
        f"<aside><h2>Related</h2><ul>{related}</ul></aside></main>"
        f"<footer><p>Copyright. Privacy policy. Cookie settings.</p></footer>{script}</body></html>"
    ).encode()


def saved_pages(folder: Path) -> list[bytes]:
    """Real news pages (the extraction set's layout: html/<id>.html.gz)."""
    return [gzip.decompress(path.read_bytes()) for path in sorted(folder.glob("html/*.html.gz"))]


def page_server(
    hosts: list[str], latency: float, originals: list[bytes] | None = None
) -> tuple[int, threading.Event]:
    """Serve the pages on every host address (one port), each answer after `latency`.
    Page i is synthetic, or the i-th copy of a real page made distinct by a comment."""
    ready, stop = threading.Event(), threading.Event()
    box: dict[str, int] = {}

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        try:
            request = await reader.readuntil(b"\r\n\r\n")
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError):
            writer.close()
            return
        path = request.split(b" ", 2)[1].decode()
        await asyncio.sleep(latency)
        if path.startswith("/page/"):
            index = int(path.removeprefix("/page/"))
            if originals:
                page = originals[index % len(originals)] + b"<!-- copy %d -->" % index
            else:
                page = article_html(index)
            status, body = b"200 OK", page
        else:
            status, body = b"404 Not Found", b"not found"  # robots.txt: no rules
        writer.write(
            b"HTTP/1.1 " + status + b"\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Content-Length: %d\r\nConnection: close\r\n\r\n" % len(body) + body
        )
        await writer.drain()
        writer.close()

    async def main() -> None:
        # One port on every address (port 0 would give each address a port of its own).
        with socket.socket() as probe:
            probe.bind((hosts[0], 0))
            port = probe.getsockname()[1]
        server = await asyncio.start_server(handle, host=hosts, port=port, backlog=1024)
        box["port"] = port
        ready.set()
        while not stop.is_set():
            await asyncio.sleep(0.1)
        server.close()

    threading.Thread(target=asyncio.run, args=(main(),), daemon=True).start()
    ready.wait(10)
    return box["port"], stop


# ── the bare script: fetch and extract, nothing else ─────────────────────────────────────


@dataclass
class Run:
    seconds: float
    done: int  # pages whose text was extracted
    cpu: float  # CPU seconds of the fetching processes while they worked
    servers_cpu: float = 0.0  # PostgreSQL's and Redis's, for factdesk
    failed: int = 0
    counts: dict[str, int] | None = None  # factdesk: what the workers' deliveries did
    span: float = 0.0  # factdesk: first archive to last


def process_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds used so far by each process (Linux /proc)."""
    used = {}
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[pid] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    return used


def with_children(pids: list[int]) -> list[int]:
    """The processes and all their descendants (a prefork worker's pool processes)."""
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(stat[1])
    found, frontier = set(pids), list(pids)
    while frontier:
        parent = frontier.pop()
        for pid, ppid in parents.items():
            if ppid == parent and pid not in found:
                found.add(pid)
                frontier.append(pid)
    return sorted(found)


def server_pids() -> list[int]:
    """This benchmark's PostgreSQL (the postmaster and its backends) and Redis, when they are
    the embedded ones; else every postgres and redis-server process on the machine."""
    import json

    root = BASE_DIR / "var" / "bench-fetch"
    try:
        postmaster = int((root / "postgres/pgdata/postmaster.pid").read_text().split()[0])
        redis_pid = json.loads((root / "redis/redis.json").read_text())["pid"]
    except (OSError, ValueError, KeyError, IndexError):
        pass
    else:
        if EMBEDDED:
            return with_children([postmaster, redis_pid])
    pids = []
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes()[:300]
        except OSError:
            continue
        if entry.name.isdigit() and (b"postgres" in command or b"redis-server" in command):
            pids.append(int(entry.name))
    return pids


def cpu_since(before: dict[int, float], pids: list[int]) -> float:
    """CPU used by these processes since `before` (a process started since counts whole)."""
    return sum(used - before.get(pid, 0.0) for pid, used in process_cpu(pids).items())


_local = threading.local()


def _extracted(text: str, url: str) -> bool:
    """Extract as factdesk's reader does (its trafilatura options): what differs is
    everything else."""
    import trafilatura

    document = trafilatura.bare_extraction(
        text, url=url, with_metadata=True, include_comments=False, fast=True
    )
    return bool(document and document.text)


def _bare_one(url: str) -> bool:
    import httpx

    if not hasattr(_local, "client"):  # one client per thread, as a careful script would
        _local.client = httpx.Client(timeout=30)
    return _extracted(_local.client.get(url).text, url)


def _bare_share(urls: list[str], threads: int) -> int:
    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(_bare_one, urls))


def _polite_share(queues: dict[str, list[str]], threads: int, interval: float) -> int:
    """The bare script with factdesk's manners: robots.txt read before a host's first page,
    each host's pages (`queues`: host -> its URLs) started `interval` apart. A thread takes
    the host whose turn comes first, and sleeps until then."""
    import httpx
    from protego import Protego

    turns = [(0.0, host) for host in queues]  # (when the host may next be asked, host)
    rules: dict[str, Protego] = {}  # read before the host's next turn is queued
    lock = threading.Lock()

    def work(_: int) -> int:
        client, done = httpx.Client(timeout=30), 0
        while True:
            with lock:
                if not turns:
                    return done
                when, host = heapq.heappop(turns)
                url = queues[host].pop(0)
            if when == 0.0:  # the host's first page: its robots.txt first
                rules[host] = Protego.parse(client.get(f"{host}/robots.txt").text)
            time.sleep(max(0.0, when - time.monotonic()))
            with lock:
                if queues[host]:
                    heapq.heappush(turns, (time.monotonic() + interval, host))
            if rules[host].can_fetch(url, "factdesk"):
                done += _extracted(client.get(url).text, url)

    with ThreadPoolExecutor(threads) as pool:
        return sum(pool.map(work, range(threads)))


def _working(share: Callable[..., int], *args: object) -> tuple[int, float]:
    """Run one process's share: pages extracted, and the CPU it took."""
    logging.getLogger("httpx").setLevel(logging.WARNING)
    cpu = time.process_time()
    return share(*args), time.process_time() - cpu


def _warm() -> None:
    import httpx  # noqa: F401
    import trafilatura  # noqa: F401


def run_in_processes(share: Callable[..., int], shares: list, *args: object) -> Run:
    """Each process runs `share` on its part, with the same further arguments."""
    count = len(shares)
    with ProcessPoolExecutor(count) as pool:
        for warming in [pool.submit(_warm) for _ in range(count)]:
            warming.result()  # imports done before the clock starts, as in a running worker
        started = time.monotonic()
        parts = [[arg] * count for arg in args]
        results = list(pool.map(_working, [share] * count, shares, *parts))
    return Run(time.monotonic() - started, *map(sum, zip(*results, strict=True)))


def run_bare(urls: list[str], processes: int, threads: int) -> Run:
    return run_in_processes(_bare_share, [urls[i::processes] for i in range(processes)], threads)


def run_polite(urls: list[str], processes: int, threads: int, interval: float) -> Run:
    by_host: dict[str, list[str]] = {}
    for url in urls:
        by_host.setdefault(url.split("/page/")[0], []).append(url)
    hosts = list(by_host)  # each host belongs to one process, so its turns are its own
    shares = [{host: by_host[host] for host in hosts[i::processes]} for i in range(processes)]
    return run_in_processes(_polite_share, shares, threads, interval)


# ── factdesk: cite, let the workers do it, wait for the last snapshot ───────────────────

# The workers are started through this (python -c BOOTSTRAP -A factdesk worker ...): before
# the first task runs, it wraps the fetch service and its reschedule to log what each
# delivery did ("BENCH bench.counts delivery <id> idle|done|pending|failed", "... reschedule
# <id> <wait>"), and lets the new code's DEBUG line for a row not due ("not due, or leased to
# another worker") through. It counts; it changes nothing the pipeline does.
WORKER_BOOTSTRAP = r"""
import logging, sys, threading
from celery import signals

handler = logging.StreamHandler(sys.__stderr__)
handler.setFormatter(logging.Formatter("BENCH %(name)s %(message)s"))
counts = logging.getLogger("bench.counts")
counts.addHandler(handler)
counts.setLevel(logging.INFO)
counts.propagate = False
lock = threading.Lock()


def patch(**_):
    with lock:
        try:
            from factdesk.sources import fetching as module  # the new pipeline
        except ImportError:
            from factdesk.sources import services as module  # the old one
        if getattr(module, "bench_patched", False):
            return
        module.bench_patched = True
        fetching_log = logging.getLogger(module.__name__)
        fetching_log.addHandler(handler)
        fetching_log.setLevel(logging.DEBUG)
        fetching_log.propagate = False
        fetch, reschedule = module.source_fetch, module._reschedule

        def source_fetch(*, source_id, **kwargs):
            row = fetch(source_id=source_id, **kwargs)
            counts.info("delivery %s %s", source_id, "idle" if row is None else row.status)
            return row

        def _reschedule(source, *, wait, **kwargs):
            counts.info("reschedule %s %.3f", source.pk, wait)
            return reschedule(source, wait=wait, **kwargs)

        module.source_fetch, module._reschedule = source_fetch, _reschedule


signals.task_prerun.connect(patch, weak=False)
from celery.bin.celery import main
sys.argv = ["celery", *sys.argv[1:]]
sys.exit(main())
"""


def worker_counts(logs: Path, count: int) -> dict[str, int]:
    """What the deliveries did, from the workers' logs."""
    found = {"deliveries": 0, "idle": 0, "not due (DEBUG)": 0, "reschedules": 0, "errors": 0}
    for index in range(count):
        found[f"worker {index}"] = 0
        for line in (logs / f"worker-{index}.log").read_text(errors="replace").splitlines():
            if line.startswith("BENCH bench.counts delivery"):
                found["deliveries"] += 1
                found[f"worker {index}"] += 1
                found["idle"] += line.endswith(" idle")
            elif line.startswith("BENCH bench.counts reschedule"):
                found["reschedules"] += 1
            elif line.startswith("BENCH factdesk.sources.") and "not due" in line:
                found["not due (DEBUG)"] += 1
            elif re.search(r"\b(ERROR|CRITICAL|Traceback)\b", line):
                found["errors"] += 1
    return found


def start_workers(count: int, threads: int, env: dict[str, str], logs: Path, pool: str) -> list:
    logs.mkdir(parents=True, exist_ok=True)
    workers = []
    for index in range(count):
        log = (logs / f"worker-{index}.log").open("w")
        workers.append(
            subprocess.Popen(
                [sys.executable, "-c", WORKER_BOOTSTRAP, "-A", "factdesk", "worker", "-Q", "fetch",
                 "--pool", pool, "--concurrency", str(threads), "-n", f"bench{index}@%h",
                 "-l", "WARNING", "--without-gossip", "--without-mingle"],
                cwd=BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT,
            )
        )  # fmt: skip
    from factdesk.celery import app

    names = {f"bench{index}@{os.uname().nodename}" for index in range(count)}
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        replies = app.control.ping(destination=list(names), timeout=0.5)
        if len(replies) == count:
            return workers
    raise SystemExit("The workers did not start: see " + str(logs))


class WorkerDied(Exception):  # noqa: N818 - reads as what happened
    """A worker process exited during the run (a native crash in extraction, say)."""

    def __str__(self) -> str:
        index, code, pending = self.args
        how = f"signal {-code}" if code < 0 else f"status {code}"
        return f"worker {index} died ({how}) with {pending} pages not archived"


def run_factdesk(urls: list[str], processes: int, threads: int, pool: str = "threads") -> Run:
    import redis
    from django.conf import settings
    from django.contrib.auth.models import Group, User
    from django.db.models import Max, Min

    from factdesk.claims.models import Claimant
    from factdesk.claims.services import claim_create
    from factdesk.sources.models import Citation, Snapshot, Source
    from factdesk.sources.services import citations_paste

    Citation.objects.all().delete()
    Snapshot.objects.all().delete()
    Source.objects.all().delete()
    redis.Redis.from_url(settings.REDIS_URL).flushdb()  # queues, robots cache, host slots
    editor, _ = User.objects.get_or_create(username="bench-editor")
    editor.groups.add(Group.objects.get(name="reporter"))
    claimant, _ = Claimant.objects.get_or_create(name="A. Minister")
    claim = claim_create(
        actor=editor,
        text="The jobless rate fell.",
        claimant=claimant,
        quote="The jobless rate fell.",
        medium="speech",
        source_description="A speech",
        new_appearance=True,  # each run logs the same words again
    )

    storage = Path(tempfile.mkdtemp(prefix="factdesk-bench-"))
    logs = BASE_DIR / "var" / "bench-fetch"
    env = {
        **os.environ,
        "FETCH_ALLOW_NETWORKS": "127.0.0.0/8",
        "STORAGE_DIR": str(storage),
        "LOG_LEVEL": "WARNING",
        # Workers as deployed: DEBUG off (Django would otherwise keep every query in memory).
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    workers = start_workers(processes, threads, env, logs, pool)
    pids = with_children([worker.pid for worker in workers])  # prefork: the pool's too
    try:
        workers_before, servers_before = process_cpu(pids), process_cpu(server_pids())
        started = time.monotonic()
        # The paste checks each site's address as the workers do: the same allow-list.
        settings.FETCH_ALLOW_NETWORKS = [env["FETCH_ALLOW_NETWORKS"]]
        citations_paste(actor=editor, claim=claim, urls=urls)
        submitted = time.monotonic() - started
        pending = Source.objects.exclude(status__in=["done", "failed"])
        deadline = started + 600  # no beat runs here: a lost message would show as a hang
        while pending.exists():
            for index, worker in enumerate(workers):
                if worker.poll() is not None:  # its fetches stay leased: it would hang here
                    raise WorkerDied(index, worker.returncode, pending.count())
            if time.monotonic() > deadline:
                raise SystemExit(f"Still not archived after 10 minutes: {list(pending[:10])}")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        workers_cpu = cpu_since(workers_before, with_children(pids))
        servers_cpu = cpu_since(servers_before, server_pids())
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        shutil.rmtree(storage, ignore_errors=True)
    times = Snapshot.objects.aggregate(first=Min("fetched_at"), last=Max("fetched_at"))
    span = (times["last"] - times["first"]).total_seconds() if times["first"] else 0.0
    counts = worker_counts(logs, processes)
    print(f"    factdesk {elapsed:7.2f} s  (the paste took {submitted:.2f} s; deliveries "
          f"{counts['deliveries']}, idle {counts['idle']}, reschedules "
          f"{counts['reschedules']})", flush=True)  # fmt: skip
    return Run(
        elapsed,
        done=Snapshot.objects.exclude(text="").count(),
        cpu=workers_cpu,
        servers_cpu=servers_cpu,
        failed=Source.objects.filter(status="failed").count(),
        counts=counts,
        span=span,
    )


# ── the figures ───────────────────────────────────────────────────────────────────────


def med(values: list[float]) -> float:
    return statistics.median(values)


def spread(values: list[float], fmt: str = ".2f") -> str:
    return f"{min(values):{fmt}}-{max(values):{fmt}}"


CRASHES: list[str] = []  # runs that a crashed process spoilt, and were run again


def again(runner: Callable[..., Run], *args: object) -> Run:
    """A run whose process died (on real pages, lxml has crashed the bare script's processes,
    "double free or corruption", and a threads worker, signal 11) is run again, twice at
    most, and said so at the end."""
    for attempt in range(3):
        try:
            return runner(*args)
        except (BrokenProcessPool, WorkerDied) as error:
            CRASHES.append(f"{runner.__name__}: {error or 'a process of the pool died'}")
            print(f"    ({CRASHES[-1]}; running it again)", flush=True)
            if attempt == 2:
                raise
    raise AssertionError


def print_crashes() -> None:
    if CRASHES:
        print(f"  {len(CRASHES)} run(s) crashed and were run again: " + "; ".join(CRASHES))


def main_case(args: argparse.Namespace, urls: list[str], interval: float) -> None:
    runs: dict[str, list[Run]] = {"bare": [], "polite bare": [], "factdesk": []}
    for turn in range(args.runs):
        print(f"  run {turn + 1} of {args.runs}", flush=True)
        runs["bare"].append(again(run_bare, urls, args.processes, args.threads))
        print(f"    bare     {runs['bare'][-1].seconds:7.2f} s", flush=True)
        runs["polite bare"].append(again(run_polite, urls, args.processes, args.threads, interval))
        print(f"    polite   {runs['polite bare'][-1].seconds:7.2f} s", flush=True)
        runs["factdesk"].append(again(run_factdesk, urls, args.processes, args.threads, args.pool))
    pages = args.pages
    print(f"medians of {args.runs} run(s), spread min-max:")
    print(f"{'':12} {'seconds':>8} {'spread':>13} {'pages/s':>8} {'extracted':>10} "
          f"{'CPU ms/page':>12}")  # fmt: skip
    for name, group in runs.items():
        seconds = [run.seconds for run in group]
        print(f"{name:12} {med(seconds):8.2f} {spread(seconds):>13} {pages / med(seconds):8.1f} "
              f"{min(run.done for run in group):10,} "
              f"{med([run.cpu for run in group]) / pages * 1000:12.1f}")  # fmt: skip
    desk = runs["factdesk"]
    print(f"  factdesk: {max(run.failed for run in desk)} failed (most in a run); PostgreSQL and "
          f"Redis used another {med([r.servers_cpu for r in desk]) / pages * 1000:.1f} ms of CPU "
          "a page")  # fmt: skip
    print_counts(desk, pages)
    print_crashes()

    def ratio(top: str, bottom: str) -> tuple[float, str]:
        each = [a.seconds / b.seconds for a, b in zip(runs[top], runs[bottom], strict=True)]
        return med(each), spread(each)

    desk_bare, desk_bare_spread = ratio("factdesk", "bare")
    polite_bare, polite_bare_spread = ratio("polite bare", "bare")
    desk_polite, desk_polite_spread = ratio("factdesk", "polite bare")
    verdict = "met" if desk_bare <= 1.3 else "not met"
    print("ratios (median of the runs' ratios, spread):")
    print(f"ratio factdesk / bare:        {desk_bare:.2f}x ({desk_bare_spread}; target <= 1.30x: "
          f"{verdict})")  # fmt: skip
    print(f"ratio polite bare / bare:     {polite_bare:.2f}x ({polite_bare_spread}; the "
          "politeness floor)")  # fmt: skip
    print(f"ratio factdesk / polite bare: {desk_polite:.2f}x ({desk_polite_spread}; the pipeline)")
    if polite_bare > 1.3:
        print(
            "  Politeness binds at this concurrency (robots.txt before a host's first page, "
            "its pages an interval apart): no polite fetcher can be within 1.3x of the bare "
            "script here. Fewer --threads make it not bind."
        )


def print_counts(desk: list[Run], pages: int) -> None:
    """What the workers' deliveries did (medians, spread): from their logs."""
    keys = ["deliveries", "idle", "not due (DEBUG)", "reschedules", "errors"]
    keys += sorted(key for key in desk[0].counts or {} if key.startswith("worker "))
    cells = []
    for key in keys:
        values = [run.counts[key] for run in desk if run.counts]
        cells.append(f"{key} {med(values):g} ({spread(values, 'g')})")
    print(f"  factdesk deliveries, for {pages} pages: " + "; ".join(cells))
    print(
        "    idle: the task ran and the row was not due (or leased, or done): nothing done; "
        "reschedules: pages leased, then sent back for the host's next slot; "
        "not due (DEBUG): the new code's log line for an idle delivery; worker N: the "
        "deliveries each worker ran"
    )


def one_site_case(args: argparse.Namespace, urls: list[str], interval: float) -> None:
    floor = (len(urls) - 1) * interval
    desk = []
    for turn in range(args.runs):
        print(f"  run {turn + 1} of {args.runs}", flush=True)
        desk.append(again(run_factdesk, urls, args.processes, args.threads, args.pool))
    seconds = [run.seconds for run in desk]
    over = [s - floor for s in seconds]
    print(f"one site, {len(urls)} pages in one paste, host interval {interval:g} s: medians of "
          f"{args.runs} run(s), spread min-max")  # fmt: skip
    print(f"  floor ({len(urls) - 1} x {interval:g} s):    {floor:8.2f} s")
    print(f"  factdesk, paste to last:  {med(seconds):8.2f} s ({spread(seconds)})")
    print(f"  over the floor:           {med(over):8.2f} s ({spread(over)}); "
          f"{med(seconds) / floor:.3f}x the floor")  # fmt: skip
    spans = [run.span for run in desk]
    gaps = [span / (len(urls) - 1) for span in spans]
    print(
        f"  first archive to last:    {med(spans):8.2f} s ({spread(spans)}): "
        f"{med(gaps):.3f} s a page ({spread(gaps, '.3f')}) against {interval:g} s"
    )
    print(f"  extracted {min(run.done for run in desk)}; failed {max(run.failed for run in desk)};"
          f" CPU {med([r.cpu for r in desk]) / len(urls) * 1000:.1f} ms a page")  # fmt: skip
    print_counts(desk, len(urls))
    print_crashes()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=100)
    parser.add_argument("--latency", type=float, default=0.1, help="seconds per answer")
    parser.add_argument("--processes", type=int, default=2, help="worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per process")
    parser.add_argument(
        "--pages-from",
        type=Path,
        help="serve copies of real saved pages (e.g. ../shared/eval/extraction/dev) instead "
        "of synthetic ones",
    )
    parser.add_argument("--runs", type=int, default=3, help="runs of each runner (median)")
    parser.add_argument(
        "--pool",
        choices=["threads", "prefork"],
        default="threads",
        help="the factdesk workers' pool (prefork: --threads processes per worker)",
    )
    parser.add_argument(
        "--one-site",
        action="store_true",
        help="instead of the main case: --one-site-pages pages of one host in one paste "
        "(factdesk only; the floor is (pages - 1) x the host interval)",
    )
    parser.add_argument("--one-site-pages", type=int, default=200)
    parser.add_argument(
        "--interval",
        type=float,
        help="the host interval, FETCH_HOST_INTERVAL, for this run (default: the setting, 1 s)",
    )
    args = parser.parse_args()
    if args.interval is not None:
        os.environ["FETCH_HOST_INTERVAL"] = str(args.interval)  # here and in the workers
    originals = saved_pages(args.pages_from) if args.pages_from else None

    # 127.0.1.1, 127.0.1.2, ...: 250 to a /24, for runs with more hosts than fit in one.
    hosts = [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(args.hosts)]
    port, stop = page_server(hosts, args.latency, originals)
    if args.one_site:
        urls = [f"http://{hosts[0]}:{port}/page/{i}" for i in range(args.one_site_pages)]
    else:
        # Round-robin over hosts, as a paste of sources from many sites would be.
        urls = [f"http://{hosts[i % len(hosts)]}:{port}/page/{i}" for i in range(args.pages)]
    concurrency = f"{args.processes} processes x {args.threads} threads"
    kind = f"copies of {len(originals)} saved pages" if originals else "synthetic pages"
    spread_over = "1 host" if args.one_site else f"{len(hosts)} hosts"
    print(f"{len(urls):,} {kind} over {spread_over}, {args.latency * 1000:.0f} ms each; "
          f"{concurrency}; workers' pool {args.pool}; {args.runs} run(s)")  # fmt: skip

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench-fetch"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        os.environ["DEBUG"] = "1"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.conf import settings

        interval = settings.FETCH_HOST_INTERVAL
        print(f"host interval (FETCH_HOST_INTERVAL): {interval:g} s", flush=True)
        if args.one_site:
            one_site_case(args, urls, interval)
        else:
            main_case(args, urls, interval)
    stop.set()


if __name__ == "__main__":
    main()
