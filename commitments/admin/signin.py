"""Signing in to the admin: the form, and the address a sign-in lockout counts against.

django-axes records each failed sign-in and locks an account out per (username, address)
after AXES_FAILURE_LIMIT failures. Behind proxies, the address is the one the outermost
trusted proxy received the request from.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator

from ..views.clients import client_address  # noqa: F401 (AXES_CLIENT_IP_CALLABLE names it here)


class SignInForm(AdminAuthenticationForm):
    """The admin's sign-in form, refusing a username longer than any account's (150) as a
    form error. Django sets that length on the input only, so a 2 MB username reached the
    authentication and django-axes stored it whole (SQLite grew by megabytes; PostgreSQL's
    varchar(255) refused it with a 500). An invalid username never reaches authentication,
    so nothing is recorded for it."""

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        username = self.fields["username"]
        username.validators.append(MaxLengthValidator(self.username_field.max_length or 150))
