"""The audit trail (django-simple-history) for criteria and restatements."""

import django.db.models.deletion
import simple_history.models
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0011_roles_for_criteria_and_restatements'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='HistoricalRestatement',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('kind', models.CharField(choices=[('reaffirmed', 'Reaffirmed'), ('figure_changed', 'Figure changed'), ('deadline_changed', 'Deadline changed'), ('scope_changed', 'Scope or wording changed')], default='reaffirmed', max_length=20)),
                ('stated_on', models.DateField(help_text='When the restatement was made.')),
                ('stated_on_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', help_text='How precisely the source dates it. Store the first day of the month or year when only that is known; pages show only what is known.', max_length=5)),
                ('change', models.TextField(blank=True, help_text='What it changes (a smaller figure, a new deadline); empty for a reaffirmation.')),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commitment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='commitments.commitment')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
                ('quote', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='commitments.quote')),
            ],
            options={
                'verbose_name': 'historical restatement',
                'verbose_name_plural': 'historical restatements',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
        migrations.CreateModel(
            name='HistoricalSuccessCriterion',
            fields=[
                ('id', models.BigIntegerField(auto_created=True, blank=True, db_index=True, verbose_name='ID')),
                ('created_at', models.DateTimeField(blank=True, editable=False)),
                ('updated_at', models.DateTimeField(blank=True, editable=False)),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='Order on the page.')),
                ('text', models.TextField(help_text='In plain words, what would count as achieved. It must follow from what the quotes commit to; write it before the first assessment.')),
                ('assessment', models.CharField(choices=[('not_assessed', 'Not yet assessed'), ('met', 'Met'), ('not_met', 'Not met'), ('no_longer_applicable', 'No longer applicable')], default='not_assessed', max_length=20)),
                ('evidence', models.TextField(blank=True, help_text='Required once assessed: what shows it is met, not met or no longer applicable.')),
                ('assessed_on', models.DateField(blank=True, help_text='The date the assessment describes.', null=True)),
                ('history_id', models.AutoField(primary_key=True, serialize=False)),
                ('history_date', models.DateTimeField(db_index=True)),
                ('history_change_reason', models.CharField(max_length=100, null=True)),
                ('history_type', models.CharField(choices=[('+', 'Created'), ('~', 'Changed'), ('-', 'Deleted')], max_length=1)),
                ('commitment', models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='commitments.commitment')),
                ('history_user', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'verbose_name': 'historical success criterion',
                'verbose_name_plural': 'historical success criteria',
                'ordering': ('-history_date', '-history_id'),
                'get_latest_by': ('history_date', 'history_id'),
            },
            bases=(simple_history.models.HistoricalChanges, models.Model),
        ),
    ]
