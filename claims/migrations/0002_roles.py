"""Create the Reporter, Fact-checker and Editor groups with their permissions.

The permission lists are frozen here, as migrations must be; later changes to a role come in
a new migration.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

VIEW_ALL = [
    "view_source", "view_sourcealias", "view_article", "view_place", "view_placename",
    "view_claim", "view_appearance", "view_claimlink", "view_verification", "view_evidence",
    "view_explainer", "view_explainerclaim", "view_correction", "view_auditevent",
]
REPORTER = VIEW_ALL + [
    "add_source", "change_source", "add_sourcealias", "change_sourcealias",
    "delete_sourcealias",
    "add_article", "change_article",
    "add_place", "change_place", "add_placename", "change_placename", "delete_placename",
    "add_claim", "change_claim", "add_appearance", "change_appearance", "delete_appearance",
    "add_claimlink", "change_claimlink", "delete_claimlink",
    "add_evidence", "change_evidence",
    "add_verification", "change_verification",
]
FACT_CHECKER = REPORTER + [
    "submit_verification",
    "add_explainer", "change_explainer", "submit_explainer",
    "add_explainerclaim", "change_explainerclaim", "delete_explainerclaim",
]
EDITOR = FACT_CHECKER + [
    "publish_verification", "delete_verification",
    "publish_explainer", "delete_explainer",
    "add_correction",
    "delete_article", "delete_claim", "delete_evidence", "delete_source", "delete_place",
]
ROLES = {"Reporter": REPORTER, "Fact-checker": FACT_CHECKER, "Editor": EDITOR}


def create_roles(apps, schema_editor):
    # Permissions are normally made after all migrations; make them now so groups can use them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        perms = Permission.objects.filter(content_type__app_label="claims", codename__in=codenames)
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"permissions missing for role {name}: {sorted(missing)}")
        group.permissions.set(perms)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
