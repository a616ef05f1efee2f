"""The analysts' workbench in Django's admin, one module per aggregate. Importing them
registers their ModelAdmins (Django's autodiscovery imports this package)."""

from .assessments import StatusUpdateAdmin
from .commitments import CommitmentAdmin
from .sources import QuoteAdmin, SourceDocumentAdmin

__all__ = ["CommitmentAdmin", "QuoteAdmin", "SourceDocumentAdmin", "StatusUpdateAdmin"]
