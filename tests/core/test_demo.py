import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command

from factdesk.accounts.roles import Role, user_roles
from factdesk.core.demo import DEMO_PASSWORD


def test_demo_loads_once_and_its_logins_work(db, settings, capsys):
    settings.DEBUG = True
    call_command("load_demo")
    out = capsys.readouterr().out
    assert "Created 6 demo accounts" in out
    assert "Created the demo desk" in out
    call_command("load_demo")
    assert "already loaded" in capsys.readouterr().out
    assert user_roles(authenticate(username="rita", password=DEMO_PASSWORD)) == {Role.REPORTER}
    assert user_roles(authenticate(username="ed", password=DEMO_PASSWORD)) == {Role.EDITOR}
    assert authenticate(username="admin", password=DEMO_PASSWORD).is_superuser


def test_demo_is_refused_in_production(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="only loaded with DEBUG on"):
        call_command("load_demo")
