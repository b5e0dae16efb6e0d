from django.db import migrations


def create_councils(apps, schema_editor):
    """One council per region (regions are data: branches 0003)."""
    Region = apps.get_model("branches", "Region")
    Council = apps.get_model("councils", "Council")
    existing = set(Council.objects.values_list("region_id", flat=True))
    Council.objects.bulk_create(
        [Council(region=region) for region in Region.objects.exclude(pk__in=existing).order_by("code")]
    )


class Migration(migrations.Migration):
    dependencies = [("councils", "0002_composite_foreign_keys"), ("branches", "0003_regions")]

    operations = [migrations.RunPython(create_councils, migrations.RunPython.noop)]
