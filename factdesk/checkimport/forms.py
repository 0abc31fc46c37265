from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile

from factdesk.checkimport.models import Outcome
from factdesk.claims.models import Rating
from factdesk.core.idempotency import IdempotentForm


class ExportSizeLimit(FileUploadHandler):
    """The first upload handler of the upload page, in place of the desk's (which stops at
    the size of a cited file): stops reading past CHECK_IMPORT_MAX_BYTES, so an oversized
    export is never written whole to the server's disk; the view says why."""

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        if start + len(raw_data) > settings.CHECK_IMPORT_MAX_BYTES:
            self.request.refused_export = self.file_name  # type: ignore[union-attr]
            raise SkipFile
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None


class ExportUploadForm(IdempotentForm):
    file = forms.FileField(
        label="The export's ZIP file",
        help_text="The ZIP Check gave you (README.txt and the workspace_…_data.csv files), "
        "as it came, or zipped again.",
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
        error_messages={
            "required": "Choose the ZIP file Check gave you.",
            "empty": "The file is empty: choose the ZIP Check gave you.",
        },
    )


def outcome_choices() -> list[tuple[str, str]]:
    """What a Check status can become: a workflow status, or a rating of the desk's scale."""
    ratings = Rating.objects.filter(scale__is_default=True).order_by("position")
    return [
        (Outcome.NEW.value, "New: not started"),
        (Outcome.RESEARCHING.value, "Researching: work started"),
        (Outcome.DISMISSED.value, "Dismissed"),
        *((f"rating:{rating.pk}", f"Rated \u201c{rating.label}\u201d") for rating in ratings),
    ]


class StatusMappingForm(forms.Form):
    choices: list[tuple[str, str]]

    status = forms.CharField(
        max_length=100,
        error_messages={"required": "Say which Check status this is."},
    )
    outcome = forms.ChoiceField(
        label="Becomes",
        error_messages={
            "required": "Choose what items of this status become.",
            "invalid_choice": "Choose what items of this status become, from the list.",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.choices = outcome_choices()
        outcome = self.fields["outcome"]
        assert isinstance(outcome, forms.ChoiceField)
        outcome.choices = self.choices

    def outcome_and_rating(self) -> tuple[str, Rating | None]:
        value = self.cleaned_data["outcome"]
        if value.startswith("rating:"):
            return Outcome.RATED.value, Rating.objects.get(pk=int(value.removeprefix("rating:")))
        return value, None
