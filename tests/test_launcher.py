"""`make run`'s launcher brings up web, worker and beat, and Ctrl-C leaves nothing behind."""

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import psutil
import pytest

from tests.conftest import wait_until

BASE_DIR = Path(__file__).resolve().parent.parent
PROFILE = "launcher-test"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def healthz(port: int) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as response:
            return response.status, json.load(response)
    except urllib.error.HTTPError as error:
        return error.code, json.load(error)


@pytest.fixture
def clean_profile():
    root = BASE_DIR / "var" / PROFILE
    shutil.rmtree(root, ignore_errors=True)
    yield root
    shutil.rmtree(root, ignore_errors=True)


def test_run_serves_a_healthy_desk_and_ctrl_c_stops_everything(clean_profile):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env["PYTHONUNBUFFERED"] = "1"
    launcher = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "factdesk.launcher",
            "run",
            "--port",
            str(port),
            "--profile",
            PROFILE,
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    output = []
    try:
        # Wait for the launcher's own announcement, reading its interleaved log as it comes.
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            line = launcher.stdout.readline()
            assert line, "launcher exited early:\n" + "".join(output)
            output.append(line)
            if "Press Ctrl-C to stop everything" in line:
                break
        log = "".join(output)
        assert f"factdesk is running at http://127.0.0.1:{port}/" in log
        assert "rita (reporter)" in log
        assert "web    |" in log
        assert "worker |" in log

        status, report = healthz(port)
        assert status == 200, report
        assert all(
            report["checks"][name]["ok"]
            for name in ("postgres", "redis", "worker:default", "worker:fetch")
        )

        processes = psutil.Process(launcher.pid).children(recursive=True)
        names = " ".join(" ".join(process.cmdline()) for process in processes)
        assert "runserver" in names
        assert "worker" in names
        assert "beat" in names
        servers = [
            process
            for process in psutil.process_iter(["cmdline"])
            if str(clean_profile) in " ".join(process.info["cmdline"] or [])
        ]
        assert servers, "the embedded PostgreSQL and Redis of the profile should be running"

        # A worker that crashes is restarted, as compose's restart policy does; the desk
        # goes on.
        worker = next(
            process
            for process in processes
            if "worker" in process.cmdline() and "celery" in " ".join(process.cmdline())
        )
        worker.kill()
        while True:
            line = launcher.stdout.readline()
            assert line, "launcher exited after the worker was killed:\n" + "".join(output)
            output.append(line)
            if "worker exited (code -9); restarting it in 1 s" in line:
                break
        wait_until(
            lambda: healthz(port)[1]["checks"]["worker:fetch"]["ok"],
            timeout=60,
            what="the restarted worker to answer",
        )
        assert launcher.poll() is None
        processes = psutil.Process(launcher.pid).children(recursive=True)

        launcher.send_signal(signal.SIGINT)
        rest, _ = launcher.communicate(timeout=60)
        assert launcher.returncode == 0
        assert "Stopped." in rest
        _, alive = psutil.wait_procs(processes + servers, timeout=10)
        assert not alive, f"left behind: {[process.cmdline() for process in alive]}"
    finally:
        if launcher.poll() is None:
            launcher.kill()
