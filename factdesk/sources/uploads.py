"""Files editors upload as sources: what they are is read from their bytes, not their name."""

from __future__ import annotations

import codecs

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from factdesk.core.errors import DeskError
from factdesk.core.sizes import size_words
from factdesk.sources.reading import looks_like_html

ACCEPTED = "a PDF, an HTML page, a plain text file or an image (PNG, JPEG, GIF or WebP)"

_SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
)

# What an editor most often tries instead, and what to do about it.
_ADVICE = {
    "doc": "Word documents can't be read here: save it as PDF and upload that.",
    "docx": "Word documents can't be read here: save it as PDF and upload that.",
    "odt": "Text documents can't be read here: save it as PDF and upload that.",
    "svg": "SVG images can carry scripts, so they are not archived: upload a PNG instead.",
    "zip": "Archives can't be read here: upload the files inside one at a time.",
}


def read_upload(upload: UploadedFile, *, name: str, max_bytes: int) -> bytes:
    """The file's bytes, refusing (in words) one that is empty or too big."""
    size = upload.size or 0
    if size > max_bytes:  # SizeLimitHandler stops most of these before they are read
        raise DeskError(
            f"“{name}” is {size_words(size)}; files up to {size_words(max_bytes)} can be archived.",
            field="file",
        )
    body = b"".join(upload.chunks())
    if not body:
        raise DeskError(f"“{name}” is empty.", field="file")
    return body


def sniff_type(body: bytes, name: str) -> str:
    """The content type the bytes show, or a DeskError saying what can be uploaded."""
    for signature, content_type in _SIGNATURES:
        if body.startswith(signature):
            return content_type
    if body[:4] == b"RIFF" and body[8:12] == b"WEBP":
        return "image/webp"
    head = body[:8192]
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    if b"\0" not in head:
        if looks_like_html(head) or name.lower().endswith((".html", ".htm")):
            return "text/html"
        if _is_text(head):
            return "text/plain"
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    advice = _ADVICE.get(extension, f"Upload {ACCEPTED}.")
    raise DeskError(f"“{name}” is not a type of file factdesk can archive. {advice}", field="file")


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sample is still text.
        if error.start < len(head) - 4:
            return _mostly_printable(head)
    return True


def _mostly_printable(head: bytes) -> bool:
    """Legacy 8-bit encodings (windows-1252 and friends): text, unless control bytes abound."""
    controls = sum(1 for byte in head if byte < 32 and byte not in (9, 10, 12, 13))
    return controls <= len(head) // 100


class SizeLimitHandler(FileUploadHandler):
    """First of the upload handlers: stops reading a file past FETCH_MAX_BYTES, so an
    oversized upload is never written whole to the server's disk. The file is left out of
    the request and named in `request.refused_uploads` for the view to explain."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.FETCH_MAX_BYTES:
            refused = getattr(self.request, "refused_uploads", {})
            refused[self.field_name] = self.file_name
            self.request.refused_uploads = refused  # type: ignore[union-attr]
            raise SkipFile
        return raw_data  # on to the next handler

    def file_complete(self, file_size: int) -> None:
        return None


def too_big(name: str) -> str:
    return (
        f"“{name}” is larger than {size_words(settings.FETCH_MAX_BYTES)}, the most a "
        "file can be to be archived."
    )
