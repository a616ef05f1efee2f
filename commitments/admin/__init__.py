"""The analysts' workbench in Django's admin, one module per aggregate. Importing them
registers their ModelAdmins (Django's autodiscovery imports this package); `accounts`
registers other apps' pages again with the same guard on their history."""

from django.contrib import admin

from . import accounts
from .assessments import StatusUpdateAdmin
from .commitments import CommitmentAdmin
from .releases import DataReleaseAdmin
from .signin import SignInForm
from .sources import QuoteAdmin, SourceDocumentAdmin
from .suggestions import SuggestionAdmin

admin.site.login_form = SignInForm

__all__ = [
    "CommitmentAdmin",
    "DataReleaseAdmin",
    "accounts",
    "QuoteAdmin",
    "SourceDocumentAdmin",
    "StatusUpdateAdmin",
    "SuggestionAdmin",
]
