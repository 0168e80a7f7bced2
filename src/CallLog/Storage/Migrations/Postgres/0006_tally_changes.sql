-- Each tally row also counts the statements that wrote its calls: inserts, deletes and updates (any
-- update, conservatively: the statement-level triggers see rows, not columns). It only grows, and a new
-- row starts at 1, so SUM(changes) over the rows a filter reads changes whenever that filter's list may
-- have changed: a node compares it to decide whether a deep page's remembered start (CallList,
-- PageStarts) still holds.
ALTER TABLE call_tallies ADD COLUMN changes bigint NOT NULL DEFAULT 1;

CREATE OR REPLACE FUNCTION calls_tally_insert() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_tallies AS t (workspace_id, agent_id, status, type, calls, changes)
    SELECT workspace_id, agent_id, status, type, count(*), 1 FROM new_rows GROUP BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = t.calls + excluded.calls, changes = t.changes + 1;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION calls_tally_delete() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE call_tallies AS t SET calls = t.calls - d.n, changes = t.changes + 1
    FROM (SELECT workspace_id, agent_id, status, type, count(*) AS n FROM old_rows GROUP BY 1, 2, 3, 4) d
    WHERE t.workspace_id = d.workspace_id AND t.agent_id = d.agent_id AND t.status = d.status AND t.type = d.type;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION calls_tally_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO call_tallies AS t (workspace_id, agent_id, status, type, calls, changes)
    SELECT workspace_id, agent_id, status, type, sum(delta), 1 FROM (
        SELECT workspace_id, agent_id, status, type, 1 AS delta FROM new_rows
        UNION ALL
        SELECT workspace_id, agent_id, status, type, -1 FROM old_rows
    ) changes
    GROUP BY 1, 2, 3, 4
    ON CONFLICT (workspace_id, agent_id, status, type) DO UPDATE SET calls = t.calls + excluded.calls, changes = t.changes + 1;
    RETURN NULL;
END $$;
