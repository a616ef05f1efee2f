from django.db import migrations


class Migration(migrations.Migration):
    """Analysts and editors write success criteria and record restatements."""

    dependencies = [("commitments", "0010_remove_commitment_success_criteria")]

    # The roles were once synchronised here. They now are after every migrate, from
    # commitments/services/roles.py (a post_migrate receiver), so no migration imports live code.
    operations = []
