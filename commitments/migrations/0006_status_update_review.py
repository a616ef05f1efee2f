"""Two-person review of status updates; existing updates become approved."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0005_listing_indexes'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='statusupdate',
            options={'get_latest_by': ('as_of', 'recorded_at', 'id'), 'ordering': ('-as_of', '-recorded_at', '-id'), 'permissions': (('approve_statusupdate', 'Can approve status updates recorded by others'),)},
        ),
        # Updates recorded before review existed were checked when they were extracted:
        # they are added as approved, and only then does the default become "pending".
        migrations.AddField(
            model_name='statusupdate',
            name='review_state',
            field=models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved')], db_index=True, default='approved', editable=False, max_length=10),
        ),
        migrations.AlterField(
            model_name='statusupdate',
            name='review_state',
            field=models.CharField(choices=[('pending', 'Pending review'), ('approved', 'Approved')], db_index=True, default='pending', editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='reviewed_at',
            field=models.DateTimeField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='reviewed_by',
            field=models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('review_state__in', ['pending', 'approved'])), name='status_update_review_state_valid'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('reviewed_by__isnull', True), ('recorded_by__isnull', True), models.Q(('reviewed_by', models.F('recorded_by')), _negated=True), _connector='OR'), name='status_update_reviewer_is_not_author'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('review_state', 'pending'), _negated=True), models.Q(('reviewed_at__isnull', True), ('reviewed_by__isnull', True)), _connector='OR'), name='status_update_pending_is_unreviewed'),
        ),
    ]
