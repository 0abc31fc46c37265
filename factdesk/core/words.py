"""Texts compared as their words: without case, punctuation or spacing."""

import re


def plain_words(text: str) -> str:
    """The words of `text`, casefolded and joined by single spaces: what makes two texts the
    same words (two quotes of a claim, a headline that repeats its claim)."""
    return " ".join(re.findall(r"\w+", text.casefold()))
