-- Call details written by the voice runtime, and a version per call for ETags / If-Match.
ALTER TABLE calls ADD COLUMN transcript TEXT;
ALTER TABLE calls ADD COLUMN metadata TEXT;              -- a JSON object as the runtime sent it; NULL means {}
ALTER TABLE calls ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
