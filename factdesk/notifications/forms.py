from django import forms

from factdesk.notifications.models import Kind
from factdesk.notifications.services import ADDRESS_MAX


class EmailPreferenceForm(forms.Form):
    enabled = forms.BooleanField(required=False, label="Email me about notifications")
    address = forms.EmailField(
        required=False,
        max_length=ADDRESS_MAX,
        label="Send to",
        help_text=f"Leave empty to use your account's address. At most {ADDRESS_MAX} characters.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
        error_messages={
            "invalid": "That is not an email address (it looks like name@example.org).",
            "max_length": (
                "An email address has at most %(limit_value)d characters; this one has "
                "%(show_value)d."
            ),
        },
    )
    kinds = forms.MultipleChoiceField(
        required=False,
        choices=Kind.choices,
        widget=forms.CheckboxSelectMultiple,
        label="About",
        error_messages={"invalid_choice": "There is no notification called %(value)s."},
    )


class FollowForm(forms.Form):
    following = forms.TypedChoiceField(
        choices=[("1", "Follow"), ("0", "Stop following")],
        coerce=lambda value: value == "1",
        error_messages={"required": "Say whether to follow the claim or stop following it."},
    )
