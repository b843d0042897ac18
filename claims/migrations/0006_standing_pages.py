"""Standing pages (methodology, corrections policy, ownership and funding, contact), which
editors edit and every role can see.

The methodology and corrections-policy pages start with text the desk is expected to edit; the
ownership-and-funding and contact pages state facts only the newsroom knows, so they are left
for editors to write.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

ROLE_PERMISSIONS = {
    "Reporter": ["view_standingpage"],
    "Fact-checker": ["view_standingpage"],
    "Editor": ["view_standingpage", "add_standingpage", "change_standingpage"],
}

METHODOLOGY = """\
## How we choose claims

We look at claims about the fighting in eastern Ukraine that many people are likely to see or
act on: statements by governments, armed forces and officials on every side, reports by news
outlets and open-source mapping projects, and posts that spread widely. Readers can send us
claims to check. We check claims from all sides with the same methods; our
[balance page](/balance/) counts how many from each side we have assessed.

## How we check them

For each claim we record who made it, the exact words, when and where it first appeared.
We then look for evidence we can examine ourselves: video and photographs we can geolocate
and date, satellite imagery, open-source maps, documents, and people who speak on the record.
We archive what we rely on, so readers can see it even if the original is taken down.

A fact-checker writes the assessment; a second person, an editor, reviews it before it is
published. Nobody publishes their own assessment.

## Anonymous sources

Sometimes people near the fighting can only speak to us without being named. We describe them
as precisely as we safely can, and we never rest a verdict on an anonymous source alone.
"""

CORRECTIONS_POLICY = """\
When we get something wrong we say so, on the page where the mistake was made.

- **Corrections** fix an error of fact. We add a dated note to the explainer's log of
  corrections and updates, saying what was wrong.
- **Clarifications** make something clearer that could have been misread.
- **Updates** add new information. When new evidence changes our verdict on a claim we publish
  a new verdict; the earlier ones stay on the claim's page with their dates.

We never remove a correction. If you think we have made a mistake, tell us through our
contact page, with a link to what you think is wrong.
"""

SEEDED = {
    "methodology": ("How we check claims", "How we choose the claims we check and how we check them.", METHODOLOGY),
    "corrections-policy": ("Corrections policy", "How we correct our mistakes and show what changed.", CORRECTIONS_POLICY),
}


def grant_permissions(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        group = Group.objects.filter(name=name).first()
        if group is None:
            continue
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for role {name}: {sorted(missing)}")
        group.permissions.add(*perms)


def revoke_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLE_PERMISSIONS.items():
        for group in Group.objects.filter(name=name):
            group.permissions.remove(
                *Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
            )


def seed_pages(apps, schema_editor):
    StandingPage = apps.get_model("claims", "StandingPage")
    for kind, (title, summary, body) in SEEDED.items():
        StandingPage.objects.get_or_create(
            kind=kind, defaults={"title": title, "summary": summary, "body": body}
        )


def unseed_pages(apps, schema_editor):
    apps.get_model("claims", "StandingPage").objects.filter(kind__in=SEEDED).delete()



class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0005_postgres_search_indexes'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='StandingPage',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('updated_at', models.DateTimeField(auto_now=True, db_index=True)),
                ('kind', models.CharField(choices=[('methodology', 'Methodology'), ('corrections-policy', 'Corrections policy'), ('ownership-and-funding', 'Ownership and funding'), ('contact', 'Contact')], max_length=32, unique=True)),
                ('title', models.CharField(max_length=200)),
                ('summary', models.CharField(blank=True, help_text='One sentence for search engines and link previews.', max_length=300)),
                ('body', models.TextField(help_text='Markdown.')),
                ('updated_by', models.ForeignKey(blank=True, editable=False, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ['kind'],
                'constraints': [models.CheckConstraint(condition=models.Q(('kind__in', ['methodology', 'corrections-policy', 'ownership-and-funding', 'contact'])), name='standing_page_kind_valid')],
            },
        ),
        migrations.RunPython(grant_permissions, revoke_permissions),
        migrations.RunPython(seed_pages, unseed_pages),
    ]
