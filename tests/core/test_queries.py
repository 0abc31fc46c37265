"""A query built once (core.queries.CompiledQuery) answers each call for that call's values."""

import pytest
from django.contrib.auth.models import User
from django.db import DataError, connection, transaction
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Length
from django.db.models.signals import post_init

from factdesk.claims.models import Claim
from factdesk.core.queries import CompiledQueries, CompiledQuery, given, ids_array, updating
from tests.factories import ArticleFactory, ClaimantFactory, ClaimFactory, UserFactory

USERNAMES = CompiledQuery(
    lambda: (
        User.objects.filter(id__in=ids_array(), is_active=True)
        .order_by("username")
        .values_list("username")
    )
)
NAMED = CompiledQuery(lambda: User.objects.filter(first_name=given("first"), is_staff=False))


def test_each_call_reads_its_own_ids(db):
    ada, bo, cy = (UserFactory(username=name) for name in ("ada", "bo", "cy"))
    UserFactory(username="dee", is_active=False)
    assert USERNAMES.rows(ids=[cy.pk, ada.pk]) == [("ada",), ("cy",)]
    assert USERNAMES.rows(ids=[bo.pk]) == [("bo",)]
    # The query's other values stay as built: the inactive one is still left out.
    dee = User.objects.get(username="dee")
    assert USERNAMES.rows(ids=[user.pk for user in (ada, bo, cy, dee)]) == [
        ("ada",),
        ("bo",),
        ("cy",),
    ]
    assert USERNAMES.rows(ids=[]) == []


def test_instances_are_the_models_rows_for_each_calls_values(db):
    ada = UserFactory(username="ada", first_name="Ada")
    UserFactory(username="ann", first_name="Ada", is_staff=True)
    bo = UserFactory(username="bo", first_name="Bo")
    assert NAMED.instances(first="Ada") == [ada]
    [found] = NAMED.instances(first="Bo")
    assert found == bo
    assert (found.username, found.first_name) == ("bo", "Bo")
    assert NAMED.instances(first="Cy") == []


CLAIMS = CompiledQuery(
    lambda: (
        Claim.objects.filter(claimant_id=given("claimant"))
        .select_related("claimant", "assignee", "article__outlet")
        .only("id", "text", "claimant__name", "assignee__username", "article__outlet__name")
        .annotate(words=Length("text"))
        .order_by("id")
    )
)


def test_instances_come_with_their_joined_rows_and_annotations(db, django_assert_num_queries):
    ada = UserFactory(username="ada")
    holt, other = ClaimantFactory(name="Ada Holt"), ClaimantFactory(name="Bo Ray")
    article = ArticleFactory()
    start = article.text.index("unemployment fell")
    first = ClaimFactory(
        claimant=holt,
        assignee=ada,
        article=article,
        quote_start=start,
        quote_end=start + len("unemployment fell to 4% last year"),
        text="Prices rose.",
    )
    second = ClaimFactory(claimant=holt, assignee=None, article=None, text="Wages fell by half.")
    theirs = ClaimFactory(claimant=other)
    with django_assert_num_queries(1):
        claims = CLAIMS.instances(claimant=holt.pk)
        seen = [
            (claim.pk, claim.text, claim.words, claim.claimant.name, claim.assignee, claim.article)
            for claim in claims
        ]
    assert [row[:4] for row in seen] == [
        (first.pk, "Prices rose.", 12, "Ada Holt"),
        (second.pk, "Wages fell by half.", 19, "Ada Holt"),
    ]
    assert seen[0][4].username == "ada"
    assert seen[0][5].outlet.name == first.article.outlet.name
    assert seen[1][4] is None
    assert seen[1][5] is None
    # What was left out is read when asked for, as with the ORM's own only().
    assert claims[0].status == first.status
    assert [claim.pk for claim in CLAIMS.instances(claimant=other.pk)] == [theirs.pk]


PAGED = CompiledQuery(lambda: User.objects.order_by("username").values_list("username"), paged=True)


def test_a_paged_query_reads_each_calls_slice(db):
    for name in ("ada", "bo", "cy", "dee"):
        UserFactory(username=name)
    assert PAGED.rows(limit=2, offset=0) == [("ada",), ("bo",)]
    assert PAGED.rows(limit=2, offset=3) == [("dee",)]
    assert PAGED.rows(limit=2, offset=4) == []


def test_each_shape_gets_its_own_compiled_query(db):
    UserFactory(username="ada", is_staff=True)
    UserFactory(username="bo", is_active=False)
    queries = CompiledQueries()

    def names(**filters):
        def build():
            users = User.objects.order_by("username")
            return users.filter(**{name: given(name) for name in filters}).values_list("username")

        return queries.get(tuple(sorted(filters)), build).rows(**filters)

    assert names(is_staff=True) == [("ada",)]
    assert names(is_active=False) == [("bo",)]
    assert names(is_staff=False, is_active=False) == [("bo",)]
    assert names(is_staff=True, is_active=False) == []


