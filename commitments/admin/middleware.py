"""Request checks for the admin."""

from django.core.exceptions import BadRequest
from django.urls import reverse
from django.utils import translation


class AdminOnlyMiddleware:
    """A middleware that acts on the admin's addresses only (its prefix reversed once, at
    the first request, when the URLconf is loaded): subclasses say what in `on_admin`."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.admin_prefix: str | None = None

    def __call__(self, request):
        if self.admin_prefix is None:
            self.admin_prefix = reverse("admin:index")
        if request.path.startswith(self.admin_prefix):
            self.on_admin(request)
        return self.get_response(request)

    def on_admin(self, request) -> None:
        raise NotImplementedError


class RejectNulBytesInAdminMiddleware(AdminOnlyMiddleware):
    """A NUL byte in a query string is never meaningful, and PostgreSQL refuses it in text
    (a 500 from the admin's list filters and autocomplete): the admin answers 400 first.
    Public pages need no help: their forms already report it as a filter error."""

    def on_admin(self, request) -> None:
        if any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists()):
            raise BadRequest("NUL byte in the query string")


class AdminLanguageMiddleware(AdminOnlyMiddleware):
    """The admin in the analyst's language. LocaleMiddleware answers every unprefixed address
    in English (the public site's English pages have no /en/ prefix), the admin included; here
    the admin takes the language the analyst chose (the switch in its header sets a cookie),
    else the browser's. After LocaleMiddleware, which still sets Content-Language from it."""

    def on_admin(self, request) -> None:
        language = translation.get_language_from_request(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
