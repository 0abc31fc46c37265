"""Reading a fetched body: its text and metadata, the same way for workers and commands."""

from __future__ import annotations

import codecs
import datetime
import io
import re
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import charset_normalizer
import trafilatura
from htmldate import find_date
from lxml import etree
from lxml.html import HtmlElement
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from trafilatura.utils import load_html

from factdesk.sources.models import Snapshot

HTML_TYPES = {"text/html", "application/xhtml+xml"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)


# A "not found" page served with 200. Only short pages qualify: an article about 404
# errors is still an article.
_NOT_FOUND = re.compile(
    r"\b(404|not found|could ?n[o']?t (be )?found|can ?n[o']?t (be )?found"
    r"|(could|can) ?n[o']?t find|no longer (exists|available)|does ?n[o']?t exist"
    r"|nothing (was )?found)\b",
    re.IGNORECASE,
)
_TITLE = re.compile(r"<title[^>]*>([^<]{1,300})</title>", re.IGNORECASE)
SOFT_404_MAX_TEXT = 1500
_WITH_CLASS = etree.XPath(".//*[@class]")
# Links outside navigation, headers, footers, asides and forms (XPath: walked in C).
_CONTENT_ANCHORS = etree.XPath(
    ".//a[@href][not(ancestor::nav or ancestor::header or ancestor::footer or ancestor::aside"
    " or ancestor::form or ancestor::*[@role='navigation'])]"
)
MAX_LINKS = 200
# Containers of an article's body, as news sites name them.
_BODY_CLASS = re.compile(
    r"\b(article|story|entry|post)[-_]{0,2}(body|content|text)\b|body__container", re.IGNORECASE
)
# A page's furniture, when the extractor keeps it: never the source's own words.
_FURNITURE = re.compile(
    r"^\W*(read more|see more|see also|related( post| articles?| stories| coverage)?"
    r"|don'?t miss|you may also like|also read|more from|recommended( for you)?"
    r"|advertisement|click here|sign up|subscribe|follow us|share this|copyright|©"
    r"|all rights reserved|explore further|thanks for signing up|there was an error"
    r"|an error has occurred|this copy is for your personal)\b",
    re.IGNORECASE,
)
# However long a document, the desk keeps this much of its text (a long book is ~1.5 million
# characters) and reads this many pages of a PDF: past them, the text says where it stops.
MAX_TEXT_CHARS = 2_000_000
MAX_PDF_PAGES = 2_000
TEXT_CUT = (
    "\n\n[factdesk kept the first {kept} of this document's text; the file is archived whole.]"
)
# Images a browser shows without running anything (SVG can carry scripts: not in this list).
IMAGE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@dataclass
class Reading:
    status: str
    text: str = ""
    title: str = ""
    author: str = ""
    published: datetime.date | None = None
    site_name: str = ""
    links: list[dict[str, str]] = field(default_factory=list)
    soft_404: bool = False
    failure: str = ""  # why the text could not be read (bounded.read_within_budget)


def looks_like_html(head: bytes) -> bool:
    head = head.lstrip(codecs.BOM_UTF8).lstrip()[:1024].lower()
    return head.startswith((b"<!doctype html", b"<html")) or b"<html" in head[:512]


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


def warm_up() -> None:
    """Read a made-up article once at worker start: trafilatura and its URL helpers build
    tables on first use, which would otherwise delay the first pages a fresh worker reads.
    Its address is a number with a port, the kind that also loads the list of top-level
    domains (names are read by a pattern without it)."""
    sentence = "A sentence that the warm-up article repeats to look like an article. "
    read_html(
        f"<html><head><title>Warm-up</title></head><body><article><p>{sentence * 20}</p>"
        "</article></body></html>",
        "http://192.0.2.1:8080/warm-up",
    )


def read_html(html: str, url: str | None = None) -> Reading:
    """Main text and metadata with trafilatura, then three corrections measured on the
    extraction benchmark (benchmarks/extraction.py): an article body split by adverts
    into several containers is read whole; the headline is not repeated as the text's
    first line; lines that are the page's furniture ("Read more: ...", "Copyright ...")
    are dropped. Reader comments are not the source's text either."""
    tree = load_html(html)
    if tree is None:
        return Reading(Snapshot.Reading.TEXT)
    anchors, base = _anchors(tree), _base(tree, url)  # before extraction prunes the tree
    merge_split_bodies(tree)
    extracted = trafilatura.bare_extraction(
        tree, url=url, with_metadata=True, include_comments=False, fast=True
    )
    if extracted is None:
        return Reading(Snapshot.Reading.TEXT)
    document: dict = extracted if isinstance(extracted, dict) else extracted.as_dict()
    published = _published(document.get("date")) or _published(
        find_date(html, url=url, extensive_search=False)
    )
    title = (document.get("title") or "")[:500]
    text = tidy_text(document.get("text") or "", title)
    return Reading(
        Snapshot.Reading.TEXT,
        text=text,
        title=title,
        author=(document.get("author") or "")[:300],
        published=published,
        site_name=(document.get("sitename") or "")[:200],
        links=text_links(anchors, text, base, page=url or ""),
        soft_404=is_soft_404(title, text, html),
    )


