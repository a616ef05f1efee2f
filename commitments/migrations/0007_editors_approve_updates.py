from django.db import migrations

from commitments.migrations._roles import create_roles


class Migration(migrations.Migration):
    """Editors may approve status updates recorded by others (two-person review)."""

    dependencies = [("commitments", "0006_status_update_review")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
