"""The two commands the README gives, and a door to manage.py on the same services.

    python -m factdesk.launcher run            # web + worker + beat, demo data, until Ctrl-C
    python -m factdesk.launcher test [ARGS]    # every check the project passes; ARGS go to pytest
    python -m factdesk.launcher manage ARGS    # manage.py on the development services

`make run` and `make test` call these after installing the virtualenv. With DATABASE_URL /
REDIS_URL unset, each starts the embedded servers of its own profile (var/dev, var/test), so
the tests never touch a running desk.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Sequence
from pathlib import Path

from factdesk.core.embedded import BASE_DIR, embedded_services, profile_dir
from factdesk.core.waiting import wait_until

PYTHON = sys.executable
MANAGE = [PYTHON, str(BASE_DIR / "manage.py")]
CELERY = [PYTHON, "-m", "celery", "-A", "factdesk"]
COLOURS = ["\033[36m", "\033[33m", "\033[35m", "\033[32m"]
RESET = "\033[0m"
DEMO_LOGINS = [
    ("rita", "reporter"),
    ("ed", "editor"),
    ("paula", "publisher"),
    ("admin", "admin"),
]


def say(message: str) -> None:
    print(
        f"\033[1mfactdesk\033[0m | {message}" if sys.stdout.isatty() else f"factdesk | {message}",
        flush=True,
    )


class Supervisor:
    """Runs named processes, prefixes and interleaves their output, stops them together."""

    def __init__(self) -> None:
        self.processes: dict[str, subprocess.Popen] = {}
        self.commands: dict[str, tuple[Sequence[str], dict[str, str]]] = {}
        self.started: dict[str, float] = {}
        self.width = 0

    def start(self, name: str, command: Sequence[str], env: dict[str, str]) -> None:
        self.commands[name] = (command, env)
        self.width = max(self.width, len(name))
        process = subprocess.Popen(
            command,
            cwd=BASE_DIR,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            bufsize=1,
            # Its own process group: Ctrl-C reaches the supervisor only, which then stops
            # each group in order (and so every child a process forked).
            start_new_session=True,
        )
        self.processes[name] = process
        self.started[name] = time.monotonic()
        order = list(self.commands).index(name)
        colour = COLOURS[order % len(COLOURS)] if sys.stdout.isatty() else ""
        threading.Thread(target=self._pump, args=(name, process, colour), daemon=True).start()

    def _pump(self, name: str, process: subprocess.Popen, colour: str) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            prefix = f"{colour}{name.ljust(self.width)} |{RESET if colour else ''}"
            sys.stdout.write(f"{prefix} {line}")
            sys.stdout.flush()

    def wait_any(self) -> str:
        """Block until one process exits; return its name."""
        while True:
            for name, process in self.processes.items():
                if process.poll() is not None:
                    return name
            time.sleep(0.2)

    def supervise(self, restartable: frozenset[str]) -> str:
        """Restart a restartable process that exits (a crashed worker or beat), waiting 1 s
        at first and twice as long each time it dies again within a minute, up to 30 s, as
        compose's restart policy does. Returns the name of the first other process to exit."""
        delays = dict.fromkeys(restartable, 1.0)
        while True:
            name = self.wait_any()
            process = self.processes[name]
            if name not in restartable:
                return name
            if time.monotonic() - self.started[name] > 60:
                delays[name] = 1.0  # it had been running a while: a fresh crash
            say(f"{name} exited (code {process.returncode}); restarting it in {delays[name]:g} s")
            time.sleep(delays[name])
            delays[name] = min(delays[name] * 2, 30.0)
            self.start(name, *self.commands[name])

    def stop(self, timeout: float = 15) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout
        for name, process in self.processes.items():
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                say(f"{name} did not stop within {timeout:.0f} s; killing it")
            # Whatever is left in the group (a runserver child, a pool process) goes too.
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _run_step(command: Sequence[str], what: str) -> None:
    say(what)
    result = subprocess.run(command, cwd=BASE_DIR, stdin=subprocess.DEVNULL)
    if result.returncode != 0:
        raise SystemExit(f"factdesk | {what} failed (exit {result.returncode}); see above.")


