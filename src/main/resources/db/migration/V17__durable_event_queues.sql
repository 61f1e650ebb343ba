-- Queue grants (docs/security.md): an emitted event belongs to the queues of the tasks it woke, so that a caller
-- limited to some queues lists only the events that reached its tasks. NULL for events emitted before this column.
ALTER TABLE jobyard.durable_event ADD COLUMN woke_queues text[];
