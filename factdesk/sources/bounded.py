"""Reading a body within a budget of time and memory.

A worker thread cannot be stopped, so a body that could take long to read (a PDF, whose
streams may inflate to gigabytes of drawing operators, or any large body) is read in a child
process with limits on its CPU time and memory, and killed past its wall-clock budget. The
child comes from a fork server started once per worker process (with the readers already
imported), so a read costs a fork of a small, single-threaded process, not of the worker.
Small web pages, the most common body, are read in the worker itself: their reading is
bounded by their size (see SMALL_BODY)."""

from __future__ import annotations

import logging
import multiprocessing
import signal

from django.conf import settings

from factdesk.core.http import seconds_words
from factdesk.sources.models import Snapshot
from factdesk.sources.reading import Reading, read_body

logger = logging.getLogger(__name__)

# A body this small, and not a PDF, reads in the worker: HTML this size takes tens of
# milliseconds (lxml and trafilatura are linear in the size of the page).
SMALL_BODY = 1_000_000
TOO_LONG = "This {kind} is too large to read within {seconds}; the file is archived."
_context = multiprocessing.get_context("forkserver")
_context.set_forkserver_preload(["factdesk.sources.reader_child"])


def _kind(body: bytes, content_type: str) -> str:
    return "PDF" if content_type == "application/pdf" or body.startswith(b"%PDF-") else "file"


def read_within_budget(body: bytes, content_type: str, charset: str | None, url: str) -> Reading:
    """What read_body reads, or, past the budget (READ_SECONDS of time, READ_MEMORY_MB of
    memory), a reading with no text that says why in `failure`."""
    kind = _kind(body, content_type)
    if len(body) <= SMALL_BODY and kind != "PDF":
        return read_body(body, content_type, charset, url)
    from factdesk.sources.reader_child import TOO_BIG, read_in_child  # sets Django up

    # CPU seconds are a backstop to the wall-clock budget, which is kept here.
    limits = (int(settings.READ_SECONDS) + 1, settings.READ_MEMORY_MB * 1024 * 1024)
    receiving, sending = _context.Pipe(duplex=False)
    child = _context.Process(
        target=read_in_child,
        args=(sending, body, content_type, charset, url, limits, kind),
        daemon=True,
    )
    child.start()
    sending.close()
    try:
        if receiving.poll(settings.READ_SECONDS):
            outcome = receiving.recv()
        else:
            outcome = TOO_LONG.format(kind=kind, seconds=seconds_words(settings.READ_SECONDS))
    except EOFError:  # the child died: its CPU limit (SIGXCPU), or out of memory
        child.join()
        outcome = (
            TOO_LONG.format(kind=kind, seconds=seconds_words(settings.READ_SECONDS))
            if child.exitcode == -signal.SIGXCPU
            else TOO_BIG.format(kind=kind)
        )
    finally:
        if child.is_alive():
            child.kill()
        child.join()
        receiving.close()
    if isinstance(outcome, Reading):
        return outcome
    logger.warning("%s not read: %s", url or "upload", outcome)
    return Reading(Snapshot.Reading.TOO_LARGE, failure=str(outcome))
