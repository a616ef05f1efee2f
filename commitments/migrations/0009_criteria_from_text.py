"""Each commitment's criteria paragraph becomes its first criterion (0008 then drops the column)."""

from django.db import migrations


def criteria_from_text(apps, schema_editor):
    """Each commitment's criteria paragraph becomes its first criterion, not yet assessed."""
    Commitment = apps.get_model("commitments", "Commitment")
    SuccessCriterion = apps.get_model("commitments", "SuccessCriterion")
    SuccessCriterion.objects.bulk_create(
        SuccessCriterion(commitment_id=pk, position=1, text=text.strip())
        for pk, text in Commitment.objects.exclude(success_criteria="").values_list("pk", "success_criteria")
    )


def criteria_to_text(apps, schema_editor):
    Commitment = apps.get_model("commitments", "Commitment")
    for commitment in Commitment.objects.prefetch_related("criteria"):
        commitment.success_criteria = "\n\n".join(c.text for c in commitment.criteria.order_by("position", "id"))
        commitment.save(update_fields=["success_criteria"])


class Migration(migrations.Migration):
    dependencies = [("commitments", "0008_assessment_method")]

    operations = [migrations.RunPython(criteria_from_text, criteria_to_text)]
