from django.db import migrations


class Migration(migrations.Migration):
    """Editors may now unlock a colleague's sign-in (django-axes access attempts)."""

    dependencies = [
        ("commitments", "0002_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    # The roles were once synchronised here. They now are after every migrate, from
    # commitments/services/roles.py (a post_migrate receiver), so no migration imports live code.
    operations = []