def _answers_http(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own local server
            return True
    except OSError as error:
        return bool(getattr(error, "code", None))  # an HTTP error status means it is serving


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_desk(port: int, profile: str = "dev") -> int:
    """Start services, migrate, load the demo once, then web + worker + beat until Ctrl-C."""
    # Ctrl-C, `kill` and a closed terminal all end in the same orderly shutdown. SIGINT is set
    # explicitly: a shell that starts us in the background leaves it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, _interrupt)
    supervisor = Supervisor()
    try:
        with embedded_services(profile, announce=say):
            try:
                return _serve(supervisor, port, profile)
            finally:
                # Processes stop before the servers they use.
                say("Stopping web, worker and beat")
                supervisor.stop()
    except KeyboardInterrupt:
        return 0
    finally:
        say("Stopped.")


def _serve(supervisor: Supervisor, port: int, profile: str) -> int:
    _run_step([*MANAGE, "migrate", "--noinput", "-v", "0"], "Applying database migrations")
    _run_step([*MANAGE, "load_demo"], "Loading demo data (only the first time)")
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    schedule = profile_dir(profile) / "celerybeat-schedule"
    supervisor.start("web", [*MANAGE, "runserver", f"127.0.0.1:{port}"], env)
    supervisor.start(
        "worker",
        [
            *CELERY,
            "worker",
            "-Q",
            "default,fetch",
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "-n",
            "dev@%h",
            "-l",
            "INFO",
        ],
        env,
    )
    supervisor.start("beat", [*CELERY, "beat", "-l", "INFO", "-s", str(schedule)], env)
    url = f"http://127.0.0.1:{port}/"
    try:
        wait_until(
            lambda: _answers_http(url + "healthz"), timeout=60, what="the web server", interval=0.3
        )
    except TimeoutError as error:
        say(f"{error}; its log is above. Press Ctrl-C to stop everything.")
    else:
        logins = ", ".join(f"{name} ({role})" for name, role in DEMO_LOGINS)
        say(f"factdesk is running at {url}")
        say(f"Demo logins, password 'factdesk-demo' for all: {logins}")
        say(f"Health: {url}healthz. Press Ctrl-C to stop everything.")
    exited = supervisor.supervise(restartable=frozenset({"worker", "beat"}))
    code = supervisor.processes[exited].returncode
    say(f"{exited} exited (code {code}); stopping the rest")
    return 1


def run_checks(pytest_args: Sequence[str]) -> int:
    """Every check the project passes, in the order a failure is cheapest to read."""
    checks: list[tuple[str, list[str]]] = [
        ("ruff check", [PYTHON, "-m", "ruff", "check", "."]),
        ("ruff format --check", [PYTHON, "-m", "ruff", "format", "--check", "."]),
        ("mypy factdesk", [PYTHON, "-m", "mypy", "factdesk"]),
        ("makemigrations --check", [*MANAGE, "makemigrations", "--check", "--dry-run"]),
        ("pytest", [PYTHON, "-m", "pytest", *pytest_args]),
    ]
    failed = []
    with embedded_services("test", announce=say):
        for name, command in checks:
            say(f"── {name}")
            result = subprocess.run(command, cwd=BASE_DIR, stdin=subprocess.DEVNULL)
            if result.returncode == 5 and name == "pytest":
                say("pytest collected no tests: that is a failure, not a pass")
            if result.returncode != 0:
                failed.append(name)
    if failed:
        say(f"FAILED: {', '.join(failed)}")
        return 1
    say("All checks passed.")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m factdesk.launcher")
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="run web, worker and beat with demo data")
    run.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8000")))
    run.add_argument("--profile", default="dev", help="embedded servers' folder under var/")
    commands.add_parser("test", help="run every check; extra arguments go to pytest")
    commands.add_parser("manage", help="manage.py on the development services")
    args, rest = parser.parse_known_args(argv)
    os.chdir(BASE_DIR)
    Path(BASE_DIR / "var").mkdir(exist_ok=True)
    if args.command == "run":
        return run_desk(args.port, args.profile)
    if args.command == "test":
        return run_checks(rest)
    with embedded_services("dev", announce=say):
        return subprocess.run([*MANAGE, *rest], cwd=BASE_DIR).returncode


if __name__ == "__main__":
    sys.exit(main())
