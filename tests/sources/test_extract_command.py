import gzip
import json

import pytest
from django.core.management import CommandError, call_command

PAGE = (
    "<html><head><title>Budget day</title><meta name='author' content='Katrin Huber'>"
    "<meta property='article:published_time' content='2026-02-01'></head><body>"
    "<article><p>" + "The council approved the budget after a long debate. " * 10 + "</p>"
    "</article></body></html>"
)


def test_extract_html_prints_one_json_object_per_file(tmp_path, capsys):
    plain = tmp_path / "page.html"
    plain.write_text(PAGE)
    packed = tmp_path / "page.html.gz"
    packed.write_bytes(gzip.compress(PAGE.encode()))
    call_command("extract_html", str(plain), str(packed))
    lines = capsys.readouterr().out.strip().splitlines()
    assert len(lines) == 2
    for line in lines:
        result = json.loads(line)
        assert result["title"] == "Budget day"
        assert result["author"] == "Katrin Huber"
        assert result["published"] == "2026-02-01"
        assert "approved the budget" in result["text"]


def test_extract_html_names_a_missing_or_broken_file(tmp_path):
    with pytest.raises(CommandError, match="no such file"):
        call_command("extract_html", str(tmp_path / "missing.html"))
    broken = tmp_path / "broken.html.gz"
    broken.write_bytes(b"not gzip")
    with pytest.raises(CommandError, match="not a readable gzip file"):
        call_command("extract_html", str(broken))
