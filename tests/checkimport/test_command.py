"""manage.py import_check: a dry run, the import, its report as one JSON line, a bar."""

import io
import json
import re

import pytest
from django.core.management import CommandError, call_command

from factdesk.checkimport.models import CheckImport
from factdesk.claims.models import Claim
from tests.checkimport.exports import export


@pytest.fixture
def path(tmp_path):
    target = tmp_path / "larkmoor-gazette.zip"
    target.write_bytes(export())
    return str(target)


def command(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("import_check", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_a_dry_run_reports_as_json_on_its_last_line_and_writes_nothing(path, ratings):
    out, err = command(path, "--dry-run", "--json")
    report = json.loads(out.strip().splitlines()[-1])
    assert report["created"]["claims"] == 6
    assert report["created"]["verdicts"] == 3
    assert report["created"]["users"] == 3
    assert report["unmapped_statuses"] == []
    assert {"file", "row", "reason"} == set(report["skipped"][0])
    assert out.startswith("Dry run: nothing written.")
    assert re.search(r"\[#+\]\s+21/21", err)  # the progress bar, on stderr, full
    assert not Claim.objects.exists()
    assert not CheckImport.objects.exists()


def test_the_import_and_its_second_run(path, publisher, ratings, archive_storage):
    out, _ = command(path, "--user", publisher.username, "--json")
    assert json.loads(out.strip().splitlines()[-1])["created"]["claims"] == 6
    out, _ = command(path, "--user", publisher.username, "--json")
    again = json.loads(out.strip().splitlines()[-1])
    assert again["created"]["claims"] == 0
    assert again["already_imported"]["claims"] == 6
    assert Claim.objects.count() == 6


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--json"], "Name the desk account"),
        (["--user", "nobody"], "There is no account 'nobody'"),
    ],
)
def test_an_import_needs_a_desk_account(path, db, args, words):
    with pytest.raises(CommandError, match=words):
        command(path, *args)


def test_a_reporter_may_not_import(path, reporter):
    with pytest.raises(CommandError, match="Only a publisher"):
        command(path, "--user", reporter.username)
    assert not Claim.objects.exists()


def test_what_is_not_an_export_is_refused_in_words(tmp_path, publisher):
    wrong = tmp_path / "notes.zip"
    wrong.write_bytes(b"these are my notes")
    with pytest.raises(CommandError, match="not a ZIP archive"):
        command(str(wrong), "--user", publisher.username)
    with pytest.raises(CommandError, match="There is no file"):
        command(str(tmp_path / "missing.zip"), "--dry-run")
    assert CheckImport.objects.get().status == CheckImport.Status.FAILED
