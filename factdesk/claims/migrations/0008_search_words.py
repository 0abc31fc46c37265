import django.contrib.postgres.indexes
from django.db import migrations, models

# Words as written, not stemmed: a typo is corrected to a word, which the search then stems.
WORDS = """
CREATE TEXT SEARCH CONFIGURATION factdesk_words (COPY = simple);
ALTER TEXT SEARCH CONFIGURATION factdesk_words
    ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple;
CREATE FUNCTION claims_search_words() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO claims_searchword (word)
        SELECT DISTINCT word
        FROM unnest(tsvector_to_array(
            to_tsvector('factdesk_words', NEW.text))) AS word
        WHERE word ~ '^[a-z]{4,}$'
    ON CONFLICT DO NOTHING;
    RETURN NULL;
END
$$;
CREATE TRIGGER claims_search_words
    AFTER INSERT OR UPDATE OF text ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_search_words();
"""

DROP_WORDS = """
DROP TRIGGER claims_search_words ON claims_claim;
DROP FUNCTION claims_search_words();
DROP TEXT SEARCH CONFIGURATION factdesk_words;
"""

FILL = """
INSERT INTO claims_searchword (word)
    SELECT DISTINCT word FROM claims_claim,
        unnest(tsvector_to_array(to_tsvector('factdesk_words', text))) AS word
    WHERE word ~ '^[a-z]{4,}$'
ON CONFLICT DO NOTHING;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0007_board_indexes_status_counts"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchWord",
            fields=[("word", models.TextField(primary_key=True, serialize=False))],
            options={
                "indexes": [
                    django.contrib.postgres.indexes.GinIndex(
                        fields=["word"], name="search_word_trgm", opclasses=["gin_trgm_ops"]
                    )
                ],
            },
        ),
        migrations.RunSQL(WORDS, DROP_WORDS),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
    ]
