from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.contrib.auth.models import User
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.validators import MaxLengthValidator

from factdesk.accounts.roles import Role
from factdesk.accounts.services import ADDRESS_MAX
from factdesk.core.idempotency import IdempotentForm

# Hashing a password costs the same whatever its length, but a megabyte pasted into the field
# should be refused, not hashed.
PASSWORD_MAX = 4096


class LoginForm(AuthenticationForm):
    """Django's login form, with the username's length checked before anyone is asked.

    AuthenticationForm sets the field's max_length after the field is built, so no length
    validator is made: an over-size username reached the login-failure log (django-axes'
    255-character column) and failed with a server error."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["username"]
        if isinstance(field, forms.CharField) and field.max_length is not None:
            field.validators.append(MaxLengthValidator(field.max_length))


class InvitationForm(IdempotentForm):
    email = forms.CharField(
        label="Their email address",
        max_length=ADDRESS_MAX,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
        error_messages={
            "required": "Give the email address to send the invitation to.",
            "max_length": f"An email address has at most {ADDRESS_MAX} characters "
            "(this has %(show_value)s): check what was pasted.",
        },
    )
    role = forms.ChoiceField(
        label="They join as",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the role they join as.",
            "invalid_choice": "Choose one of the roles listed.",
        },
    )

    def __init__(self, *args, roles: tuple[Role, ...], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["role"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(role.value, role.value.capitalize()) for role in roles]
        if len(roles) == 1:
            field.initial = roles[0].value


class InvitationAcceptForm(forms.Form):
    """The new account's username, name and password, the password checked by Django's
    validators against the account it will belong to."""

    username = forms.CharField(
        label="Username",
        max_length=150,
        help_text="What you log in with, and how colleagues @mention you: letters, digits "
        "and @ . + - _ only.",
        validators=[UnicodeUsernameValidator()],
        error_messages={
            "required": "Choose a username to log in with.",
            "max_length": "A username is at most 150 characters (this has %(show_value)s).",
        },
    )
    first_name = forms.CharField(
        label="First name",
        max_length=150,
        error_messages={
            "required": "Give your first name, as colleagues will see it.",
            "max_length": "Keep your first name to 150 characters.",
        },
    )
    last_name = forms.CharField(
        label="Last name",
        max_length=150,
        required=False,
        error_messages={"max_length": "Keep your last name to 150 characters."},
    )
    password1 = forms.CharField(
        label="Password",
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=password_validation.password_validators_help_text_html(),
        error_messages={
            "required": "Choose a password.",
            "max_length": f"Keep the password to {PASSWORD_MAX} characters.",
        },
    )
    password2 = forms.CharField(
        label="The password again",
        strip=False,
        max_length=PASSWORD_MAX,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        error_messages={
            "required": "Type the password a second time, to be sure of it.",
            "max_length": f"Keep the password to {PASSWORD_MAX} characters.",
        },
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_username(self) -> str:
        username = self.cleaned_data["username"].strip()
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError(
                f"The username \u201c{username}\u201d is taken: choose another."
            )
        return username

    def clean(self) -> dict:
        cleaned = super().clean() or {}
        first, second = cleaned.get("password1"), cleaned.get("password2")
        if first and second and first != second:
            self.add_error("password2", "The two passwords differ: type the same one twice.")
        elif first:
            account = User(
                username=cleaned.get("username", ""),
                first_name=cleaned.get("first_name", ""),
                last_name=cleaned.get("last_name", ""),
                email=self.email,
            )
            try:
                password_validation.validate_password(first, account)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class PasswordResetRequestForm(PasswordResetForm):
    """Django's form, its address's errors in the desk's words. Whether an account has the
    address is never said: the next page is the same either way."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages.update(
            {
                "required": "Give the email address of your account.",
                "invalid": "That is not an email address: it should look like "
                "name@newsroom.example.",
                "max_length": f"An email address has at most {ADDRESS_MAX} characters: check "
                "what was pasted.",
            }
        )


def capped_passwords(form_class: type[forms.Form]) -> type[forms.Form]:
    """`form_class` (one of Django's password forms) refusing a password longer than
    PASSWORD_MAX in words, before it is hashed or compared with anything."""

    class Capped(form_class):  # type: ignore[valid-type,misc]
        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            for field in self.fields.values():
                field.validators.append(
                    MaxLengthValidator(
                        PASSWORD_MAX,
                        f"A password is at most {PASSWORD_MAX} characters: check what was pasted.",
                    )
                )

    Capped.__name__ = Capped.__qualname__ = f"Capped{form_class.__name__}"
    return Capped
