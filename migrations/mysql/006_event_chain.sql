-- twofa schema: the event log's hash chain (chain.rs). Each event's hash is SHA-256 over
-- its canonical content and the previous event's hash; twofa fills it in for the events
-- that exist when this migration runs. The chain starts at its anchor (64 zeros until
-- `log prune` replaces it with the hash of the last pruned event).
ALTER TABLE twofa_events ADD COLUMN hash TEXT;
INSERT INTO twofa_meta (`key`, value)
SELECT 'event_chain_anchor', '0000000000000000000000000000000000000000000000000000000000000000'
FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM twofa_meta WHERE `key` = 'event_chain_anchor');
