"""The tracker's records: documents, the quotes taken from them, the commitments those
quotes make, and the append-only, reviewed status history of each commitment.

One module per aggregate; everything is re-exported here, so `from commitments.models
import Commitment` is the one way to import a model."""

from .assessments import NEWEST_FIRST, CorrectsShown, StatusUpdate, StatusUpdateQuerySet
from .commitments import (
    Commitment,
    CommitmentQuerySet,
    CommitmentQuote,
    assessment_due,
    past_deadline,
)
from .common import (
    DatePrecision,
    HttpsURLField,
    TimeStampedModel,
    Year,
    compiled_rows,
    distinct_values,
    end_of,
    percent_of,
    rows_of,
    wholly_before,
)
from .criteria import Restatement, RestatementKind, SuccessCriterion
from .dataversion import DataVersion, PublicDataVersion, read_public_data_version
from .ingestion import DocumentFile, MediaType, Passage, Suggestion, SuggestionState
from .method import (
    ALLOWED_FOR_KIND,
    FINAL,
    JUDGED,
    METHOD_VERSION,
    NEEDS_REASON,
    STAGE_FAMILIES,
    CriterionAssessment,
    DateBasis,
    ProgressStage,
    ReasonCode,
    ReviewState,
    StatementKind,
    Status,
    stage_family,
)
from .releases import DataRelease
from .search import SearchChange, SearchEntry, SearchKind, SearchWord
from .sorting import FrenchTitle
from .sources import DOCUMENT_ORDER, LINK_ORDER, DocumentKind, Language, Quote, QuoteLanguage, SourceDocument
from .sourcetext import CommitmentSourceText
from .suggestions import ReaderSuggestion
from .vocabularies import Body, Pillar, QuoteRole, TargetUnit, Theme

__all__ = [
    "DataVersion",
    "PublicDataVersion",
    "read_public_data_version",
    "ALLOWED_FOR_KIND",
    "DataRelease",
    "DocumentFile",
    "MediaType",
    "Passage",
    "Suggestion",
    "SuggestionState",
    "SearchChange",
    "SearchEntry",
    "SearchKind",
    "SearchWord",
    "DOCUMENT_ORDER",
    "LINK_ORDER",
    "FINAL",
    "JUDGED",
    "METHOD_VERSION",
    "NEEDS_REASON",
    "NEWEST_FIRST",
    "STAGE_FAMILIES",
    "Body",
    "Commitment",
    "CommitmentSourceText",
    "CommitmentQuerySet",
    "CommitmentQuote",
    "CorrectsShown",
    "CriterionAssessment",
    "DateBasis",
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
    "StatementKind",
    "Status",
    "StatusUpdate",
    "StatusUpdateQuerySet",
    "ReaderSuggestion",
    "SuccessCriterion",
    "TargetUnit",
    "Theme",
    "TimeStampedModel",
    "FrenchTitle",
    "Year",
    "assessment_due",
    "end_of",
    "past_deadline",
    "percent_of",
    "compiled_rows",
    "distinct_values",
    "rows_of",
    "stage_family",
    "wholly_before",
]
