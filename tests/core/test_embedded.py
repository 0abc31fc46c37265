"""The embedded servers start, are reused when already running, and stop cleanly."""

import psycopg
import redis

from factdesk.core.embedded import EmbeddedPostgres, EmbeddedRedis, embedded_services


def test_postgres_starts_is_reused_and_stops(tmp_path):
    server = EmbeddedPostgres(tmp_path / "pg")
    url = server.start()
    try:
        with psycopg.connect(url) as conn:
            conn.execute("CREATE TABLE kept (note text)")
            conn.execute("INSERT INTO kept VALUES ('still here')")
        pid = (server.pgdata / "postmaster.pid").read_text().split()[0]
        assert server.start() == url  # a second start reuses the running server
        assert (server.pgdata / "postmaster.pid").read_text().split()[0] == pid
    finally:
        server.stop()
    assert not server.is_running()
    # Data is kept across runs.
    url = server.start()
    try:
        with psycopg.connect(url) as conn:
            assert conn.execute("SELECT note FROM kept").fetchone() == ("still here",)
    finally:
        server.stop()


def test_redis_starts_and_stops(tmp_path):
    server = EmbeddedRedis(tmp_path / "redis")
    client = redis.Redis.from_url(server.start())
    try:
        assert client.ping()
    finally:
        client.close()
        server.stop()
    assert not server.is_running()


def test_services_given_by_url_are_not_started(monkeypatch, tmp_path):
    monkeypatch.setenv("DATABASE_URL", "postgresql://elsewhere/db")
    monkeypatch.setenv("REDIS_URL", "redis://elsewhere:6379/0")
    monkeypatch.setattr("factdesk.core.embedded.VAR_DIR", tmp_path)
    with embedded_services("unused", announce=lambda message: None) as started:
        assert started == {}
    assert not (tmp_path / "unused").exists()
