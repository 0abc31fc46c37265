from django import forms

from factdesk.signin.twofactor import CODE_MAX


class CodeForm(forms.Form):
    code = forms.CharField(
        label="Code",
        max_length=CODE_MAX,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}
        ),
        error_messages={
            "required": "Type the six-digit code your app shows, or a recovery code.",
            "max_length": "A code is six digits, or a recovery code like abcde-fghjk.",
        },
    )


class SecuritySettingsForm(forms.Form):
    require_two_factor_for_editors = forms.BooleanField(
        label="Require two-factor sign-in for editors and publishers", required=False
    )
