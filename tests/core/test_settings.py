"""Production refuses insecure defaults, and `check --deploy` passes with production settings."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_without_secret_key_refuses_to_start():
    result = run_manage("check", DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY is missing or is the development default" in result.stderr


def test_production_with_the_development_key_refuses_to_start():
    from factdesk.settings import DEV_SECRET_KEY

    result = run_manage("check", DEBUG="0", SECRET_KEY=DEV_SECRET_KEY)
    assert result.returncode != 0
    assert "SECRET_KEY is missing or is the development default" in result.stderr


@pytest.mark.parametrize(
    ("key", "why"),
    [("abc", "3 characters, 3 different"), ("ab" * 30, "60 characters, 2 different")],
)
def test_production_with_a_weak_key_refuses_to_start(key, why):
    result = run_manage("check", DEBUG="0", SECRET_KEY=key)
    assert result.returncode != 0
    assert f"SECRET_KEY is too weak ({why})" in result.stderr


def test_a_malformed_flag_is_named_in_the_error():
    result = run_manage("check", DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be one of" in result.stderr


def test_check_deploy_passes_with_production_settings():
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="a-real-secret-" + "k" * 50,
        ALLOWED_HOSTS="desk.example.org",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_development_defaults_start_without_any_configuration():
    result = run_manage("check", DEBUG="1")
    assert result.returncode == 0, result.stderr
