"""A query built once (core.queries.IdsQuery) answers each call for that call's ids."""

from django.contrib.auth.models import User

from factdesk.core.queries import IdsQuery, ids_array
from tests.factories import UserFactory

USERNAMES = IdsQuery(
    lambda: (
        User.objects.filter(id__in=ids_array(), is_active=True)
        .order_by("username")
        .values_list("username")
    )
)


def test_each_call_reads_its_own_ids(db):
    ada, bo, cy = (UserFactory(username=name) for name in ("ada", "bo", "cy"))
    UserFactory(username="dee", is_active=False)
    assert USERNAMES([cy.pk, ada.pk]) == [("ada",), ("cy",)]
    assert USERNAMES([bo.pk]) == [("bo",)]
    # The query's other values stay as built: the inactive one is still left out.
    dee = User.objects.get(username="dee")
    assert USERNAMES(user.pk for user in (ada, bo, cy, dee)) == [("ada",), ("bo",), ("cy",)]
    assert USERNAMES([]) == []
