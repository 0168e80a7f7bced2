-- Call details written by the voice runtime, and a version per call for ETags / If-Match.
-- Adding columns with a constant default is instant on PostgreSQL 11+, whatever the table's size.
ALTER TABLE calls
    ADD COLUMN transcript text,
    ADD COLUMN metadata   text,                          -- a JSON object as the runtime sent it; NULL means {}
    ADD COLUMN version    integer NOT NULL DEFAULT 1;
