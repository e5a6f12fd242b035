-- Files made beside a video (the timing file, captions): a JSON array of
-- {"kind", "file", "sizeBytes"}; NULL when there are none.
ALTER TABLE exports ADD COLUMN extras TEXT;
