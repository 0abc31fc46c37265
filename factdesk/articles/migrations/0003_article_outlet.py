from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0002_article_by_url"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="article",
            index=models.Index(fields=["outlet", "id"], name="article_outlet"),
        ),
        migrations.AlterField(
            model_name="article",
            name="outlet",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="articles",
                to="articles.outlet",
            ),
        ),
    ]
