-- A queued message has the time to live Meta gives a message (30 days; 10 minutes for an
-- authentication template; a template's own message_send_ttl_seconds when set), counted from its
-- acceptance. Sending it after that (a one-time code, an offer that has ended) is worse than not
-- sending it, so when it passes before the message reaches Meta the message fails with a `failed`
-- status to the tenant: held by the messaging limit, the releaser drops it (131048, the code
-- 'refuse' would have given); waiting for its turn or for Meta to recover, the dispatcher does
-- (131026). Null: no time to live (messages the platform sends itself, such as keyword replies).
alter table send_queue add column expires_at timestamptz;

-- Messages held before this migration get the default time to live from their acceptance.
update send_queue q set expires_at = m.created_at + interval '30 days'
from messages m
where m.id = q.message_id and q.held_reason is not null and q.expires_at is null;
