"""Criteria now live in SuccessCriterion rows (0007 copied them)."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("commitments", "0009_criteria_from_text")]

    operations = [
        migrations.RemoveField(
            model_name="commitment",
            name="success_criteria",
        ),
        migrations.RemoveField(
            model_name="historicalcommitment",
            name="success_criteria",
        ),
    ]
