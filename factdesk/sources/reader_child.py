"""What runs in the reading children of bounded.py. The fork server imports this module once
(Django set up, the readers loaded), so each child starts ready to read."""

from __future__ import annotations

import os
import resource

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "factdesk.settings")
django.setup()

from factdesk.sources.reading import Reading, read_body  # noqa: E402 - needs Django set up

TOO_BIG = "Reading this {kind} needed more memory than allowed; the file is archived."


def read_in_child(
    sending,
    body: bytes,
    content_type: str,
    charset: str | None,
    url: str,
    limits: tuple[int, int],
    kind: str,
) -> None:
    """Read under the limits (CPU seconds, bytes of address space); send the Reading, or
    why there is none."""
    cpu, memory = limits
    resource.setrlimit(resource.RLIMIT_CPU, (cpu, cpu))
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    try:
        outcome: Reading | str = read_body(body, content_type, charset, url)
    except MemoryError:
        outcome = TOO_BIG.format(kind=kind)
    sending.send(outcome)
    sending.close()
