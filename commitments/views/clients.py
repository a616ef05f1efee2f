"""The address a request comes from, as far as this server can trust it: what sign-in
lockouts (admin/signin.py, django-axes) and the tell-us form's rate limit count against."""

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str | None) -> str | None:
    """`text` as an IP address, or None if it is not one (a database would refuse it)."""
    try:
        return str(ipaddress.ip_address((text or "").strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The address to count sign-in failures and readers' suggestions against.

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
