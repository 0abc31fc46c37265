"""The article pages' forms: adding an article (pasted or by URL), its text, a claim from it."""

from __future__ import annotations

from django import forms

from factdesk.claims.forms import ClaimantFields


class ArticleForm(forms.Form):
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
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text="Paste the full text. Claims are anchored to it.",
    )


class ArticleUrlForm(forms.Form):
    # A CharField: the service says what is wrong with an address, in words.
    url = forms.CharField(
        label="Article URL",
        max_length=2000,
        widget=forms.URLInput(attrs={"placeholder": "https://…"}),
        help_text="factdesk fetches and archives the page, then fills in its text, headline, "
        "byline, outlet and date.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.auto_id = "id_byurl_%s"


class ArticleTextForm(forms.Form):
    text = forms.CharField(
        label="Article text",
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text="Paste the full text. Claims are anchored to it.",
    )


class ClaimFromArticleForm(ClaimantFields):
    quote = forms.CharField(
        label="Exact words",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Select them in the article, or paste them exactly as they appear.",
    )
    quote_start = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    quote_end = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)
    text = forms.CharField(
        label="The claim, as the desk words it", widget=forms.Textarea(attrs={"rows": 2})
    )
    claimed_on = forms.DateField(
        label="Date of the claim",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Defaults to the article's date.",
    )
