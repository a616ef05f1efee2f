from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    # The roles were once synchronised here. They now are after every migrate, from
    # commitments/services/roles.py (a post_migrate receiver), so no migration imports live code.
    operations = []
