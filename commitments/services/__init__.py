"""Every write that has rules, in a transaction, checking the acting user's permissions
(their names are in roles). The admin, the management commands and the tests all call
these; nothing else writes a record that has rules.

One module per aggregate; the functions are re-exported here (`services.save_commitment`)."""

from .assessments import (
    approve_status_update,
    current_status_of,
    history_errors,
    kind_error,
    record_status_update,
    refresh_current_status,
    return_status_update,
)
from .commitments import (
    DERIVED_FIELDS,
    NUMERIC_TARGET_FIELDS,
    SORT_KEY_FIELDS,
    TARGET_FIELDS,
    StaleEditError,
    attach_quote,
    delete_criterion,
    primary_source_title,
    refresh_primary_source,
    save_commitment,
    save_criterion,
    set_published,
)
from .method import criteria_errors
from .releases import check_release, previous_release, record_release, release_version
from .sources import save_document, save_quote
from .suggestions import handle_suggestion, receive_suggestion

__all__ = [
    "check_release",
    "previous_release",
    "record_release",
    "release_version",
    "DERIVED_FIELDS",
    "SORT_KEY_FIELDS",
    "NUMERIC_TARGET_FIELDS",
    "TARGET_FIELDS",
    "StaleEditError",
    "approve_status_update",
    "attach_quote",
    "criteria_errors",
    "current_status_of",
    "delete_criterion",
    "history_errors",
    "kind_error",
    "primary_source_title",
    "record_status_update",
    "refresh_current_status",
    "refresh_primary_source",
    "return_status_update",
    "save_commitment",
    "save_criterion",
    "save_document",
    "save_quote",
    "handle_suggestion",
    "receive_suggestion",
    "set_published",
]
