"""Queries that Django builds once per process and that run again with new values.

Building and compiling a small query with the ORM costs a page more than PostgreSQL takes
to run it: 1.5 to 2.5 ms against 0.4 for the board's marks, 1.4 ms against 0.6 for the
signed-in person that every page loads (benchmarks/desk.py). A query whose shape never
changes, only the values it is asked about, is built once with a stand-in for each value
(`given("name")`, or `ids_array()` for a list of ids), and each call runs the compiled SQL
with its values in the stand-ins' places."""

from collections.abc import Callable
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import Model, QuerySet
from django.db.models.expressions import RawSQL


class _StandIn:
    """Replaced, among the compiled query's parameters, with the call's value of `name`."""

    def __init__(self, name: str) -> None:
        self.name = name


def given(name: str) -> RawSQL:
    """A value each call gives by name: `filter(pk=given("pk"))`, run as `query.rows(pk=3)`."""
    return RawSQL("%s", (_StandIn(name),))


def ids_array(name: str = "ids") -> RawSQL:
    """Ids each call gives as a list, sent as one array parameter whatever their number:
    `filter(claim_id__in=ids_array())`, run as `query.rows(ids=[1, 2])`."""
    return RawSQL("SELECT unnest(%s::bigint[])", (_StandIn(name),))


class CompiledQuery:
    """`CompiledQuery(build)`: the query `build()` returns, compiled at the first call; each
    call gives a value for every stand-in it holds. `rows()` for a values_list query,
    `instances()` for model instances (and their annotations) without select_related."""

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self._build = build

    @cached_property
    def _compiled(self) -> tuple[type[Model], str, tuple[Any, ...]]:
        query = self._build().query
        return query.model, *query.sql_with_params()  # type: ignore[return-value]

    def _params(self, values: dict[str, Any]) -> list[Any]:
        _, _, params = self._compiled
        return [values[param.name] if isinstance(param, _StandIn) else param for param in params]

    def rows(self, **values: Any) -> list[tuple]:
        _, sql, _ = self._compiled
        with connection.cursor() as cursor:
            cursor.execute(sql, self._params(values))
            return cursor.fetchall()

    def instances(self, **values: Any) -> list[Any]:
        model, sql, _ = self._compiled
        return list(model._default_manager.raw(sql, self._params(values)))
