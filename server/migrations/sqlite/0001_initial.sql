-- Keys are stored only as a SHA-256 hash; the prefix is kept for display.
CREATE TABLE api_keys (
    id           INTEGER PRIMARY KEY,
    prefix       TEXT    NOT NULL,
    hash         BLOB    NOT NULL UNIQUE,
    label        TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);

-- Successful renders per key, calendar month (UTC, 'YYYY-MM') and kind.
CREATE TABLE usage (
    key_id INTEGER NOT NULL REFERENCES api_keys(id),
    month  TEXT    NOT NULL,
    kind   TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    count  INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (key_id, month, kind)
);

-- Every export: stills are completed at once; videos are jobs that wait in the
-- queue ('queued'), run ('rendering') and end ('completed' or 'failed').
CREATE TABLE exports (
    id          TEXT    PRIMARY KEY,
    key_id      INTEGER NOT NULL REFERENCES api_keys(id),
    kind        TEXT    NOT NULL CHECK (kind IN ('image', 'video')),
    status      TEXT    NOT NULL CHECK (status IN ('queued', 'rendering', 'completed', 'failed')),
    progress    REAL    NOT NULL DEFAULT 0,
    format      TEXT    NOT NULL,
    width       INTEGER,
    height      INTEGER,
    file        TEXT,
    size_bytes  INTEGER,
    error       TEXT,
    payload     BLOB,
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER
);
CREATE INDEX exports_by_status ON exports (status, created_at);

-- Server-wide values that must survive restarts (the URL signing secret).
CREATE TABLE settings (
    name  TEXT PRIMARY KEY,
    value BLOB NOT NULL
);
