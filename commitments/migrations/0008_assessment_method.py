"""Criteria set in advance, reasons, stages, restatements, corrections, method versions."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('commitments', '0007_editors_approve_updates'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Restatement',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('kind', models.CharField(choices=[('reaffirmed', 'Reaffirmed'), ('figure_changed', 'Figure changed'), ('deadline_changed', 'Deadline changed'), ('scope_changed', 'Scope or wording changed')], default='reaffirmed', max_length=20)),
                ('stated_on', models.DateField(help_text='When the restatement was made.')),
                ('stated_on_precision', models.CharField(choices=[('day', 'day'), ('month', 'month'), ('year', 'year')], default='day', help_text='How precisely the source dates it. Store the first day of the month or year when only that is known; pages show only what is known.', max_length=5)),
                ('change', models.TextField(blank=True, help_text='What it changes (a smaller figure, a new deadline); empty for a reaffirmation.')),
            ],
            options={
                'ordering': ('commitment', 'stated_on', 'id'),
            },
        ),
        migrations.CreateModel(
            name='SuccessCriterion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True)),
                ('position', models.PositiveSmallIntegerField(default=1, help_text='Order on the page.')),
                ('text', models.TextField(help_text='In plain words, what would count as achieved. It must follow from what the quotes commit to; write it before the first assessment.')),
                ('assessment', models.CharField(choices=[('not_assessed', 'Not yet assessed'), ('met', 'Met'), ('not_met', 'Not met'), ('no_longer_applicable', 'No longer applicable')], default='not_assessed', max_length=20)),
                ('evidence', models.TextField(blank=True, help_text='Required once assessed: what shows it is met, not met or no longer applicable.')),
                ('assessed_on', models.DateField(blank=True, help_text='The date the assessment describes.', null=True)),
            ],
            options={
                'verbose_name': 'success criterion',
                'verbose_name_plural': 'success criteria',
                'ordering': ('commitment', 'position', 'id'),
            },
        ),
        migrations.AddField(
            model_name='commitment',
            name='current_progress_stage',
            field=models.CharField(blank=True, choices=[('announced', 'Announced'), ('allocated', 'Allocated'), ('disbursed', 'Disbursed'), ('pledged', 'Pledged'), ('deployed', 'Deployed')], editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='commitment',
            name='current_reason',
            field=models.CharField(blank=True, choices=[('not_prioritised', 'Not prioritised'), ('position_changed', 'Position changed'), ('blocked_by_others', 'Blocked by others'), ('overtaken_by_events', 'Overtaken by events'), ('delivered_by_another_actor', 'Delivered by another actor')], db_index=True, editable=False, max_length=30, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='historicalcommitment',
            name='current_progress_stage',
            field=models.CharField(blank=True, choices=[('announced', 'Announced'), ('allocated', 'Allocated'), ('disbursed', 'Disbursed'), ('pledged', 'Pledged'), ('deployed', 'Deployed')], editable=False, max_length=10),
        ),
        migrations.AddField(
            model_name='historicalcommitment',
            name='current_reason',
            field=models.CharField(blank=True, choices=[('not_prioritised', 'Not prioritised'), ('position_changed', 'Position changed'), ('blocked_by_others', 'Blocked by others'), ('overtaken_by_events', 'Overtaken by events'), ('delivered_by_another_actor', 'Delivered by another actor')], db_index=True, editable=False, max_length=30, verbose_name='reason'),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='correction_note',
            field=models.TextField(blank=True, help_text='With a correction: what was wrong in the update it corrects. Shown on /corrections/.'),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='method_version',
            field=models.CharField(default='1', editable=False, help_text='The version of the published method (/methodology/) this assessment followed.', max_length=10),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='progress_stage',
            field=models.CharField(blank=True, choices=[('announced', 'Announced'), ('allocated', 'Allocated'), ('disbursed', 'Disbursed'), ('pledged', 'Pledged'), ('deployed', 'Deployed')], help_text='What the reading measures. Money: announced, allocated or disbursed; people: pledged or deployed. Required with a reading: a pledge is never shown as a deployment.', max_length=10),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='reason_code',
            field=models.CharField(blank=True, choices=[('not_prioritised', 'Not prioritised'), ('position_changed', 'Position changed'), ('blocked_by_others', 'Blocked by others'), ('overtaken_by_events', 'Overtaken by events'), ('delivered_by_another_actor', 'Delivered by another actor')], help_text='Required for stalled, abandoned and partially achieved: why. Leave empty otherwise.', max_length=30),
        ),
        migrations.AddField(
            model_name='statusupdate',
            name='reason_text',
            field=models.TextField(blank=True, help_text='The reason in plain words, e.g. which body did not act, and what the record shows.'),
        ),
        migrations.AddConstraint(
            model_name='commitment',
            constraint=models.CheckConstraint(condition=models.Q(('current_reason', ''), ('current_reason__in', ['not_prioritised', 'position_changed', 'blocked_by_others', 'overtaken_by_events', 'delivered_by_another_actor']), _connector='OR'), name='commitment_reason_valid'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('reason_code', ''), models.Q(('reason_code__in', ['not_prioritised', 'position_changed', 'blocked_by_others', 'overtaken_by_events', 'delivered_by_another_actor']), ('status__in', ['stalled', 'abandoned', 'partially_achieved'])), _connector='OR'), name='status_update_reason_fits_status'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('progress_stage', ''), models.Q(('progress_stage__in', ['announced', 'allocated', 'disbursed', 'pledged', 'deployed']), ('progress_value__isnull', False)), _connector='OR'), name='status_update_stage_with_reading'),
        ),
        migrations.AddConstraint(
            model_name='statusupdate',
            constraint=models.CheckConstraint(condition=models.Q(('corrects__isnull', True), models.Q(('correction_note', ''), _negated=True), _connector='OR'), name='status_update_correction_says_what_was_wrong'),
        ),
        migrations.AddField(
            model_name='restatement',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='restatements', to='commitments.commitment'),
        ),
        migrations.AddField(
            model_name='restatement',
            name='quote',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='restatements', to='commitments.quote'),
        ),
        migrations.AddField(
            model_name='successcriterion',
            name='commitment',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='criteria', to='commitments.commitment'),
        ),
        migrations.AddConstraint(
            model_name='restatement',
            constraint=models.CheckConstraint(condition=models.Q(('kind__in', ['reaffirmed', 'figure_changed', 'deadline_changed', 'scope_changed'])), name='restatement_kind_valid'),
        ),
        migrations.AddConstraint(
            model_name='restatement',
            constraint=models.CheckConstraint(condition=models.Q(('stated_on_precision__in', ['day', 'month', 'year'])), name='restatement_precision_valid'),
        ),
        migrations.AddConstraint(
            model_name='restatement',
            constraint=models.CheckConstraint(condition=models.Q(('kind', 'reaffirmed'), models.Q(('change', ''), _negated=True), _connector='OR'), name='restatement_change_described'),
        ),
        migrations.AddConstraint(
            model_name='restatement',
            constraint=models.UniqueConstraint(fields=('commitment', 'quote'), name='restatement_quote_unique'),
        ),
        migrations.AddConstraint(
            model_name='successcriterion',
            constraint=models.CheckConstraint(condition=models.Q(('assessment__in', ['not_assessed', 'met', 'not_met', 'no_longer_applicable'])), name='criterion_assessment_valid'),
        ),
        migrations.AddConstraint(
            model_name='successcriterion',
            constraint=models.CheckConstraint(condition=models.Q(('text', ''), _negated=True), name='criterion_text_not_empty'),
        ),
        migrations.AddConstraint(
            model_name='successcriterion',
            constraint=models.CheckConstraint(condition=models.Q(('assessment', 'not_assessed'), models.Q(('evidence', ''), _negated=True), _connector='OR'), name='criterion_assessed_has_evidence'),
        ),
    ]
