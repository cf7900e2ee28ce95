-- twofa schema: the event log's hash chain (chain.rs). Each event's hash is SHA-256 over
-- its canonical content and the previous event's hash; twofa fills it in for the events
-- that exist when this migration runs. The chain starts at its anchor (64 zeros until
-- `log prune` replaces it with the hash of the last pruned event).
ALTER TABLE twofa.events ADD COLUMN hash TEXT;
INSERT INTO twofa.meta (key, value)
VALUES ('event_chain_anchor', '0000000000000000000000000000000000000000000000000000000000000000')
ON CONFLICT (key) DO NOTHING;
