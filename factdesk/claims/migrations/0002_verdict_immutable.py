from django.db import migrations

# Verdict versions are history: once written, their content never changes, and a published
# version is never unpublished or deleted. The only update allowed is publishing (setting
# published_at once). The database enforces it, whatever code or admin tries.
SQL = """
CREATE FUNCTION claims_verdict_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'verdict % of claim % is published and cannot be deleted',
                OLD.number, OLD.claim_id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF (NEW.claim_id, NEW.number, NEW.rating_id, NEW.conclusion, NEW.explanation,
        NEW.correction_note, NEW.author_id, NEW.created_at)
       IS DISTINCT FROM
       (OLD.claim_id, OLD.number, OLD.rating_id, OLD.conclusion, OLD.explanation,
        OLD.correction_note, OLD.author_id, OLD.created_at) THEN
        RAISE EXCEPTION 'verdict versions are immutable: save a new version instead'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF OLD.published_at IS NOT NULL AND NEW.published_at IS DISTINCT FROM OLD.published_at THEN
        RAISE EXCEPTION 'verdict % of claim % is published: publish a correction instead',
            OLD.number, OLD.claim_id USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER claims_verdict_immutable
    BEFORE UPDATE OR DELETE ON claims_verdict
    FOR EACH ROW EXECUTE FUNCTION claims_verdict_immutable();
"""

REVERSE = """
DROP TRIGGER claims_verdict_immutable ON claims_verdict;
DROP FUNCTION claims_verdict_immutable();
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
