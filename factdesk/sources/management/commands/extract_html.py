"""Read saved pages exactly as the workers read fetched ones; print one JSON object each."""

import gzip
import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from factdesk.sources.reading import read_body


class Command(BaseCommand):
    help = (
        "Extract title, text, published date and author from saved HTML files (.html or "
        ".html.gz), with the code the fetch workers use. Prints one JSON object per line."
    )

    def add_arguments(self, parser):
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args, **options):
        for path in options["files"]:
            if not path.is_file():
                raise CommandError(f"{path}: no such file")
            raw = path.read_bytes()
            if path.suffix == ".gz":
                try:
                    raw = gzip.decompress(raw)
                except (OSError, EOFError):
                    raise CommandError(f"{path}: not a readable gzip file") from None
            reading = read_body(raw, "text/html", None, "")
            self.stdout.write(
                json.dumps(
                    {
                        "file": str(path),
                        "title": reading.title,
                        "text": reading.text,
                        "published": reading.published.isoformat() if reading.published else None,
                        "author": reading.author,
                    },
                    ensure_ascii=False,
                )
            )
