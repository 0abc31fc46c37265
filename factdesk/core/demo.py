"""Demo data for a first look: the desk's people. Later issues add articles and claims here."""

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.db import transaction

from factdesk.accounts.roles import Role

DEMO_PASSWORD = "factdesk-demo"  # noqa: S105 - printed for the demo, refused without DEBUG

DEMO_PEOPLE = [
    # username, first, last, role (None: superuser)
    ("rita", "Rita", "Reyes", Role.REPORTER),
    ("ralph", "Ralph", "Okafor", Role.REPORTER),
    ("ed", "Ed", "Lindqvist", Role.EDITOR),
    ("erin", "Erin", "Moss", Role.EDITOR),
    ("paula", "Paula", "Nakamura", Role.PUBLISHER),
    ("admin", "Ada", "Admin", None),
]


class DemoRefusedError(Exception):
    pass


@transaction.atomic
def load_demo_people() -> int:
    """Create the demo accounts that do not exist yet; return how many were created."""
    if not settings.DEBUG:
        raise DemoRefusedError(
            "Demo accounts have a published password, so they are only loaded with DEBUG on."
        )
    created = 0
    for username, first_name, last_name, role in DEMO_PEOPLE:
        user, was_created = User.objects.get_or_create(
            username=username,
            defaults={
                "first_name": first_name,
                "last_name": last_name,
                "email": f"{username}@factdesk.example",
                "is_staff": role is None,
                "is_superuser": role is None,
            },
        )
        if was_created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            created += 1
        if role is not None:
            user.groups.add(Group.objects.get_or_create(name=role.value)[0])
    return created
