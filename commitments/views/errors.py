"""The site's error responses.

A database outage (PostgreSQL restarting, a dropped connection) is not a bug in the page:
it answers 503 with Retry-After, so a client or proxy knows to try again, rather than 500.
"""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token

RETRY_AFTER_SECONDS = 5


@requires_csrf_token
def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: Django calls it while the exception is being handled, so exc_info is set."""
    _, error, _ = sys.exc_info()
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(loader.render_to_string("503.html"), status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return HttpResponse(loader.render_to_string("500.html"), status=500)
