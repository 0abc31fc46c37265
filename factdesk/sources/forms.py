from django import forms

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
