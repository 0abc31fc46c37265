from django.db import migrations, models

# Kept in step with every insert, delete and change of status; a change of status updates
# both rows in one statement (the two rows locked in one scan, not in two orders).
TRIGGERS = """
CREATE FUNCTION claims_status_count() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        UPDATE claims_statuscount
           SET claims = claims + CASE WHEN status = NEW.status THEN 1 ELSE -1 END
         WHERE status IN (OLD.status, NEW.status);
        IF NOT FOUND OR NOT EXISTS (SELECT FROM claims_statuscount WHERE status = NEW.status)
        THEN
            INSERT INTO claims_statuscount (status, claims) VALUES (NEW.status, 1);
        END IF;
    ELSIF TG_OP = 'DELETE' THEN
        UPDATE claims_statuscount SET claims = claims - 1 WHERE status = OLD.status;
    ELSE
        INSERT INTO claims_statuscount (status, claims) VALUES (NEW.status, 1)
        ON CONFLICT (status) DO UPDATE SET claims = claims_statuscount.claims + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER claims_status_count_insert_delete
    AFTER INSERT OR DELETE ON claims_claim
    FOR EACH ROW EXECUTE FUNCTION claims_status_count();
CREATE TRIGGER claims_status_count_update
    AFTER UPDATE OF status ON claims_claim
    FOR EACH ROW WHEN (OLD.status IS DISTINCT FROM NEW.status)
    EXECUTE FUNCTION claims_status_count();
"""

DROP_TRIGGERS = """
DROP TRIGGER claims_status_count_update ON claims_claim;
DROP TRIGGER claims_status_count_insert_delete ON claims_claim;
DROP FUNCTION claims_status_count();
"""

RECOUNT = """
    DELETE FROM claims_statuscount;
    INSERT INTO claims_statuscount (status, claims)
        SELECT status, count(*) FROM claims_claim GROUP BY status;
"""


class Migration(migrations.Migration):
    dependencies = [
        ("articles", "0003_article_outlet"),
        ("claims", "0006_claim_outlet_removed"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="claim", name="claim_rating_status"),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(
                fields=["current_rating", "status", "-priority", "created_at"],
                name="claim_rating_board",
            ),
        ),
        migrations.AddIndex(
            model_name="claim",
            index=models.Index(fields=["article", "status"], name="claim_article_status"),
        ),
        migrations.AlterField(
            model_name="claim",
            name="article",
            field=models.ForeignKey(
                blank=True,
                db_index=False,
                null=True,
                on_delete=models.deletion.PROTECT,
                related_name="claims",
                to="articles.article",
            ),
        ),
        migrations.CreateModel(
            name="StatusCount",
            fields=[
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("new", "New"),
                            ("researching", "Researching"),
                            ("in_review", "In review"),
                            ("approved", "Approved"),
                            ("published", "Published"),
                            ("corrected", "Corrected"),
                            ("dismissed", "Dismissed"),
                            ("duplicate", "Duplicate"),
                        ],
                        max_length=20,
                        primary_key=True,
                        serialize=False,
                    ),
                ),
                ("claims", models.BigIntegerField(default=0)),
            ],
            options={
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("claims__gte", 0)), name="status_count_not_negative"
                    )
                ],
            },
        ),
        migrations.RunSQL(TRIGGERS, DROP_TRIGGERS),
        migrations.RunSQL(RECOUNT, migrations.RunSQL.noop),
    ]
