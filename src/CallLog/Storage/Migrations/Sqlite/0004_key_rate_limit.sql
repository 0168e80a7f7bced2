-- A per-key budget of requests per minute: NULL means the server's default (RateLimits:PerMinute), 0 unlimited.
ALTER TABLE api_keys ADD COLUMN rate_limit INTEGER;
