from django.db import migrations

from factdesk.claims.ratings import ensure_default_scale


def create_default_scale(apps, schema_editor):
    ensure_default_scale(
        apps.get_model("claims", "RatingScale"), apps.get_model("claims", "Rating")
    )


class Migration(migrations.Migration):
    dependencies = [("claims", "0002_verdict_immutable")]

    operations = [migrations.RunPython(create_default_scale, migrations.RunPython.noop)]
