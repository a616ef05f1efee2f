from django.db import migrations

from commitments.migrations._roles import create_roles


class Migration(migrations.Migration):
    """Analysts and editors write success criteria and record restatements."""

    dependencies = [("commitments", "0010_remove_commitment_success_criteria")]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
