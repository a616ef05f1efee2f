"""The public data's version (commitments.models.dataversion): its table. The triggers that
move it are made after every migrate (commitments.models.triggers), not here: a later
migration that rebuilds a table on SQLite would otherwise lose them."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("commitments", "0023_document_files"),
    ]

    operations = [
        migrations.CreateModel(
            name="PublicDataVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("counter", models.BigIntegerField(default=0)),
                ("changed_at", models.CharField(max_length=40)),
            ],
            options={"ordering": ("id",)},
        ),
    ]
