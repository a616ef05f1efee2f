"""Request checks for the admin."""

from django.core.exceptions import BadRequest
from django.urls import reverse


class RejectNulBytesInAdminMiddleware:
    """A NUL byte in a query string is never meaningful, and PostgreSQL refuses it in text
    (a 500 from the admin's list filters and autocomplete): the admin answers 400 first.
    Public pages need no help: their forms already report it as a filter error."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path.startswith(self.admin_prefix) and any(
            "\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()
        ):
            raise BadRequest("NUL byte in the query string")
        return self.get_response(request)
