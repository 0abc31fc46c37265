"""Queries that Django builds once per process and that run again with new values.

Building and compiling a small query with the ORM costs a page more than PostgreSQL takes
to run it: 1.5 to 2.5 ms against 0.4 for the board's marks, 1.4 ms against 0.6 for the
signed-in person that every page loads (benchmarks/desk.py). A query whose shape never
changes, only the values it is asked about, is built once with a stand-in for each value
(`given("name")`, or `ids_array()` for a list of ids), and each call runs the compiled SQL
with its values in the stand-ins' places."""

from collections.abc import Callable, Hashable, Iterable
from functools import cached_property
from typing import Any, cast

from django.db import DEFAULT_DB_ALIAS, connection
from django.db.models import Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.query import get_related_populators  # type: ignore[attr-defined]
from django.db.models.sql.compiler import SQLCompiler
from django.db.models.sql.subqueries import UpdateQuery
from psycopg.pq import TransactionStatus


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


def updating(queryset: QuerySet, **fields: Any) -> UpdateQuery:
    """What `queryset.update(**fields)` runs, to be compiled once: `CompiledQuery(lambda:
    updating(...)).execute(...)` sets the fields of the rows the queryset matches and says
    how many."""
    query = cast(UpdateQuery, queryset.query.chain(UpdateQuery))
    query.add_update_values(fields)
    return query


class CompiledQuery:
    """`CompiledQuery(build)`: the query `build()` returns, compiled at the first call; each
    call gives a value for every stand-in it holds. `rows()` for a values_list query;
    `instances()` for model instances, with what select_related joins and the annotations,
    made as Django's own iteration makes them (no prefetch_related); `execute()` for an
    update (`updating`)."""

    def __init__(
        self,
        build: Callable[[], QuerySet | UpdateQuery],
        *,
        paged: bool = False,
        planned: bool = False,
    ) -> None:
        """`paged`: each call gives `limit` and `offset` too (Django writes a slice's bounds
        into the SQL, so an unsliced query gets them as parameters here).
        `planned`: PostgreSQL plans it for each call's values, never as a prepared statement.
        After five runs a prepared statement may get a generic plan, made for no value in
        particular: one that suits a large topic, used for a small one, walked the priority
        index through a million claims to find 25 of the small topic's (123 ms against 35;
        benchmarks/desk.py --claims 1000000). And planned without parallel workers: walking
        an index for the first rows of a LIMIT, two workers each walked their part and the
        leader merged (the same small topic: 64-76 ms with two workers, 29-33 without)."""
        self._build = build
        self._paged = paged
        self._planned = planned

    @cached_property
    def _compiled(self) -> tuple[SQLCompiler, str, tuple[Any, ...]]:
        built = self._build()
        query = built if isinstance(built, UpdateQuery) else built.query
        assert not (self._paged and query.is_sliced), "a paged query is built unsliced"
        compiler = query.get_compiler(using=DEFAULT_DB_ALIAS)
        sql, params = compiler.as_sql()  # also fills in what instances() reads from it
        if self._paged:
            sql += " LIMIT %s OFFSET %s"
            params = (*params, _StandIn("limit"), _StandIn("offset"))
        return compiler, sql, tuple(params)

    def _bound(self, values: dict[str, Any]) -> tuple[str, list[Any]]:
        _, sql, params = self._compiled
        return sql, [
            values[param.name] if isinstance(param, _StandIn) else param for param in params
        ]

    def execute(self, **values: Any) -> int:
        """Run an update (`updating`): the number of rows it changed."""
        sql, bound = self._bound(values)
        with connection.cursor() as cursor:
            cursor.execute(sql, bound)
            return cursor.rowcount

    def rows(self, **values: Any) -> list[tuple]:
        sql, bound = self._bound(values)
        with connection.cursor() as cursor:
            if not self._planned:
                cursor.execute(sql, bound)
                return cursor.fetchall()
            # psycopg prepares nothing while its threshold is None (the connection is open:
            # the cursor opened it). No parallel workers either (`planned`): set on the
            # connection itself, as the threshold is, not a query of the page's.
            database = connection.connection
            threshold = database.prepare_threshold
            database.prepare_threshold = None
            database.execute("SET max_parallel_workers_per_gather = 0")
            try:
                cursor.execute(sql, bound)
                return cursor.fetchall()
            finally:
                database.prepare_threshold = threshold
                # A failed transaction takes the SET back with it as it rolls back.
                if database.info.transaction_status != TransactionStatus.INERROR:
                    database.execute("RESET max_parallel_workers_per_gather")

    @cached_property
    def _making(self) -> tuple[slice, list[str], list, dict[int, Any]]:
        """What instances() makes each row with, worked out once: where the model's columns
        are, their attribute names, what fills in the joined rows, the columns' converters."""
        compiler, _, _ = self._compiled
        info, select = compiler.klass_info, compiler.select
        assert info is not None, "instances() reads a model query, not values_list()"
        columns = slice(info["select_fields"][0], info["select_fields"][-1] + 1)
        names = [column[0].target.attname for column in select[columns]]
        related = get_related_populators(info, select, compiler.using)
        converters = compiler.get_converters([column[0] for column in select[: compiler.col_count]])
        return columns, names, related, converters

    def instances(self, **values: Any) -> list[Any]:
        # What django.db.models.query.ModelIterable does with a compiler it has just run.
        compiler, _, _ = self._compiled
        columns, names, related, converters = self._making
        model, using = compiler.klass_info["model"], compiler.using
        rows: Iterable[Any] = self.rows(**values)
        if converters:
            rows = compiler.apply_converters(rows, converters)
        # Made by Django when a model of the query has creation receivers: they are asked
        # once a call, not once a row.
        by_django = any(_has_creation_receivers(made) for made in _models(model, related))
        found = []
        for row in rows:
            if by_django:
                instance = model.from_db(using, names, row[columns])
                for populator in related:
                    populator.populate(row, instance)
            else:
                instance = _from_db(model, using, names, row[columns])
                for populator in related:
                    _populate(populator, row, instance, using)
            for name, position in compiler.annotation_col_map.items():
                setattr(instance, name, row[position])
            found.append(instance)
        return found


