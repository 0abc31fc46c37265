"""The article pages' forms: adding an article (pasted or by URL), its text, a claim from it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.validators import MaxLengthValidator

from factdesk.claims.forms import QUOTE_MAX, ClaimantFields
from factdesk.core import languages
from factdesk.core.errors import DeskError
from factdesk.core.idempotency import IdempotentForm
from factdesk.core.sizes import size_words
from factdesk.sources import uploads
from factdesk.sources.reading import decode


def _text_limit() -> int:
    """The most characters a pasted text may have and still fit in one request under
    DATA_UPLOAD_MAX_MEMORY_SIZE: a form sends a character as up to 9 bytes (%XX for each of
    its three UTF-8 bytes), rounded down to a thousand to be easy to read."""
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 9 // 1000 * 1000


ARTICLE_TEXT_MAX = _text_limit()
CLAIM_TEXT_MAX = 1_000


def too_long(length: int, limit: int, advice: str) -> str:
    """The message for a text over its limit, the same the page's script shows."""
    return f"This is {length:,} characters; the limit is {limit:,}. {advice}"


class LimitedText(forms.CharField):
    """A text field that states its limit, sets `maxlength` (and the script's message) on
    its textarea, and says what to do when a text is longer."""

    def __init__(self, *, max_length: int, advice: str, **kwargs) -> None:
        self.advice = advice
        super().__init__(max_length=max_length, **kwargs)
        # MaxLengthValidator's wording is replaced by clean's, which says what to do.
        self.validators = [v for v in self.validators if not isinstance(v, MaxLengthValidator)]
        self.widget.attrs["data-too-long"] = advice

    def clean(self, value):
        value = super().clean(value)
        assert self.max_length is not None
        if len(value) > self.max_length:
            raise forms.ValidationError(too_long(len(value), self.max_length, self.advice))
        return value


ARTICLE_TEXT_ADVICE = "Upload it as a file instead, or add the article by its address."


class ArticleForm(IdempotentForm):
    title = forms.CharField(label="Headline", max_length=500)
    url = forms.URLField(label="URL", max_length=2000, required=False, assume_scheme="https")
    outlet_name = forms.CharField(
        label="Outlet",
        max_length=200,
        required=False,
        help_text="e.g. The Daily Ledger. Filled from the URL if empty.",
    )
    byline = forms.CharField(max_length=300, required=False)
    published_on = forms.DateField(
        label="Published on",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    text = LimitedText(
        label="Article text",
        max_length=ARTICLE_TEXT_MAX,
        advice=ARTICLE_TEXT_ADVICE,
        required=False,  # or text_file: clean() asks for one of them
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=f"Paste the full text, up to {ARTICLE_TEXT_MAX:,} characters. "
        "Claims are anchored to it.",
    )
    text_file = forms.FileField(
        label="Or upload its text as a file",
        required=False,
        help_text=f"A plain text file (.txt), up to {size_words(settings.FETCH_MAX_BYTES)}: "
        "for a text longer than the box takes.",
    )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.pop("text_file", None)
        if upload:
            if cleaned.get("text"):
                self.add_error("text_file", "Paste the text or upload a file, not both.")
            else:
                try:
                    cleaned["text"] = text_from_upload(upload)
                except DeskError as error:
                    self.add_error("text_file", error.message)
        elif not cleaned.get("text") and "text" not in self.errors:
            self.add_error("text", "Paste the article's text, or upload it as a file.")
        return cleaned


def text_from_upload(upload: UploadedFile) -> str:
    """The text of an uploaded plain text file, or a DeskError saying what to upload."""
    name = (upload.name or "file").rsplit("/", 1)[-1]
    body = uploads.read_upload(upload, name=name, max_bytes=settings.FETCH_MAX_BYTES)
    try:
        kind = uploads.sniff_type(body, name)
    except DeskError:
        kind = ""
    if kind != "text/plain":
        raise DeskError(
            f"“{name}” is not a plain text file. Save the article's text as .txt and upload "
            "that; a PDF or a web page is added by its address, or cited on a claim."
        )
    return decode(body, None)


class ArticleUrlForm(IdempotentForm):
    # A CharField: the service says what is wrong with an address, in words.
    url = forms.CharField(
        label="Article URL",
        max_length=2000,
        error_messages={
            "max_length": "That address is longer than 2,000 characters: copy it again "
            "from the browser's address bar."
        },
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="factdesk fetches and archives the page, then fills in its text, headline, "
        "byline, outlet and date.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_byurl_%s"


class ArticleTextForm(forms.Form):
    text = LimitedText(
        label="Article text",
        max_length=ARTICLE_TEXT_MAX,
        advice="Paste only the part the claims are in.",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=f"Paste the full text, up to {ARTICLE_TEXT_MAX:,} characters. "
        "Claims are anchored to it.",
    )


class LanguageForm(forms.Form):
    """The language of an article or a claim, as the desk detected it or an editor set it."""

    language = languages.language_field()


class ClaimFromArticleForm(IdempotentForm, ClaimantFields):
    quote = LimitedText(
        label="Exact words",
        max_length=QUOTE_MAX,
        advice="A claim quotes a sentence or a passage: select only the words that make it.",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select them in the article, or paste them exactly as they appear.",
    )
    quote_start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    quote_end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    text = LimitedText(
        label="The claim, as the desk words it",
        max_length=CLAIM_TEXT_MAX,
        advice="Word the claim in a sentence or two; the quote holds the exact words.",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Ctrl+Enter logs it.",
    )
    claimed_on = forms.DateField(
        label="Date of the claim",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Defaults to the article's date.",
    )
    # Set by the "Log it anyway" button the same-words warning offers.
    new_appearance = forms.BooleanField(required=False, widget=forms.HiddenInput)
