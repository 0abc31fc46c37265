from django.db import migrations


class Migration(migrations.Migration):
    """A text search configuration that stems English and ignores accents.

    `factdesk` is `english` with `unaccent` in front of the stemmer, so "Zurich" finds
    "Zürich" and "vaccines" finds "vaccine". Generated tsvector columns use it by name.
    """

    dependencies = [("core", "0001_extensions")]

    operations = [
        migrations.RunSQL(
            sql="""
                CREATE TEXT SEARCH CONFIGURATION factdesk (COPY = english);
                ALTER TEXT SEARCH CONFIGURATION factdesk
                    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
            """,
            reverse_sql="DROP TEXT SEARCH CONFIGURATION factdesk;",
        )
    ]
