"""Loyalty: tiers, ledger, tier history, the tier audit trail, on-site notifications (issue 7)."""

import django.core.validators
import django.db.models.deletion
import django.utils.timezone
import re
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0004_trips'),
    ]

    operations = [
        migrations.CreateModel(
            name='Tier',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('code', models.SlugField(max_length=32, unique=True, verbose_name='code')),
                ('name', models.CharField(max_length=64, verbose_name='name')),
                ('rank', models.PositiveSmallIntegerField(help_text='0 is the base tier; higher is better.', unique=True, verbose_name='rank')),
                ('qualifying_points', models.PositiveIntegerField(help_text='Loyalty Points needed within one qualification year (1 March – end of February).', verbose_name='qualifying threshold (Loyalty Points)')),
                ('earning_bonus_percent', models.PositiveSmallIntegerField(default=0, help_text='Extra miles on flights, as a percentage of the base miles.', verbose_name='earning bonus (%)')),
                ('lifetime_flown_miles', models.PositiveIntegerField(blank=True, help_text='Members who have flown this many miles in total hold this tier for life. Empty: no lifetime status.', null=True, verbose_name='lifetime status at flown miles')),
                ('benefits', models.TextField(blank=True, help_text='One benefit per line.', verbose_name='benefits')),
                ('colour', models.CharField(help_text='Card colour, #RRGGBB.', max_length=7, validators=[django.core.validators.RegexValidator(re.compile('^#[0-9a-fA-F]{6}$'), 'Enter a colour as #RRGGBB.')], verbose_name='colour')),
                ('text_colour', models.CharField(default='#FFFFFF', max_length=7, validators=[django.core.validators.RegexValidator(re.compile('^#[0-9a-fA-F]{6}$'), 'Enter a colour as #RRGGBB.')], verbose_name='text colour')),
            ],
            options={
                'verbose_name': 'tier',
                'verbose_name_plural': 'tiers',
                'ordering': ['rank'],
                'constraints': [models.CheckConstraint(condition=models.Q(('rank__gt', 0), ('qualifying_points', 0), _connector='OR'), name='tier_base_needs_no_points')],
            },
        ),
        migrations.CreateModel(
            name='TierChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('field', models.CharField(max_length=64, verbose_name='field')),
                ('old_value', models.TextField(blank=True, verbose_name='old value')),
                ('new_value', models.TextField(blank=True, verbose_name='new value')),
                ('changed_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='changed at')),
                ('changed_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='changed by')),
                ('tier', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='changes', to='members.tier', verbose_name='tier')),
            ],
            options={
                'verbose_name': 'tier programme change',
                'verbose_name_plural': 'tier programme changes',
                'ordering': ['-changed_at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='TierHistory',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.CharField(choices=[('qualified', 'qualified'), ('lifetime', 'lifetime status'), ('year_end_review', 'year-end review')], max_length=20)),
                ('qualifying_points', models.IntegerField(default=0, help_text='In the qualification year of the change.')),
                ('at', models.DateTimeField(db_index=True, default=django.utils.timezone.now)),
                ('emailed_at', models.DateTimeField(blank=True, null=True)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tier_history', to=settings.AUTH_USER_MODEL)),
                ('new_tier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.tier', to_field='code')),
                ('old_tier', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='members.tier', to_field='code')),
            ],
            options={
                'verbose_name': 'tier change of a member',
                'verbose_name_plural': 'tier history',
                'ordering': ['-at', '-pk'],
            },
        ),
        migrations.CreateModel(
            name='LedgerEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('flight', 'flight'), ('partner', 'partner activity'), ('offer_bonus', 'offer bonus'), ('adjustment', 'adjustment'), ('expiry', 'expiry')], max_length=16, verbose_name='kind')),
                ('miles', models.IntegerField(default=0, verbose_name='miles')),
                ('loyalty_points', models.IntegerField(default=0, verbose_name='Loyalty Points')),
                ('flown_miles', models.PositiveIntegerField(default=0, verbose_name='flown miles')),
                ('source_key', models.CharField(max_length=120, verbose_name='source')),
                ('reason', models.CharField(blank=True, max_length=255, verbose_name='reason')),
                ('occurred_at', models.DateTimeField(default=django.utils.timezone.now, verbose_name='occurred at')),
                ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='posted at')),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ledger', to=settings.AUTH_USER_MODEL)),
                ('staff', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='staff member')),
            ],
            options={
                'verbose_name': 'ledger entry',
                'verbose_name_plural': 'ledger entries',
                'ordering': ['-occurred_at', '-pk'],
                'indexes': [models.Index(fields=['member', 'occurred_at'], name='ledger_member_occurred')],
                'constraints': [models.UniqueConstraint(fields=('member', 'source_key'), name='ledger_entry_unique_source_per_member'), models.CheckConstraint(condition=models.Q(models.Q(('kind', 'adjustment'), _negated=True), models.Q(('reason', ''), _negated=True), _connector='OR'), name='ledger_adjustment_has_reason')],
            },
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('tier_upgrade', 'tier upgrade')], max_length=20)),
                ('data', models.JSONField(blank=True, default=dict, help_text="What the message needs, e.g. the tier's name.")),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('member', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-pk'],
                'indexes': [models.Index(fields=['member', 'read_at'], name='notification_member_unread')],
            },
        ),
    ]
