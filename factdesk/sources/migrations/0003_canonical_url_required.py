from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("sources", "0002_fetch_work")]

    operations = [
        migrations.AlterField(
            model_name="source",
            name="canonical_url",
            field=models.URLField(max_length=2000, unique=True),
        ),
    ]
