-- A message held back by the messaging limit no longer waits forever: it has the time to live Meta
-- gives a message (30 days; 10 minutes for an authentication template; a template's own
-- message_send_ttl_seconds when set), counted from its acceptance, and when that passes while it is
-- still held the releaser drops it with a `failed` status (131048) to the tenant — sending it days
-- late (a one-time code, an offer that has ended) is worse than not sending it. Set for held rows
-- only; the dispatcher does not read it.
alter table send_queue add column expires_at timestamptz;

-- Messages held before this migration get the default time to live from their acceptance.
update send_queue q set expires_at = m.created_at + interval '30 days'
from messages m
where m.id = q.message_id and q.held_reason is not null and q.expires_at is null;
