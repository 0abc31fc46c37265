"""Throughput of the sources pipeline, against a bare fetch-and-extract script.

    .venv/bin/python benchmarks/fetch.py                 # 1,000 pages over 100 host names
    .venv/bin/python benchmarks/fetch.py --threads 8     # where politeness binds (see below)
    .venv/bin/python benchmarks/fetch.py --pages 200     # a quicker look

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
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import heapq
import logging
import os
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
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


def server_pids() -> list[int]:
    """PostgreSQL's processes (one per connection) and Redis's."""
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


def start_workers(count: int, threads: int, env: dict[str, str], logs: Path) -> list:
    workers = []
    for index in range(count):
        log = (logs / f"worker-{index}.log").open("w")
        workers.append(
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "factdesk", "worker", "-Q", "fetch",
                 "--pool", "threads", "--concurrency", str(threads), "-n", f"bench{index}@%h",
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


def run_factdesk(urls: list[str], processes: int, threads: int) -> Run:
    import redis
    from django.conf import settings
    from django.contrib.auth.models import Group, User

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
    workers = start_workers(processes, threads, env, logs)
    pids = [worker.pid for worker in workers]
    try:
        workers_before, servers_before = process_cpu(pids), process_cpu(server_pids())
        started = time.monotonic()
        citations_paste(actor=editor, claim=claim, urls=urls)
        submitted = time.monotonic() - started
        pending = Source.objects.exclude(status__in=["done", "failed"])
        deadline = started + 600  # no beat runs here: a lost message would show as a hang
        while pending.exists():
            if time.monotonic() > deadline:
                raise SystemExit(f"Still not archived after 10 minutes: {list(pending[:10])}")
            time.sleep(0.05)
        elapsed = time.monotonic() - started
        workers_cpu = cpu_since(workers_before, pids)
        servers_cpu = cpu_since(servers_before, server_pids())
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(30)
        shutil.rmtree(storage, ignore_errors=True)
    print(f"  (factdesk: the paste itself took {submitted:.2f} s)")
    return Run(
        elapsed,
        done=Snapshot.objects.exclude(text="").count(),
        cpu=workers_cpu,
        servers_cpu=servers_cpu,
        failed=Source.objects.filter(status="failed").count(),
    )


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
    args = parser.parse_args()
    originals = saved_pages(args.pages_from) if args.pages_from else None

    # 127.0.1.1, 127.0.1.2, ...: 250 to a /24, for runs with more hosts than fit in one.
    hosts = [f"127.0.{1 + n // 250}.{1 + n % 250}" for n in range(args.hosts)]
    port, stop = page_server(hosts, args.latency, originals)
    # Round-robin over hosts, as a paste of sources from many sites would be.
    urls = [f"http://{hosts[i % len(hosts)]}:{port}/page/{i}" for i in range(args.pages)]
    concurrency = f"{args.processes} processes x {args.threads} threads"
    kind = f"copies of {len(originals)} saved pages" if originals else "synthetic pages"
    print(f"{args.pages:,} {kind} over {len(hosts)} hosts, {args.latency * 1000:.0f} ms each; "
          f"{concurrency}")  # fmt: skip

    from factdesk.core.embedded import embedded_services

    with embedded_services("bench-fetch"):
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
        os.environ["DEBUG"] = "1"
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
        from django.conf import settings

        bare = run_bare(urls, args.processes, args.threads)
        polite = run_polite(urls, args.processes, args.threads, settings.FETCH_HOST_INTERVAL)
        desk = run_factdesk(urls, args.processes, args.threads)
        pages = args.pages
        print(f"{'':12} {'seconds':>8} {'pages/s':>8} {'extracted':>10} {'CPU ms/page':>12}")
        for name, run in (("bare", bare), ("polite bare", polite), ("factdesk", desk)):
            print(f"{name:12} {run.seconds:8.2f} {pages / run.seconds:8.1f} {run.done:10,} "
                  f"{run.cpu / pages * 1000:12.1f}")  # fmt: skip
        print(f"  factdesk: {desk.failed} failed; PostgreSQL and Redis used another "
              f"{desk.servers_cpu / pages * 1000:.1f} ms of CPU a page")  # fmt: skip
        ratio = desk.seconds / bare.seconds
        verdict = "met" if ratio <= 1.3 else "not met"
        print(f"ratio factdesk / bare:        {ratio:.2f}x (target <= 1.30x: {verdict})")
        print(f"ratio polite bare / bare:     {polite.seconds / bare.seconds:.2f}x (the politeness "
              "floor)")  # fmt: skip
        print(f"ratio factdesk / polite bare: {desk.seconds / polite.seconds:.2f}x (the pipeline)")
        if polite.seconds / bare.seconds > 1.3:
            print(
                "  Politeness binds at this concurrency (robots.txt before a host's first page, "
                "its pages an interval apart): no polite fetcher can be within 1.3x of the bare "
                "script here. Fewer --threads make it not bind."
            )
    stop.set()


if __name__ == "__main__":
    main()
