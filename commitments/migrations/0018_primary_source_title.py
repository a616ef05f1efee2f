"""The source sort's key stored on the commitment (issue 8), filled for existing rows."""

from django.db import migrations, models
from django.db.models import F, OuterRef, Subquery


def fill_primary_source_title(apps, schema_editor):
    # As services.refresh_primary_source: the earliest document whose words made each commitment.
    Commitment = apps.get_model("commitments", "Commitment")
    CommitmentQuote = apps.get_model("commitments", "CommitmentQuote")
    made_links = CommitmentQuote.objects.filter(commitment=OuterRef("pk"), role="made").order_by(
        F("quote__source__issued_on").asc(nulls_last=True), "quote_id"
    )
    Commitment.objects.update(primary_source_title=Subquery(made_links.values("quote__source__title")[:1]))


class Migration(migrations.Migration):
    dependencies = [
        ("commitments", "0017_status_sort_index"),
    ]

    operations = [
        migrations.AddField(
            model_name="commitment",
            name="primary_source_title",
            field=models.CharField(blank=True, editable=False, max_length=300, null=True),
        ),
        migrations.RunPython(fill_primary_source_title, migrations.RunPython.noop),
        # After the fill, so the index is built once rather than kept through 10,000s of updates.
        migrations.AddIndex(
            model_name="commitment",
            index=models.Index(fields=["primary_source_title", "title", "id"], name="commitment_source_title_idx"),
        ),
    ]
