"""Give every row that existed before history was kept its first history row, so that each
record has a starting point to compare later versions with."""

from django.db import migrations

MODELS = (
    "Source",
    "Article",
    "Place",
    "Claim",
    "Evidence",
    "Verification",
    "Explainer",
    "Correction",
)
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
}


def seed_history(apps, schema_editor):
    for name in MODELS:
        model = apps.get_model("claims", name)
        historical = apps.get_model("claims", f"Historical{name}")
        copied = [f.attname for f in historical._meta.fields if f.name not in HISTORY_FIELDS]
        has_history = set(historical.objects.values_list("id", flat=True).distinct())
        rows = [
            historical(
                history_date=getattr(obj, "updated_at", None) or obj.created_at,
                history_type="+",
                history_change_reason="history starts here",
                history_user=None,
                **{attname: getattr(obj, attname) for attname in copied},
            )
            for obj in model.objects.exclude(pk__in=has_history).order_by("pk").iterator()
        ]
        historical.objects.bulk_create(rows, batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0009_history_and_versions"),
    ]

    operations = [
        migrations.RunPython(seed_history, migrations.RunPython.noop),
    ]
