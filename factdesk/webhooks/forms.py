from django import forms

from factdesk.core.idempotency import IdempotentForm
from factdesk.webhooks.models import Event

URL_MAX = 2000


class SubscriptionForm(IdempotentForm):
    url = forms.CharField(
        label="Address to send to",
        max_length=URL_MAX,
        help_text="Your system's endpoint; it receives a signed POST for each event.",
        widget=forms.URLInput(attrs={"placeholder": "https://cms.example.org/hooks/factdesk"}),
        error_messages={
            "required": "Paste the address your system receives webhooks at.",
            "max_length": f"A web address is at most {URL_MAX:,} characters (this one has "
            "%(show_value)s).",
        },
    )
    events = forms.MultipleChoiceField(
        label="Tell it when",
        choices=Event.choices,
        initial=Event.values,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one event to be told about.",
            "invalid_choice": "There is no event called %(value)s.",
        },
    )
    description = forms.CharField(
        label="What it is for",
        required=False,
        max_length=200,
        help_text="For the desk's eyes, e.g. \u201cThe CMS's fact-check box\u201d.",
        error_messages={
            "max_length": "Keep the description to 200 characters (it has %(show_value)s)."
        },
    )
