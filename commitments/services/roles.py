"""Who may do what: the permissions the services check, and the Analyst/Editor matrix.

The matrix is applied after every `migrate` (sync_after_migrate, connected by the app's
config, as django.contrib.auth creates permissions) and by `manage.py sync_roles`."""

import logging
from typing import Any

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import DEFAULT_DB_ALIAS

logger = logging.getLogger(__name__)

# The permissions the services check.
ADD_COMMITMENT = "commitments.add_commitment"
CHANGE_COMMITMENT = "commitments.change_commitment"
PUBLISH_COMMITMENT = "commitments.publish_commitment"
ADD_DOCUMENT = "commitments.add_sourcedocument"
CHANGE_DOCUMENT = "commitments.change_sourcedocument"
ADD_QUOTE = "commitments.add_quote"
CHANGE_QUOTE = "commitments.change_quote"
LINK_QUOTE = "commitments.add_commitmentquote"
ADD_CRITERION = "commitments.add_successcriterion"
CHANGE_CRITERION = "commitments.change_successcriterion"
DELETE_CRITERION = "commitments.delete_successcriterion"
RECORD_STATUS_UPDATE = "commitments.add_statusupdate"
APPROVE_STATUS_UPDATE = "commitments.approve_statusupdate"
PUBLISH_RELEASE = "commitments.add_datarelease"
HANDLE_SUGGESTION = "commitments.change_readersuggestion"


# Whoever acts: a signed-in user, named on what they record or review.
Actor = User


def require(actor: Actor | None, permission: str, refusal: str) -> None:
    """Refuse `actor` a write their role does not allow. None is the system itself (loading
    the seed, a management command run by the operator); the admin and every view pass the
    signed-in user, so a person is always checked."""
    if actor is not None and not actor.has_perm(permission):
        raise PermissionDenied(refusal)


ANALYST = "Analyst"
EDITOR = "Editor"

_EDITABLE = ("sourcedocument", "quote", "commitment", "commitmentquote", "successcriterion", "restatement")

# Analysts keep the record: add and change documents, quotes and commitments, and
# record status updates (which are append-only, so nobody changes them).
ANALYST_PERMISSIONS = frozenset(
    [f"commitments.{action}_{model}" for model in _EDITABLE for action in ("view", "add", "change")]
    + ["commitments.view_statusupdate", "commitments.add_statusupdate"]
)
# Editors also approve status updates recorded by others (two-person review), publish,
# withdraw and delete, publish data releases, handle readers' suggestions (and delete spam),
# and unlock a colleague locked out of signing in (deleting the django-axes access attempt
# lifts the lock).
EDITOR_PERMISSIONS = ANALYST_PERMISSIONS | frozenset(
    [f"commitments.delete_{model}" for model in _EDITABLE]
    + [
        APPROVE_STATUS_UPDATE,
        PUBLISH_COMMITMENT,
        PUBLISH_RELEASE,
        "commitments.view_datarelease",
        "commitments.view_readersuggestion",
        HANDLE_SUGGESTION,
        "commitments.delete_readersuggestion",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ]
)

ROLES = {ANALYST: ANALYST_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS}


def sync_roles(
    apps, *, app_labels: frozenset[str] | None = None, skip_undefined: bool = False, using: str = DEFAULT_DB_ALIAS
) -> list[str]:
    """Create the groups and give each exactly its permissions (historical `apps` welcome).

    `app_labels` limits the matrix to those apps. `skip_undefined` grants what exists where a
    partial migrate (`migrate commitments 0002`) has not yet defined every permission; the
    migrate that defines them syncs again. Returns the permissions it could not grant.
    """
    undefined: list[str] = []
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permission_names in ROLES.items():
        group, _ = Group.objects.using(using).get_or_create(name=name)
        wanted = {tuple(permission_name.split(".")) for permission_name in permission_names}
        if app_labels is not None:
            wanted = {(app, codename) for app, codename in wanted if app in app_labels}
        found: dict[tuple[str, ...], Any] = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in Permission.objects.using(using)
            .select_related("content_type")
            .filter(codename__in={codename for _, codename in wanted})
        }
        missing = wanted - found.keys()
        if missing and skip_undefined:
            wanted -= missing
            undefined.extend(".".join(key) for key in sorted(missing))
        elif missing:
            raise LookupError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.set(found[key] for key in wanted)
    return undefined


def sync_after_migrate(sender, *, apps=global_apps, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver: the groups and their permissions after every migrate (and after
    a test's flush), from this matrix; migrations never import it."""
    # post_migrate reaches the apps one at a time, and the matrix names other apps'
    # permissions (django-axes'): create every app's first, as auth would after this one.
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, verbosity=0, using=using, apps=apps)
    undefined = sync_roles(apps, skip_undefined=True, using=using)
    if undefined:
        logger.warning("Roles synchronised without permissions not yet migrated: %s", ", ".join(undefined))
