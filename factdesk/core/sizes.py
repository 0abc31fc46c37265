"""Sizes as an editor reads them, the same in every message and on every page."""


def size_words(size: int) -> str:
    """A size in the decimal units the limits are set in: 20 MB, 1.5 KB, 640 bytes."""
    if size < 1000:
        return f"{size:,} bytes"
    for unit, scale in (("KB", 1e3), ("MB", 1e6), ("GB", 1e9)):
        if size < scale * 1000 or unit == "GB":
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    raise AssertionError("unreachable")
