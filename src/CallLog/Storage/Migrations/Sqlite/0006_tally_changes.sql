-- Each tally row also counts the writes to its calls: every insert, delete, move between rows, and
-- change of a call's place in the list (start, duration, id). It only grows, and a new row starts at 1,
-- so SUM(changes) over the rows a filter reads changes whenever that filter's list may have changed:
-- a node compares it to decide whether a deep page's remembered start (CallList, PageStarts) still holds.
ALTER TABLE call_tallies ADD COLUMN changes INTEGER NOT NULL DEFAULT 1;

DROP TRIGGER calls_tally_insert;
DROP TRIGGER calls_tally_delete;
DROP TRIGGER calls_tally_update;

CREATE TRIGGER calls_tally_insert AFTER INSERT ON calls
BEGIN
    INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls, changes)
    VALUES (NEW.workspace_id, NEW.agent_id, NEW.status, NEW.type, 1, 1)
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = calls + 1, changes = changes + 1;
END;

CREATE TRIGGER calls_tally_delete AFTER DELETE ON calls
BEGIN
    UPDATE call_tallies SET calls = calls - 1, changes = changes + 1
    WHERE workspace_id = OLD.workspace_id AND agent_id = OLD.agent_id AND status = OLD.status AND type = OLD.type;
END;

CREATE TRIGGER calls_tally_update AFTER UPDATE OF workspace_id, agent_id, status, type ON calls
WHEN OLD.workspace_id IS NOT NEW.workspace_id OR OLD.agent_id IS NOT NEW.agent_id
  OR OLD.status IS NOT NEW.status OR OLD.type IS NOT NEW.type
BEGIN
    UPDATE call_tallies SET calls = calls - 1, changes = changes + 1
    WHERE workspace_id = OLD.workspace_id AND agent_id = OLD.agent_id AND status = OLD.status AND type = OLD.type;
    INSERT INTO call_tallies (workspace_id, agent_id, status, type, calls, changes)
    VALUES (NEW.workspace_id, NEW.agent_id, NEW.status, NEW.type, 1, 1)
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = calls + 1, changes = changes + 1;
END;

CREATE TRIGGER calls_tally_reorder AFTER UPDATE OF id, started_at, duration_seconds ON calls
WHEN OLD.workspace_id IS NEW.workspace_id AND OLD.agent_id IS NEW.agent_id AND OLD.status IS NEW.status AND OLD.type IS NEW.type
  AND (OLD.id IS NOT NEW.id OR OLD.started_at IS NOT NEW.started_at OR OLD.duration_seconds IS NOT NEW.duration_seconds)
BEGIN
    UPDATE call_tallies SET changes = changes + 1
    WHERE workspace_id = NEW.workspace_id AND agent_id = NEW.agent_id AND status = NEW.status AND type = NEW.type;
END;
