"""The analysts' workbench in Django's admin, one module per aggregate. Importing them
registers their ModelAdmins (Django's autodiscovery imports this package); `accounts`
registers other apps' pages again with the same guard on their history."""

from . import accounts
from .assessments import StatusUpdateAdmin
from .commitments import CommitmentAdmin
from .sources import QuoteAdmin, SourceDocumentAdmin

__all__ = ["CommitmentAdmin", "accounts", "QuoteAdmin", "SourceDocumentAdmin", "StatusUpdateAdmin"]
