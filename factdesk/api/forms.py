from django import forms

from factdesk.api.models import ApiToken
from factdesk.api.services import NAME_MAX
from factdesk.core.idempotency import IdempotentForm


class ApiTokenForm(IdempotentForm):
    name = forms.CharField(
        label="What will use it",
        max_length=NAME_MAX,
        help_text="e.g. \u201cCMS import\u201d or \u201cSpreadsheet sync\u201d.",
        error_messages={
            "required": "Name the token after what will use it.",
            "max_length": f"Keep the name to {NAME_MAX} characters (it has %(show_value)s).",
        },
    )
    scope = forms.ChoiceField(
        label="It may",
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose read only, or read and write."},
    )
