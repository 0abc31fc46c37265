from __future__ import annotations

from django import forms

from factdesk.privacy.services import REPLACEMENT


class RedactForm(forms.Form):
    name = forms.CharField(
        max_length=200,
        label="The person's name, as the desk wrote it",
        error_messages={"required": "Give the person's name."},
    )
    replacement = forms.CharField(
        max_length=100,
        initial=REPLACEMENT,
        label="What reads in its place",
        error_messages={"required": "Say what reads in the name's place."},
    )
    claims = forms.CharField(
        required=False,
        max_length=2000,
        label="Only these claims (numbers, separated by spaces or commas; empty: every claim)",
    )
    confirmed_by_publisher = forms.BooleanField(
        required=False, label="Confirmed by a publisher (needed for published fact checks)"
    )

    def clean_claims(self) -> list[int]:
        text = self.cleaned_data["claims"].replace(",", " ")
        numbers = []
        for word in text.split():
            if not (word.isascii() and word.isdigit()) or len(word) > 18:
                raise forms.ValidationError(f"\u201c{word[:20]}\u201d is not a claim number.")
            numbers.append(int(word))
        return numbers


class EraseForm(forms.Form):
    confirmed_by_publisher = forms.BooleanField(
        required=False, label="Confirmed by a publisher (needed when they wrote published verdicts)"
    )
