from django import forms

from factdesk.sources.models import Citation


class CitationForm(forms.Form):
    url = forms.CharField(label="Source URL", max_length=2000)
    stance = forms.ChoiceField(choices=Citation.Stance.choices, initial=Citation.Stance.CONTEXT)
    note = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="What this source shows, for the next person.",
    )
