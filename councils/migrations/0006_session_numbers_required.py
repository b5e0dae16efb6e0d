from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("councils", "0005_federal_council_sessions")]

    operations = [
        migrations.AlterField(
            model_name="councilmeeting",
            name="number",
            field=models.PositiveIntegerField(verbose_name="session number"),
        ),
    ]
