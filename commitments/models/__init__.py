"""The tracker's records: documents, the quotes taken from them, the commitments those
quotes make, and the append-only, reviewed status history of each commitment.

One module per aggregate; everything is re-exported here, so `from commitments.models
import Commitment` is the one way to import a model."""

from .assessments import NEWEST_FIRST, CorrectsShown, StatusUpdate, StatusUpdateQuerySet
from .commitments import (
    Commitment,
    CommitmentQuerySet,
    CommitmentQuote,
    Pillar,
    QuoteRole,
    Restatement,
    RestatementKind,
    SuccessCriterion,
    Theme,
)
from .common import DatePrecision, HttpsURLField, TimeStampedModel, Year, percent_of
from .method import (
    JUDGED,
    METHOD_VERSION,
    NEEDS_REASON,
    STAGE_FAMILIES,
    CriterionAssessment,
    ProgressStage,
    ReasonCode,
    ReviewState,
    Status,
    stage_family,
)
from .releases import DataRelease
from .sources import DOCUMENT_ORDER, DocumentKind, Language, Quote, QuoteLanguage, SourceDocument

__all__ = [
    "DataRelease",
    "DOCUMENT_ORDER",
    "JUDGED",
    "METHOD_VERSION",
    "NEEDS_REASON",
    "NEWEST_FIRST",
    "STAGE_FAMILIES",
    "Commitment",
    "CommitmentQuerySet",
    "CommitmentQuote",
    "CorrectsShown",
    "CriterionAssessment",
    "DatePrecision",
    "DocumentKind",
    "HttpsURLField",
    "Language",
    "Pillar",
    "ProgressStage",
    "Quote",
    "QuoteLanguage",
    "QuoteRole",
    "ReasonCode",
    "Restatement",
    "RestatementKind",
    "ReviewState",
    "SourceDocument",
    "Status",
    "StatusUpdate",
    "StatusUpdateQuerySet",
    "SuccessCriterion",
    "Theme",
    "TimeStampedModel",
    "Year",
    "percent_of",
    "stage_family",
]
