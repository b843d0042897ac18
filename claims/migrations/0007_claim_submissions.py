"""Readers' claim submissions (the site's "send us a claim" form), the desk's queue of them,
and every role's permission to see and handle it."""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

# Every role sees the queue of readers' submissions and can mark one handled.
CODENAMES = ["view_claimsubmission", "change_claimsubmission"]
ROLES = ["Reporter", "Fact-checker", "Editor"]


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
    if perms.count() != len(CODENAMES):
        raise RuntimeError("claim submission permissions are missing")
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.add(*perms)


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    perms = Permission.objects.filter(content_type__app_label="claims", codename__in=CODENAMES)
    for group in Group.objects.filter(name__in=ROLES):
        group.permissions.remove(*perms)


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0006_standing_pages'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ClaimSubmission',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                ('text', models.TextField(help_text="The claim, in the reader's words.", max_length=2000)),
                ('link', models.URLField(blank=True, help_text='Where the reader saw it.', max_length=1000)),
                ('contact', models.CharField(blank=True, help_text='Optional: how to reach the reader.', max_length=200)),
                ('status', models.CharField(choices=[('new', 'New'), ('accepted', 'Turned into a claim'), ('declined', 'Declined')], default='new', max_length=16)),
                ('client_hash', models.CharField(blank=True, editable=False, max_length=64)),
                ('claim', models.ForeignKey(blank=True, help_text='The claim the desk recorded from this submission, if any.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='submissions', to='claims.claim')),
                ('handled_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['-created_at', '-id'],
                'indexes': [models.Index(fields=['status', 'created_at'], name='claim_submission_queue_idx')],
                'constraints': [models.CheckConstraint(condition=models.Q(('status__in', ['new', 'accepted', 'declined'])), name='claim_submission_status_valid'), models.CheckConstraint(condition=models.Q(('text__length__gte', 10), ('text__length__lte', 2000)), name='claim_submission_text_length')],
            },
        ),
        migrations.RunPython(grant_permissions, revoke_permissions),
    ]
