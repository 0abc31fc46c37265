"""Shared fixtures: the personas every permission test uses, and a real Celery worker."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from factdesk.claims.models import Rating, RatingScale
from factdesk.claims.ratings import ensure_default_scale
from factdesk.core import waiting
from tests.factories import PASSWORD, UserFactory

BASE_DIR = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (Redis, and this process's), as the database
    starts empty."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs ~0.3 s a user; tests make many users and test no cryptography."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# The desk's people have fixed names: with a random surname, "@ri" could also offer Ed Rivera
# before Rita, and a test's first option would depend on the draw.


@pytest.fixture
def reporter(db):
    return UserFactory(username="rita", first_name="Rita", last_name="Okafor", roles=["reporter"])


@pytest.fixture
def editor(db):
    return UserFactory(username="ed", first_name="Ed", last_name="Brandt", roles=["editor"])


@pytest.fixture
def publisher(db):
    return UserFactory(
        username="paula", first_name="Paula", last_name="Nguyen", roles=["publisher"]
    )


@pytest.fixture
def outsider(db):
    """Can log in, holds no role: sees nothing of the desk."""
    return UserFactory(username="otto", first_name="Otto", last_name="Lindqvist", roles=[])


@pytest.fixture
def personas(reporter, editor, publisher, outsider):
    return {"reporter": reporter, "editor": editor, "publisher": publisher, "outsider": outsider}


@pytest.fixture
def archive_storage(settings, tmp_path):
    """Archived bodies go to a folder of this test's own."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path},
        },
    }
    return tmp_path


@pytest.fixture
def password():
    return PASSWORD


def test_database_url() -> str:
    """The URL of the database pytest-django created, for processes the tests start."""
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"] or "localhost"
    from urllib.parse import quote

    netloc = quote(host, safe="") if host.startswith("/") else host
    if settings_dict.get("PORT"):
        netloc += f":{settings_dict['PORT']}"
    user = settings_dict.get("USER") or "postgres"
    secret = settings_dict.get("PASSWORD") or ""
    credentials = f"{user}:{quote(secret, safe='')}" if secret else user
    return f"postgresql://{credentials}@{netloc}/{settings_dict['NAME']}"


test_database_url.__test__ = False  # type: ignore[attr-defined]


def worker_command(name: str, *, queues: str = "default,fetch", concurrency: int = 4) -> list:
    """A `celery worker` of the threads pool, as deployed, named `name`."""
    return [
        *(sys.executable, "-m", "celery", "-A", "factdesk", "worker", "-Q", queues),
        *("--pool", "threads", "--concurrency", str(concurrency), "-n", f"{name}@%h"),
        *("-l", "INFO", "--without-gossip", "--without-mingle"),
    ]


class WorkerProcess:
    """A real `celery worker` subprocess on the test database and the test broker."""

    def __init__(
        self, *, queues: str = "default,fetch", concurrency: int = 4, env: dict | None = None
    ) -> None:
        self.name = f"test-{uuid.uuid4().hex[:8]}"
        env = {
            **os.environ,
            "DATABASE_URL": test_database_url(),
            "PYTHONUNBUFFERED": "1",
            **(env or {}),
        }
        self.log_path = BASE_DIR / "var" / "test" / f"worker-{self.name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("w")
        self.process = subprocess.Popen(
            worker_command(self.name, queues=queues, concurrency=concurrency),
            cwd=BASE_DIR,
            env=env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        self._wait_ready()

    def _wait_ready(self, timeout: float = 60) -> None:
        from factdesk.celery import app

        def answers() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker exited early:\n{self.log_path.read_text()}")
            # The ping itself waits up to half a second for the reply: no sleep between.
            destination = [f"{self.name}@{os.uname().nodename}"]
            return bool(app.control.ping(destination=destination, timeout=0.5))

        waiting.wait_until(
            answers,
            timeout=timeout,
            what=lambda: f"the worker to answer a ping; its log:\n{self.log_path.read_text()}",
            interval=0,
        )

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        self._log.close()


def wait_until(predicate, timeout=30, what="condition"):
    """Poll until `predicate()` holds, for work another process (a worker) does. `what` says
    what was awaited, or is called for the state to show when it did not come."""
    return waiting.wait_until(predicate, timeout=timeout, what=what, interval=0.2)


@pytest.fixture
def celery_worker(transactional_db):
    """A real worker for one test. Tests that cross the queue commit their data, so they
    use transactional_db: the worker is another process and sees only committed rows."""
    worker = WorkerProcess()
    yield worker
    worker.stop()


@pytest.fixture
def ratings(db):
    """The default scale, by label. Made again where a transactional test flushed it."""
    scale = ensure_default_scale(RatingScale, Rating)
    return {rating.label: rating for rating in scale.ratings.all()}
