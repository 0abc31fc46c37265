"""No Docker engine runs here, so the compose file is checked against what the code reads."""

import ast
import re
from pathlib import Path

import pytest
import yaml

from factdesk.core.health import QUEUES

BASE_DIR = Path(__file__).resolve().parents[2]
ENV_READERS = {"env_bool", "env_list", "env_int"}
# Read by processes other than settings.py: Django itself, the images' entry points.
READ_ELSEWHERE = {"DJANGO_SETTINGS_MODULE", "PYTHONUNBUFFERED"}


def variables_settings_read() -> set[str]:
    tree = ast.parse((BASE_DIR / "factdesk" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        first = node.args[0]
        if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in ENV_READERS:
            names.add(first.value)
        if (
            isinstance(func, ast.Attribute)
            and func.attr == "get"
            and isinstance(func.value, ast.Attribute)
            and func.value.attr == "environ"
        ):
            names.add(first.value)
    return names


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())


def app_services(compose):
    return {name: spec for name, spec in compose["services"].items() if "build" in spec}


def test_settings_reads_the_documented_variables():
    read = variables_settings_read()
    assert {
        "DATABASE_URL",
        "REDIS_URL",
        "SECRET_KEY",
        "DEBUG",
        "ALLOWED_HOSTS",
        "CSRF_TRUSTED_ORIGINS",
        "STORAGE_DIR",
    } <= read
    readme = (BASE_DIR / "README.md").read_text()
    undocumented = {name for name in read if f"`{name}`" not in readme}
    assert not undocumented, f"README's configuration section misses {sorted(undocumented)}"


def test_every_variable_compose_sets_is_one_the_app_reads(compose):
    read = variables_settings_read() | READ_ELSEWHERE
    for name, spec in app_services(compose).items():
        unknown = set(spec.get("environment", {})) - read
        assert not unknown, f"{name} sets {sorted(unknown)}, which nothing reads"
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "DEBUG"} <= set(spec["environment"])


def test_urls_point_at_the_compose_services(compose):
    services = compose["services"]
    db_port = 5432
    for name, spec in app_services(compose).items():
        env = spec["environment"]
        db = re.match(r"postgres(?:ql)?://[^@]+@([^:/]+):(\d+)/(\w+)", env["DATABASE_URL"])
        assert db, f"{name}: DATABASE_URL is not a postgres URL"
        assert db.group(1) in services
        assert int(db.group(2)) == db_port
        assert services[db.group(1)]["environment"]["POSTGRES_DB"] == db.group(3)
        cache = re.match(r"redis://([^:/]+):(\d+)/\d+", env["REDIS_URL"])
        assert cache
        assert cache.group(1) in services
        assert cache.group(2) == "6379"
        assert "DEBUG" in env
        assert env["DEBUG"] in {"0", "false"}
        depends = spec.get("depends_on", {})
        assert {db.group(1), cache.group(1)} <= set(depends)


def test_images_are_the_ones_the_design_names(compose):
    services = compose["services"]
    assert "pgvector" in services["db"]["image"]
    assert ":pg17" in services["db"]["image"]
    assert services["redis"]["image"].startswith("redis:7")


def test_web_binds_the_published_port_and_checks_healthz(compose):
    web = compose["services"]["web"]
    command = " ".join(web["command"]) if isinstance(web["command"], list) else web["command"]
    assert "gunicorn" in command
    assert "factdesk.wsgi" in command
    bind_port = re.search(r"--bind[ =]0\.0\.0\.0:(\d+)", command).group(1)
    published = [str(port).split(":")[-1] for port in web["ports"]]
    assert bind_port in published
    assert f"localhost:{bind_port}/healthz" in " ".join(web["healthcheck"]["test"])


def test_workers_cover_every_queue_and_beat_runs(compose):
    services = app_services(compose)
    consumed = set()
    for spec in services.values():
        command = spec["command"] if isinstance(spec["command"], list) else spec["command"].split()
        if "worker" in command:
            assert command[:3] == ["celery", "-A", "factdesk"]
            consumed |= set(command[command.index("-Q") + 1].split(","))
    assert consumed == set(QUEUES)
    assert any("beat" in spec["command"] for spec in services.values())


def test_snapshots_volume_is_shared_by_web_and_workers(compose):
    services = app_services(compose)
    storage = {spec["environment"]["STORAGE_DIR"] for spec in services.values()}
    assert len(storage) == 1
    (path,) = storage
    for name, spec in services.items():
        mounts = [volume.split(":") for volume in spec.get("volumes", [])]
        assert any(target == path for _, target, *_ in mounts), f"{name} misses the storage volume"
    assert all(
        service.get("healthcheck")
        for service in compose["services"].values()
        if service.get("image", "").startswith(("redis", "pgvector"))
    )
