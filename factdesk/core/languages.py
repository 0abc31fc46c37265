"""The language of a text: py3langid (BSD-3-Clause; its model, trained by langid.py's
authors on 97 languages, ships inside the wheel), answering only when it is sure.

The desk's suggestions and its embeddings were made for English: a text in another
language gets neither, and the page says so (intake)."""

from __future__ import annotations

from functools import cache

from django import forms
from django.conf.locale import LANG_INFO

SURE = 0.5  # below this probability the language is left unknown ("")
ENGLISH = "en"
# What the desk's English-trained suggestions and embeddings are used for: English, and a
# language it could not tell (given the benefit of the doubt).
MODELS_APPLY_TO = ("", ENGLISH)


@cache
def _identifier():
    from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

    return LanguageIdentifier.from_modelpath(MODEL_DIR / MODEL_FILE, norm_probs=True)


def detect(text: str) -> str:
    """The ISO 639-1 code of `text`'s language, or "" when too short to be sure."""
    if len(text.split()) < 3:
        return ""
    code, probability = _identifier().classify(text[:5000])
    return code if probability >= SURE else ""


def name(code: str) -> str:
    """ "French" for "fr"; the code itself for a language Django has no name for."""
    return LANG_INFO.get(code, {}).get("name", code) if code else "unknown"


@cache
def choices() -> list[tuple[str, str]]:
    """The languages the detector knows that have a name, by name; "" (unknown) first."""
    known = sorted(
        ((code, name(code)) for code in _identifier().nb_classes if code in LANG_INFO),
        key=lambda pair: pair[1],
    )
    return [("", "Unknown"), *known]


def language_field() -> forms.ChoiceField:
    """The language menu of the article and claim forms."""
    return forms.ChoiceField(
        label="Language",
        choices=choices,
        required=False,
        help_text="Detected from the text; correct it if the desk got it wrong.",
        error_messages={"invalid_choice": "Choose the language from the list."},
    )


def models_apply(code: str) -> bool:
    """Whether the desk's English-trained suggestions and embeddings apply to a text in
    this language (MODELS_APPLY_TO)."""
    return code in MODELS_APPLY_TO
