"""Who may do what. The migration `0002_roles` and `manage.py sync_roles` apply this matrix."""

ANALYST = "Analyst"
EDITOR = "Editor"

_EDITABLE = ("sourcedocument", "quote", "commitment", "commitmentquote")

# Analysts keep the record: add and change documents, quotes and commitments, and
# record status updates (which are append-only, so nobody changes them).
ANALYST_PERMISSIONS = frozenset(
    [f"{action}_{model}" for model in _EDITABLE for action in ("view", "add", "change")]
    + ["view_statusupdate", "add_statusupdate"]
)
# Editors also publish, withdraw and delete.
EDITOR_PERMISSIONS = ANALYST_PERMISSIONS | frozenset(
    [f"delete_{model}" for model in _EDITABLE] + ["publish_commitment"]
)

ROLES = {ANALYST: ANALYST_PERMISSIONS, EDITOR: EDITOR_PERMISSIONS}


def sync_roles(apps) -> None:
    """Create the groups and give each exactly its permissions (historical `apps` welcome)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(content_type__app_label="commitments", codename__in=codenames)
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise LookupError(f"Permissions not found for role {name}: {sorted(missing)}")
        group.permissions.set(permissions)
