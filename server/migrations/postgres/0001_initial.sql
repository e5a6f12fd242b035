-- The PostgreSQL schema: the SQLite migrations 0001–0004 in one, plus the shared
-- rate-limit window. Times are Unix seconds as in SQLite.

-- Keys are stored only as a SHA-256 hash; the prefix is kept for display.
CREATE TABLE api_keys (
    id           BIGSERIAL PRIMARY KEY,
    prefix       TEXT   NOT NULL,
    hash         BYTEA  NOT NULL UNIQUE,
    label        TEXT   NOT NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);

-- Successful renders per key, calendar month (UTC, 'YYYY-MM') and kind.
CREATE TABLE usage (
    key_id BIGINT NOT NULL REFERENCES api_keys(id),
    month  TEXT   NOT NULL,
    kind   TEXT   NOT NULL CHECK (kind IN ('image', 'video')),
    count  BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, month, kind)
);

-- Every export: stills are completed at once; videos are jobs that wait in the
-- queue ('queued'), run under a node's lease ('rendering') and end ('completed' or
-- 'failed'). `seq` orders exports made in the same second.
CREATE TABLE exports (
    id          TEXT    PRIMARY KEY,
    seq         BIGSERIAL,
    key_id      BIGINT  NOT NULL REFERENCES api_keys(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    status      TEXT    NOT NULL CHECK (status IN ('queued', 'rendering', 'completed', 'failed')),
    progress    DOUBLE PRECISION NOT NULL DEFAULT 0,
    format      TEXT    NOT NULL,
    width       BIGINT,
    height      BIGINT,
    file        TEXT,
    size_bytes  BIGINT,
    error       TEXT,
    payload     BYTEA,
    attempts    BIGINT  NOT NULL DEFAULT 0,
    created_at  BIGINT  NOT NULL,
    started_at  BIGINT,
    finished_at BIGINT,
    extras      TEXT,
    -- The claim's name (only its holder may write the outcome), when another node
    -- may take the job back (Unix seconds, this database's clock), and the node that
    -- renders it (a key's share of the render slots is a share of each node's).
    lease_token TEXT,
    lease_until BIGINT,
    node        TEXT,
    -- With quotas enforced, the month the job was counted in when accepted (it is
    -- refunded if it fails); NULL: counted when it completes.
    usage_month TEXT
);
CREATE INDEX exports_by_status ON exports (status, created_at);
-- The retention sweep runs on every node every minute: finished exports by age.
CREATE INDEX exports_finished ON exports ((COALESCE(finished_at, created_at)))
    WHERE status IN ('completed', 'failed');

-- Server-wide values that must be the same on every node (the URL signing secret).
CREATE TABLE settings (
    name  TEXT  PRIMARY KEY,
    value BYTEA NOT NULL
);

-- The bytes of completed exports, kept by a trigger in the same transaction as
-- every change to `exports` (summing the table grows with the number of exports).
CREATE TABLE stored_bytes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    total BIGINT  NOT NULL
);
INSERT INTO stored_bytes (id, total) VALUES (1, 0);

CREATE FUNCTION mockly_stored_bytes() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    delta BIGINT := 0;
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'completed' THEN
        delta := delta - COALESCE(OLD.size_bytes, 0);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'completed' THEN
        delta := delta + COALESCE(NEW.size_bytes, 0);
    END IF;
    IF delta <> 0 THEN
        UPDATE stored_bytes SET total = total + delta WHERE id = 1;
    END IF;
    RETURN NULL;
END $$;

CREATE TRIGGER stored_bytes_change AFTER INSERT OR UPDATE OF status, size_bytes OR DELETE
    ON exports FOR EACH ROW EXECUTE FUNCTION mockly_stored_bytes();

-- Requests allowed in the sliding rate-limit window, for every node at once.
CREATE TABLE rate_hits (
    key_id BIGINT NOT NULL,
    bucket TEXT   NOT NULL,
    at_ms  BIGINT NOT NULL
);
CREATE INDEX rate_hits_by_key ON rate_hits (key_id, bucket, at_ms);

-- Counts a request if fewer than `lim` of the same key and bucket were allowed in
-- the last `window_ms`, in one round trip. The key's advisory lock makes the count
-- and the insert atomic across nodes; the database's clock is the only clock.
CREATE FUNCTION mockly_rate_hit(k BIGINT, b TEXT, lim INTEGER, window_ms BIGINT)
RETURNS TABLE (allowed BOOLEAN, used INTEGER, oldest_ms BIGINT, now_ms BIGINT)
LANGUAGE plpgsql AS $$
DECLARE
    t BIGINT;
    n INTEGER;
    first BIGINT;
BEGIN
    PERFORM pg_advisory_xact_lock(hashtextextended(b || ':' || k, 0));
    -- The time is read once the lock is held: a request that waited for it is
    -- counted when it gets its turn.
    t := (extract(epoch FROM clock_timestamp()) * 1000)::BIGINT;
    DELETE FROM rate_hits WHERE key_id = k AND bucket = b AND at_ms <= t - window_ms;
    SELECT COUNT(*), MIN(at_ms) INTO n, first FROM rate_hits WHERE key_id = k AND bucket = b;
    IF n < lim THEN
        INSERT INTO rate_hits (key_id, bucket, at_ms) VALUES (k, b, t);
        n := n + 1;
        first := COALESCE(first, t);
        RETURN QUERY SELECT TRUE, n, first, t;
    ELSE
        RETURN QUERY SELECT FALSE, n, first, t;
    END IF;
END $$;
