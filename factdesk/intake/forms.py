from django import forms

from factdesk.core.idempotency import IdempotentForm

URL_MAX = 2000


class ExternalImportForm(forms.Form):
    url = forms.CharField(
        label="Address of a fact-check page",
        max_length=URL_MAX,
        help_text="Another newsroom's fact check; its ClaimReview markup is read.",
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        error_messages={
            "required": "Paste the address of a fact-check page.",
            "max_length": f"A web address is at most {URL_MAX:,} characters (this one has "
            "%(show_value)s): copy it again from the browser's address bar.",
        },
    )


class FeedImportForm(IdempotentForm):
    file = forms.FileField(
        label="A feed file",
        required=False,
        help_text="schema.org JSON-LD: a DataFeed of ClaimReviews (as the Data Commons "
        "fact-check feed), or a list of ClaimReviews.",
        widget=forms.ClearableFileInput(attrs={"accept": ".json,.jsonld,application/json"}),
        error_messages={"empty": "The file is empty: choose the feed's JSON file."},
    )
    url = forms.CharField(
        label="or the feed's address",
        required=False,
        max_length=URL_MAX,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        error_messages={
            "max_length": f"A web address is at most {URL_MAX:,} characters (this one has "
            "%(show_value)s).",
        },
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        if not self.errors and bool(data.get("file")) == bool((data.get("url") or "").strip()):
            raise forms.ValidationError(
                "Choose a feed file or paste a feed's address (one of the two)."
            )
        return data


class IntakeSettingsForm(forms.Form):
    search_google = forms.BooleanField(
        label="Search Google's Fact Check Tools for each claim logged",
        required=False,
    )
