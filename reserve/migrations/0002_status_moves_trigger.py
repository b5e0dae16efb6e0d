"""A nomination's status moves only as the design allows; a promoted, excluded or withdrawn one is final;
nobody is nominated to a closed pool.

A constraint trigger, since the rule compares the row before and after. It raises a check
violation named `reserve_status_moves`, which core.db turns into the model's message.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION reserve_status_moves() RETURNS trigger AS $$
BEGIN
    IF OLD.status IN ('promoted', 'excluded', 'withdrawn') AND ROW(NEW.*) IS DISTINCT FROM ROW(OLD.*) THEN
        RAISE EXCEPTION 'a % nomination is final', OLD.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reserve_status_moves';
    END IF;
    IF NEW.status IS DISTINCT FROM OLD.status AND NOT (
        (OLD.status, NEW.status) IN (('nominated', 'included'), ('nominated', 'excluded'), ('nominated', 'withdrawn'),
                                     ('included', 'promoted'), ('included', 'excluded'), ('included', 'withdrawn'))
    ) THEN
        RAISE EXCEPTION 'nomination status % cannot become %', OLD.status, NEW.status
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reserve_status_moves';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER reserve_status_moves AFTER UPDATE ON reserve_nomination
    FOR EACH ROW EXECUTE FUNCTION reserve_status_moves();

-- Nobody is nominated to a closed pool (the row is read under a share lock, so a pool
-- closed at the same instant waits for the nomination or refuses it).
CREATE FUNCTION reserve_pool_closed() RETURNS trigger AS $$
BEGIN
    IF NOT (SELECT is_open FROM reserve_pool WHERE id = NEW.pool_id FOR SHARE) THEN
        RAISE EXCEPTION 'pool % is closed', NEW.pool_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'reserve_pool_closed';
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE CONSTRAINT TRIGGER reserve_pool_closed AFTER INSERT ON reserve_nomination
    FOR EACH ROW EXECUTE FUNCTION reserve_pool_closed();
"""

REVERSE = """
DROP TRIGGER reserve_pool_closed ON reserve_nomination;
DROP FUNCTION reserve_pool_closed();
DROP TRIGGER reserve_status_moves ON reserve_nomination;
DROP FUNCTION reserve_status_moves();
"""


class Migration(migrations.Migration):
    dependencies = [("reserve", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
