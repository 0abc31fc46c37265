"""Queries that Django builds once per process and that run again with new ids.

Building and compiling a small query with the ORM costs a page more than PostgreSQL takes
to run it: 1.5 to 2.5 ms against 0.4 for the board's marks (benchmarks/desk.py). A query whose
shape never changes, only the ids it is asked about, is built once with a stand-in for the
ids (`ids_array()`), and each call runs the compiled SQL with its ids in the stand-in's
place: one array parameter, whatever the number of ids."""

from collections.abc import Callable, Iterable
from functools import cached_property
from typing import Any

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

# Replaced, by identity, with each call's ids among the compiled query's parameters.
_IDS = object()


def ids_array() -> RawSQL:
    """The ids a query built for IdsQuery is asked about: `claim_id__in=ids_array()`."""
    return RawSQL("SELECT unnest(%s::bigint[])", (_IDS,))


class IdsQuery:
    """`IdsQuery(build)(ids)`: the rows of `build()`, a values_list query that reads the
    stand-in `ids_array()`, for these ids. Built and compiled at the first call."""

    def __init__(self, build: Callable[[], QuerySet]) -> None:
        self._build = build

    @cached_property
    def _compiled(self) -> tuple[str, tuple[Any, ...]]:
        return self._build().query.sql_with_params()

    def __call__(self, ids: Iterable[int]) -> list[tuple]:
        sql, params = self._compiled
        values = [list(ids) if param is _IDS else param for param in params]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            return cursor.fetchall()
