-- The bytes of completed exports, kept up to date by triggers in the same
-- transaction as every change to `exports`. The storage budget is checked after
-- every render; summing the table instead grew with the number of stored exports
-- (a millisecond per still at a few thousand, seconds at millions).
CREATE TABLE stored_bytes (
    id    INTEGER PRIMARY KEY CHECK (id = 1),
    total INTEGER NOT NULL
);
INSERT INTO stored_bytes (id, total)
    SELECT 1, COALESCE(SUM(size_bytes), 0) FROM exports WHERE status = 'completed';

CREATE TRIGGER stored_bytes_insert AFTER INSERT ON exports
    WHEN NEW.status = 'completed'
BEGIN
    UPDATE stored_bytes SET total = total + COALESCE(NEW.size_bytes, 0) WHERE id = 1;
END;

CREATE TRIGGER stored_bytes_update AFTER UPDATE OF status, size_bytes ON exports
    WHEN OLD.status = 'completed' OR NEW.status = 'completed'
BEGIN
    UPDATE stored_bytes
       SET total = total
                 - CASE WHEN OLD.status = 'completed' THEN COALESCE(OLD.size_bytes, 0) ELSE 0 END
                 + CASE WHEN NEW.status = 'completed' THEN COALESCE(NEW.size_bytes, 0) ELSE 0 END
     WHERE id = 1;
END;

CREATE TRIGGER stored_bytes_delete AFTER DELETE ON exports
    WHEN OLD.status = 'completed'
BEGIN
    UPDATE stored_bytes SET total = total - COALESCE(OLD.size_bytes, 0) WHERE id = 1;
END;