def test_instances_are_as_the_orm_makes_them(db):
    """Made without Model.__init__, an instance still knows it was read from the database,
    which fields were left out, and saves as an update of its row."""
    holt = ClaimantFactory(name="Ada Holt")
    made = ClaimFactory(claimant=holt, text="Prices rose.")
    [claim] = CLAIMS.instances(claimant=holt.pk)
    orm = (
        Claim.objects.select_related("claimant", "assignee", "article__outlet")
        .only("id", "text", "claimant__name", "assignee__username", "article__outlet__name")
        .get(pk=made.pk)
    )
    assert claim.get_deferred_fields() == orm.get_deferred_fields()
    assert claim.claimant.get_deferred_fields() == orm.claimant.get_deferred_fields()
    assert (claim._state.adding, claim._state.db) == (False, "default")
    assert (claim.claimant._state.adding, claim.claimant._state.db) == (False, "default")
    claim.text = "Prices rose by half."
    claim.save(update_fields=["text"])
    assert Claim.objects.count() == 1
    assert Claim.objects.get(pk=made.pk).text == "Prices rose by half."


def test_a_model_with_creation_receivers_is_made_by_django(db):
    bo = UserFactory(username="bo", first_name="Bo")
    made = []

    def seen(sender, instance, **kwargs):
        made.append(instance.username)

    post_init.connect(seen, sender=User)
    try:
        assert NAMED.instances(first="Bo") == [bo]
    finally:
        post_init.disconnect(seen, sender=User)
    assert made == ["bo"]


PLANNED = CompiledQuery(
    lambda: User.objects.filter(first_name=given("first")).values_list("username"), planned=True
)
PREPARED = CompiledQuery(
    lambda: User.objects.filter(last_name=given("last")).values_list("username")
)


def test_a_planned_query_is_never_prepared_and_the_others_are(db):
    """A prepared statement gets a generic plan after five runs; a `planned` query is planned
    for each call's values instead (a small topic's list, not an average topic's)."""
    UserFactory(username="ada", first_name="Ada", last_name="Holt")
    for _ in range(6):
        assert PLANNED.rows(first="Ada") == [("ada",)]
        assert PREPARED.rows(last="Holt") == [("ada",)]
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        statements = [statement for (statement,) in cursor.fetchall()]
    assert any('"auth_user"."last_name" = ($1)' in statement for statement in statements)
    assert not any('"auth_user"."first_name" = ($1)' in statement for statement in statements)
    # The connection prepares as before for what comes after.
    ada = User.objects.get(username="ada")
    for _ in range(3):
        assert NAMED.instances(first="Ada") == [ada]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        (count,) = cursor.fetchone()
    assert count > len(statements)


PARALLEL = CompiledQuery(
    lambda: (
        User.objects.filter(first_name=given("first"))
        .annotate(workers=RawSQL("current_setting('max_parallel_workers_per_gather')", ()))
        .values_list("workers")
    ),
    planned=True,
)
FAILING = CompiledQuery(
    lambda: (
        User.objects.filter(first_name=given("first"))
        .annotate(nothing=RawSQL('1 / (0 * "auth_user"."id")', ()))
        .values_list("nothing")
    ),
    planned=True,
)


def current_workers() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW max_parallel_workers_per_gather")
        (workers,) = cursor.fetchone()
    return workers


def test_a_planned_query_runs_without_parallel_workers_and_the_others_keep_them(db):
    """Two workers each walking part of an index for a LIMIT's first rows made a small
    topic's list twice as slow; every other query keeps the server's setting."""
    UserFactory(username="ada", first_name="Ada")
    before = current_workers()
    assert before != "0"
    assert PARALLEL.rows(first="Ada") == [("0",)]
    assert current_workers() == before


def test_a_planned_query_that_fails_raises_its_own_error_and_leaves_the_setting(db):
    """In a transaction that the error aborts, the setting goes back as it rolls back."""
    UserFactory(username="ada", first_name="Ada")
    before = current_workers()
    with pytest.raises(DataError, match="division by zero"), transaction.atomic():
        FAILING.rows(first="Ada")
    assert current_workers() == before


RENAME = CompiledQuery(
    lambda: updating(
        User.objects.filter(username=given("username"), is_active=True),
        first_name=given("first"),
        last_name=F("username"),
    )
)


def test_an_update_built_once_changes_the_rows_of_each_calls_values(db):
    UserFactory(username="ada", first_name="Ada")
    UserFactory(username="bo", first_name="Bo")
    UserFactory(username="cy", first_name="Cy", is_active=False)
    assert RENAME.execute(username="ada", first="Adaline") == 1
    assert RENAME.execute(username="bo", first="Bonnie") == 1
    # The query's own condition holds: the inactive one is not changed, and says so.
    assert RENAME.execute(username="cy", first="Cyril") == 0
    assert RENAME.execute(username="nobody", first="X") == 0
    names = dict(User.objects.values_list("username", "first_name"))
    assert names == {"ada": "Adaline", "bo": "Bonnie", "cy": "Cy"}
    assert User.objects.get(username="bo").last_name == "bo"  # an expression, per row
