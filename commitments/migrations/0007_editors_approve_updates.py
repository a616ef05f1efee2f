from django.db import migrations


class Migration(migrations.Migration):
    """Editors may approve status updates recorded by others (two-person review)."""

    dependencies = [("commitments", "0006_status_update_review")]

    # The roles were once synchronised here. They now are after every migrate, from
    # commitments/services/roles.py (a post_migrate receiver), so no migration imports live code.
    operations = []