def _models(model: type[Model], populators: list) -> list[type[Model]]:
    """The query's model and those select_related joins to it."""
    found = [model]
    for populator in populators:
        found += _models(populator.model_cls, populator.related_populators)
    return found


def _has_creation_receivers(model: type[Model]) -> bool:
    return signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model)


def _from_db(model: type[Model], using: str | None, names: list[str], values: tuple) -> Model:
    """What `model.from_db` makes, without Model.__init__, which walks every field of the
    model to skip the deferred ones: a board's 46 cards are 160 instances of models read in
    part (a card reads under half of a claim's 28 columns); the board's selector spends
    1.4 ms less (benchmarks/desk.py). Not for a model whose creation signals have
    receivers (`instances`)."""
    instance = model.__new__(model)
    instance._state = ModelState()
    instance._state.adding = False
    instance._state.db = using
    instance.__dict__.update(zip(names, values, strict=True))
    return instance


def _populate(populator: Any, row: tuple, parent: Model, using: str | None) -> None:
    """Django's RelatedPopulator.populate (select_related's joined rows), making each
    related instance with _from_db."""
    if populator.reorder_for_init:
        values = populator.reorder_for_init(row)
    else:
        values = row[populator.cols_start : populator.cols_end]
    related = None
    if values[populator.pk_idx] is not None:
        related = _from_db(populator.model_cls, using, populator.init_list, values)
        for inner in populator.related_populators:
            _populate(inner, row, related, using)
    populator.local_setter(parent, related)
    if related is not None:
        populator.remote_setter(related, parent)


class CompiledQueries:
    """A CompiledQuery for each shape of a query whose shape varies (which filters are set,
    which order): `queries.get(key, build)`, built and compiled at a key's first call."""

    def __init__(self, *, paged: bool = False, planned: bool = False) -> None:
        self._paged = paged
        self._planned = planned
        self._queries: dict[Hashable, CompiledQuery] = {}

    def get(self, key: Hashable, build: Callable[[], QuerySet]) -> CompiledQuery:
        if key not in self._queries:
            self._queries[key] = CompiledQuery(build, paged=self._paged, planned=self._planned)
        return self._queries[key]
