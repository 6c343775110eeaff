-- Content retention (retention/redact.ts): when the operator sets
-- SWITCHBOARD_RETENTION_MESSAGE_CONTENT_DAYS, what users and businesses wrote is removed from
-- messages past it — the send request keeps its addressing, type, template name and the tenant's
-- biz_opaque_callback_data; a received message keeps its sender, id, time and type — and the time
-- it was done is recorded. The rest of the history (statuses, pricing, attempts) is kept.
alter table messages add column content_redacted_at timestamptz;
alter table inbound_messages add column content_redacted_at timestamptz;

-- How far each table has been redacted, so a run reads only rows it has not seen: every row with
-- an id up to last_id was redacted, except the `waiting` ones (outbound messages still queued when
-- they were reached: their body is still needed to send them), retried at each run.
create table retention_marks (
  name text primary key,
  last_id bigint not null,
  waiting bigint[] not null default '{}'
);
