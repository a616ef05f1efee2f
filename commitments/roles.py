"""Who may do what. Migrations and `manage.py sync_roles` apply this matrix."""

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
# withdraw and delete, and unlock a colleague locked out of signing in
# (deleting the django-axes access attempt lifts the lock).
EDITOR_PERMISSIONS = ANALYST_PERMISSIONS | frozenset(
    [f"commitments.delete_{model}" for model in _EDITABLE]
    + [
        "commitments.approve_statusupdate",
        "commitments.publish_commitment",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ]
)

ROLES = {ANALYST: ANALYST_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS}


def sync_roles(apps, *, app_labels: frozenset[str] | None = None, skip_undefined: bool = False) -> None:
    """Create the groups and give each exactly its permissions (historical `apps` welcome).

    `app_labels` limits the matrix to those apps: an early migration runs before the other
    apps' tables (django-axes') exist. An early migration also runs with today's matrix,
    before later migrations define some of its permissions: `skip_undefined` lets it grant
    what exists then; the later migration that defines a permission syncs again and grants it.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, permission_names in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = {tuple(permission_name.split(".")) for permission_name in permission_names}
        if app_labels is not None:
            wanted = {(app, codename) for app, codename in wanted if app in app_labels}
        found = {
            (permission.content_type.app_label, permission.codename): permission
            for permission in Permission.objects.select_related("content_type").filter(
                codename__in={codename for _, codename in wanted}
            )
        }
        missing = wanted - found.keys()
        if missing and skip_undefined:
            wanted -= missing
        elif missing:
            raise LookupError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.set(found[key] for key in wanted)
