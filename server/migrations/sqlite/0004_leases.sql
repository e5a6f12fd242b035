-- A rendering job is held under a lease: `lease_token` names the claim (only its
-- holder may renew, complete or fail it), `lease_until` is when another node may
-- take it back (Unix seconds).
ALTER TABLE exports ADD COLUMN lease_token TEXT;
ALTER TABLE exports ADD COLUMN lease_until INTEGER;