def merge_split_bodies(tree: HtmlElement) -> None:
    """Pages that cut the article body into several containers of one class (adverts in
    between) have it put back together in the first, so the extractor reads all of it."""
    groups: dict[str, list[HtmlElement]] = {}
    for element in _WITH_CLASS(tree):
        if _BODY_CLASS.search(name := element.get("class")):
            groups.setdefault(name, []).append(element)
    for members in groups.values():
        outermost = [e for e in members if not any(a in members for a in e.iterancestors())]
        for other in outermost[1:]:
            outermost[0].extend(list(other))
            if (parent := other.getparent()) is not None:
                parent.remove(other)


def tidy_text(text: str, title: str) -> str:
    lines = text.split("\n")
    headline = _words(title)
    if lines and headline:
        first = _words(lines[0])
        if first == headline or (len(first) > 15 and first in headline):
            lines = lines[1:]
    return "\n".join(line for line in lines if not _FURNITURE.search(line)).strip()


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def is_soft_404(title: str, text: str, html: str) -> bool:
    """A short page whose title or opening words say it was not found."""
    if len(text) > SOFT_404_MAX_TEXT:
        return False
    page_title = match.group(1) if (match := _TITLE.search(html[:20000])) else ""
    return any(_NOT_FOUND.search(words) for words in (title, page_title, text[:300]))


def _anchors(tree: HtmlElement) -> list[tuple[str, str]]:
    """(words, href) of each link outside navigation, headers, footers and forms."""
    anchors = []
    for anchor in _CONTENT_ANCHORS(tree):
        words = " ".join(anchor.text_content().split())
        if len(words) >= 3:
            anchors.append((words, anchor.get("href", "")))
    return anchors


def _base(tree: HtmlElement, url: str | None) -> str:
    """What the page's relative links are relative to: its <base href>, else its URL."""
    for element in tree.iterfind(".//base[@href]"):
        return urljoin(url or "", element.get("href", ""))
    return url or ""


def text_links(
    anchors: list[tuple[str, str]], text: str, base: str, page: str
) -> list[dict[str, str]]:
    """The links of the main text (anchors whose words are in the extracted text), as
    absolute web addresses other than the page's own, in order, once each: candidate
    sources."""
    flat = " ".join(text.split())
    page = page.split("#")[0]
    links: dict[str, str] = {}
    for words, href in anchors:
        if words not in flat:
            continue
        target = urljoin(base, href.strip()).split("#")[0]
        if urlsplit(target).scheme in ("http", "https") and target != page:
            links.setdefault(target, words[:300])
            if len(links) >= MAX_LINKS:
                break
    return [{"url": target, "text": words} for target, words in links.items()]


def read_pdf(body: bytes) -> Reading:
    try:
        reader = PdfReader(io.BytesIO(body))
        if reader.is_encrypted and not reader.decrypt(""):
            return Reading(Snapshot.Reading.NO_TEXT_LAYER)
        parts, size = [], 0
        for number, page in enumerate(reader.pages):
            if number == MAX_PDF_PAGES or size > MAX_TEXT_CHARS:
                parts.append(TEXT_CUT.format(kept=f"{number:,} pages").strip())
                break
            parts.append(part := (page.extract_text() or "").strip())
            size += len(part)
        text = "\n\n".join(parts).strip()
        metadata: dict = dict(reader.metadata or {})
        title = str(metadata.get("/Title") or "")
        author = str(metadata.get("/Author") or "")
    except (PdfReadError, ValueError, KeyError, NotImplementedError):
        return Reading(Snapshot.Reading.NO_TEXT_LAYER)
    if not text:
        return Reading(Snapshot.Reading.NO_TEXT_LAYER, title=title[:500], author=author[:300])
    return Reading(Snapshot.Reading.TEXT, text=text, title=title[:500], author=author[:300])


def read_body(body: bytes, content_type: str, charset: str | None, url: str) -> Reading:
    """Dispatch on the content type, sniffing what servers mislabel; the text kept is at most
    MAX_TEXT_CHARS."""
    reading = _read(body, content_type, charset, url)
    if len(reading.text) > MAX_TEXT_CHARS:
        kept = f"{MAX_TEXT_CHARS:,} characters"
        reading.text = reading.text[:MAX_TEXT_CHARS] + TEXT_CUT.format(kept=kept)
    return reading


def _read(body: bytes, content_type: str, charset: str | None, url: str) -> Reading:
    head = body[:1024]
    if content_type == "application/pdf" or body.startswith(b"%PDF-"):
        return read_pdf(body)
    if content_type in IMAGE_TYPES:
        return Reading(Snapshot.Reading.IMAGE)
    if content_type in HTML_TYPES or looks_like_html(head):
        if b"\0" in head:  # binary served as HTML
            return Reading(Snapshot.Reading.NOT_READABLE)
        return read_html(decode(body, charset), url)
    if content_type.startswith("text/"):
        return Reading(Snapshot.Reading.TEXT, text=decode(body, charset))
    return Reading(Snapshot.Reading.NOT_READABLE)
