from django.db import migrations


def load_regions(apps, schema_editor):
    from branches.data.regions import ensure_regions

    ensure_regions(apps.get_model("branches", "Region"))


class Migration(migrations.Migration):
    dependencies = [("branches", "0002_composite_foreign_keys")]

    operations = [migrations.RunPython(load_regions, migrations.RunPython.noop)]
