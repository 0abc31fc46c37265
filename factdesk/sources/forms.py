from django import forms
from django.conf import settings

from factdesk.core.sizes import size_words
from factdesk.sources.models import Citation

# A paste of a few hundred links from a document fits; a whole document pasted by mistake
# does not (it would be refused line by line).
PASTE_MAX_CHARS = 100_000
NOTE_MAX_CHARS = 2_000


class CitationForm(forms.Form):
    urls = forms.CharField(
        label="Source URLs",
        max_length=PASTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": "https://…"}),
        help_text="One per line; each is fetched and archived. Only public web pages.",
        error_messages={
            "required": "Paste at least one web address.",
            "max_length": f"Paste at most {PASTE_MAX_CHARS:,} characters of addresses at a "
            "time (this paste has %(show_value)s): split it in two.",
        },
    )
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.CONTEXT)
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What this source shows, for the next person.",
        error_messages={
            "max_length": f"Keep the note under {NOTE_MAX_CHARS:,} characters (it has "
            "%(show_value)s)."
        },
    )


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        error_messages={
            "required": "Choose a file to upload.",
            "empty": "The file is empty: choose another.",
        },
    )
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.CONTEXT)
    note = forms.CharField(
        required=False,
        max_length=NOTE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Where the file came from, and what it shows.",
        error_messages={
            "max_length": f"Keep the note under {NOTE_MAX_CHARS:,} characters (it has "
            "%(show_value)s)."
        },
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = (
            "PDF, HTML, plain text or an image (PNG, JPEG, GIF, WebP); up to "
            f"{size_words(settings.FETCH_MAX_BYTES)}."
        )
        # Two forms on one page: keep their fields' ids apart.
        self.auto_id = "id_upload_%s"
