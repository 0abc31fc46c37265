from django import forms
from django.conf import settings

from factdesk.core.sizes import size_words
from factdesk.sources.models import Citation


class CitationForm(forms.Form):
    urls = forms.CharField(
        label="Source URLs",
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        help_text="One per line; each is fetched and archived.",
    )
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.CONTEXT)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What this source shows, for the next person.",
    )


class UploadForm(forms.Form):
    file = forms.FileField(label="File")
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.CONTEXT)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the file came from, and what it shows.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "PDF, HTML, plain text or an image (PNG, JPEG, GIF, WebP); up to "
            f"{size_words(settings.FETCH_MAX_BYTES)}."
        )
        # Two forms on one page: keep their fields' ids apart.
        self.auto_id = "id_upload_%s"
