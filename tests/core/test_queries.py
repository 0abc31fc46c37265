"""A query built once (core.queries.CompiledQuery) answers each call for that call's values."""

from django.contrib.auth.models import User

from factdesk.core.queries import CompiledQuery, given, ids_array
from tests.factories import UserFactory

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
