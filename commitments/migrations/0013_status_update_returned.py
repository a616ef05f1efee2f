"""A reviewer may return a pending update to its author, saying why."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0012_criteria_and_restatement_history'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='statusupdate',
            name='status_update_review_state_valid',
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='review_note',
            field=models.TextField(blank=True, editable=False, help_text='Why a reviewer returned the update to its author.'),
        ),
        migrations.AlterField(
            model_name='statusupdate',
            name='review_state',
            field=models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved'), ('returned', 'Returned to its author')], db_index=True, default='pending', editable=False, max_length=10),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('review_state__in', ['pending', 'approved', 'returned'])), name='status_update_review_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state', 'returned'), _negated=True), models.Q(('reviewed_by__isnull', False), models.Q(('review_note', ''), _negated=True)), _connector='OR'), name='status_update_returned_says_why'),
        ),
    ]
