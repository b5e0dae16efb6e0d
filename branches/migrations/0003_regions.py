from django.db import migrations


def load_regions(apps, schema_editor):
    from branches.data.regions import REGIONS

    Region = apps.get_model("branches", "Region")
    for code, name, district, time_zone in REGIONS:
        Region.objects.update_or_create(
            code=code, defaults={"name": name, "federal_district": district, "time_zone": time_zone}
        )


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_composite_foreign_keys")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
