from django.db import migrations

from commitments.migrations._roles import create_roles


def create_first_roles(apps, schema_editor):
    # As first released: this app's permissions only (0003 adds unlocking sign-ins).
    create_roles(apps, schema_editor, app_labels=frozenset({"commitments"}))


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=["Analyst", "Editor"]).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_first_roles, remove_roles)]
