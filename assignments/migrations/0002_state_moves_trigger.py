"""An accepted assignment changes only by being returned; every state move is one the design allows.

A constraint trigger, since the rule compares the row before and after. It raises a check
violation named `assignment_state_moves`, which core.db turns into the model's message.
"""

from django.db import migrations

SQL = """
CREATE FUNCTION assignment_state_moves() RETURNS trigger AS $$
DECLARE
    measured boolean;
BEGIN
    IF OLD.state = 'accepted' AND NEW.state = 'accepted' AND (
        NEW.report IS DISTINCT FROM OLD.report OR NEW.due_on IS DISTINCT FROM OLD.due_on
        OR NEW.directive_id IS DISTINCT FROM OLD.directive_id OR NEW.region_id IS DISTINCT FROM OLD.region_id
        OR NEW.local_branch_id IS DISTINCT FROM OLD.local_branch_id OR NEW.person_id IS DISTINCT FROM OLD.person_id
    ) THEN
        RAISE EXCEPTION 'an accepted assignment changes only after it is returned'
            USING ERRCODE = 'check_violation', CONSTRAINT = 'assignment_state_moves';
    END IF;
    IF NEW.state IS DISTINCT FROM OLD.state THEN
        SELECT d.figure_id IS NOT NULL INTO measured FROM assignments_directive d WHERE d.id = NEW.directive_id;
        IF NOT (
            (OLD.state, NEW.state) IN (('open', 'reported'), ('returned', 'reported'), ('reported', 'accepted'),
                                       ('reported', 'returned'), ('accepted', 'returned'))
            OR (measured AND (OLD.state, NEW.state) IN (('open', 'accepted'), ('returned', 'accepted')))
        ) THEN
            RAISE EXCEPTION 'assignment state % cannot become %', OLD.state, NEW.state
                USING ERRCODE = 'check_violation', CONSTRAINT = 'assignment_state_moves';
        END IF;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;

-- A constraint trigger (checked at the end of each statement, not deferrable): it is
-- listed in pg_constraint under its name, like the other SQL-only rules.
CREATE CONSTRAINT TRIGGER assignment_state_moves AFTER UPDATE ON assignments_assignment
    FOR EACH ROW EXECUTE FUNCTION assignment_state_moves();
"""

REVERSE = """
DROP TRIGGER assignment_state_moves ON assignments_assignment;
DROP FUNCTION assignment_state_moves();
"""


class Migration(migrations.Migration):
    dependencies = [("assignments", "0001_initial")]

    operations = [migrations.RunSQL(SQL, REVERSE)]
