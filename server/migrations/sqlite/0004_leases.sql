-- A rendering job is held under a lease: `lease_token` names the claim (only its
-- holder may renew, complete or fail it), `lease_until` is when another node may
-- take it back (Unix seconds, the database's clock), `node` is the process that
-- renders it (each key's share of the render slots is a share of a node's).
ALTER TABLE exports ADD COLUMN lease_token TEXT;
ALTER TABLE exports ADD COLUMN lease_until INTEGER;
ALTER TABLE exports ADD COLUMN node TEXT;
-- With quotas enforced, a render is counted when it is accepted (so concurrent
-- requests cannot overrun the quota) and refunded if it fails: the month it was
-- counted in. NULL: counted when it completes.
ALTER TABLE exports ADD COLUMN usage_month TEXT;
