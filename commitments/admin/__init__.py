"""The analysts' workbench in Django's admin, one module per aggregate. Importing them
registers their ModelAdmins (Django's autodiscovery imports this package); `accounts`
registers other apps' pages again with the same guard on their history."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import accounts, autocomplete
from .assessments import StatusUpdateAdmin
from .commitments import CommitmentAdmin
from .releases import DataReleaseAdmin
from .signin import SignInForm
from .sources import QuoteAdmin, SourceDocumentAdmin
from .suggestions import SuggestionAdmin

admin.site.login_form = SignInForm
admin.site.site_header = admin.site.site_title = _("Commitment Tracker — analysts")
admin.site.index_title = _("The workbench")
# The side menu took a quarter of a 1280 px screen from every list and form; the home page
# and the breadcrumbs lead everywhere it did.
admin.site.enable_nav_sidebar = False
admin.site.autocomplete_view = autocomplete.autocomplete_view  # type: ignore[method-assign]

__all__ = [
    "CommitmentAdmin",
    "DataReleaseAdmin",
    "accounts",
    "QuoteAdmin",
    "SourceDocumentAdmin",
    "StatusUpdateAdmin",
    "SuggestionAdmin",
]
