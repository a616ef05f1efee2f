"""Shared by the role migrations (the leading underscore keeps it out of the migration graph)."""

from django.contrib.auth.management import create_permissions

from commitments.roles import sync_roles


def create_roles(apps, schema_editor, *, app_labels=None):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    sync_roles(apps, app_labels=app_labels, skip_undefined=True)
