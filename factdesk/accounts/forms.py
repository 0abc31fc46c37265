from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.core.validators import MaxLengthValidator


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
