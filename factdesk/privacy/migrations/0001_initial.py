from django.db import migrations

# Verdict versions stay immutable (claims 0002), with one door: a redaction of personal data
# (factdesk/privacy/services.py) sets `factdesk.redacting` for its own transaction and may
# then change the words of a version (conclusion, explanation, correction note), never its
# rating, author, number, dates or publication. Deleting stays as it was.
SQL = """
CREATE OR REPLACE FUNCTION claims_verdict_immutable() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF OLD.published_at IS NOT NULL THEN
            RAISE EXCEPTION 'verdict % of claim % is published and cannot be deleted',
                OLD.number, OLD.claim_id USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN OLD;
    END IF;
    IF current_setting('factdesk.redacting', true) = 'on' THEN
        IF (NEW.claim_id, NEW.number, NEW.rating_id, NEW.author_id, NEW.created_at,
            NEW.published_at)
           IS DISTINCT FROM
           (OLD.claim_id, OLD.number, OLD.rating_id, OLD.author_id, OLD.created_at,
            OLD.published_at) THEN
            RAISE EXCEPTION 'a redaction changes only the words of a verdict version'
                USING ERRCODE = 'integrity_constraint_violation';
        END IF;
        RETURN NEW;
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
"""

REVERSE = """
CREATE OR REPLACE FUNCTION claims_verdict_immutable() RETURNS trigger AS $$
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
"""


class Migration(migrations.Migration):
    dependencies = [("claims", "0013_public_newest")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
