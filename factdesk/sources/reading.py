"""Reading a fetched body: its text and metadata, the same way for workers and commands."""

from __future__ import annotations

import codecs
import datetime
import io
import re
from dataclasses import dataclass

import charset_normalizer
import trafilatura
from htmldate import find_date
from pypdf import PdfReader
from pypdf.errors import PdfReadError

from factdesk.sources.models import Snapshot

HTML_TYPES = {"text/html", "application/xhtml+xml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


@dataclass
class Reading:
    status: str
    text: str = ""
    title: str = ""
    author: str = ""
    published: datetime.date | None = None


def decode(body: bytes, declared: str | None) -> str:
    """Text from bytes: the charset the header declares, else a byte-order mark, else the
    page's own <meta charset>, else detection. A declared charset that fails to decode
    (windows-1252 labelled UTF-8) falls through to the next."""
    candidates = [declared] if declared else []
    candidates += [name for bom, name in _BOMS if body.startswith(bom)]
    if match := _META_CHARSET.search(body[:4096]):
        candidates.append(match.group(1).decode("ascii"))
    for name in candidates:
        try:
            return body.decode(codecs.lookup(name).name).lstrip("\ufeff")
        except (LookupError, UnicodeDecodeError):
            continue
    best = charset_normalizer.from_bytes(body).best()
    return str(best) if best is not None else body.decode("utf-8", errors="replace")


def _published(value: str | None) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(value[:10])
    except ValueError:
        return None


def read_html(html: str, url: str | None = None) -> Reading:
    # Reader comments are not the source's text: leaving them out is also what lifts
    # precision most on the extraction benchmark (benchmarks/extraction.py).
    extracted = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False
    )
    if extracted is None:
        return Reading(Snapshot.Reading.TEXT)
    document: dict = extracted if isinstance(extracted, dict) else extracted.as_dict()
    published = _published(document.get("date")) or _published(
        find_date(html, url=url, extensive_search=False)
    )
    return Reading(
        Snapshot.Reading.TEXT,
        text=document.get("text") or "",
        title=(document.get("title") or "")[:500],
        author=(document.get("author") or "")[:300],
        published=published,
    )


def read_pdf(body: bytes) -> Reading:
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            return Reading(Snapshot.Reading.NO_TEXT_LAYER)
        text = "\n\n".join((page.extract_text() or "").strip() for page in reader.pages).strip()
        metadata: dict = dict(reader.metadata or {})
        title = str(metadata.get("/Title") or "")
        author = str(metadata.get("/Author") or "")
    except (PdfReadError, ValueError, KeyError, NotImplementedError):
        return Reading(Snapshot.Reading.NO_TEXT_LAYER)
    if not text:
        return Reading(Snapshot.Reading.NO_TEXT_LAYER, title=title[:500], author=author[:300])
    return Reading(Snapshot.Reading.TEXT, text=text, title=title[:500], author=author[:300])


def read_body(body: bytes, content_type: str, charset: str | None, url: str) -> Reading:
    """Dispatch on the content type, sniffing what servers mislabel."""
    head = body[:1024].lstrip().lower()
    if content_type == "application/pdf" or body.startswith(b"%PDF-"):
        return read_pdf(body)
    if content_type in HTML_TYPES or head.startswith((b"<!doctype html", b"<html")):
        if b"\0" in body[:1024]:  # binary served as HTML
            return Reading(Snapshot.Reading.NOT_READABLE)
        return read_html(decode(body, charset), url)
    if content_type.startswith("text/"):
        return Reading(Snapshot.Reading.TEXT, text=decode(body, charset))
    return Reading(Snapshot.Reading.NOT_READABLE)
