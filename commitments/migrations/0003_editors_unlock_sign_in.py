from django.db import migrations

from commitments.migrations._roles import create_roles


class Migration(migrations.Migration):
    """Editors may now unlock a colleague's sign-in (django-axes access attempts)."""

    dependencies = [
        ("commitments", "0002_roles"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(create_roles, migrations.RunPython.noop)]
