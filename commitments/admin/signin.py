"""Signing in to the admin: the form, and the address a sign-in lockout counts against.

django-axes records each failed sign-in and locks an account out per (username, address)
after AXES_FAILURE_LIMIT failures. Behind proxies, the address is the one the outermost
trusted proxy received the request from.
"""

import ipaddress

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.validators import MaxLengthValidator
from django.http import HttpRequest


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


def _address(text: str | None) -> str | None:
    """`text` as an IP address, or None if it is not one (a database would refuse it)."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address to count sign-in failures against (django-axes' AXES_CLIENT_IP_CALLABLE).

    With TRUSTED_PROXY_COUNT = 0, the connection's own address (REMOTE_ADDR); X-Forwarded-For
    is the client's to write, so it is ignored. With N trusted proxies, each appending the
    address it received from (nginx's $proxy_add_x_forwarded_for), the header reads
    "whatever the client sent, client, proxy 1, …, proxy N-1": the N-th entry from the right
    is the client's address as the outermost proxy saw it, and everything to its left is the
    client's own invention, never read. A header with fewer than N entries means a proxy was
    skipped; then only its right-most entry, added by the proxy that connected to us, is sure.
    Without the header, or with an entry that is not an address, REMOTE_ADDR (the proxy's:
    one count for everyone, but nothing a client can choose).
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if hops == [""]:
        return remote
    chosen = hops[-proxies] if len(hops) >= proxies else hops[-1]
    return _address(chosen) or remote
