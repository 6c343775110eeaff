-- The queue of undelivered tenant events, apart from the events themselves.
--
-- Until now an event's queue membership was its `state` ('pending'), named in the predicates of
-- the two partial indexes the delivery worker reads (per destination, per conversation). A column
-- an index names cannot change in a HOT update, so marking an event delivered wrote a whole new
-- version of its row, body included, to another page, with a new entry in each full index: in
-- the end-to-end benchmark (`npm run bench -- --wal`) the events and their indexes were 54 % of the
-- WAL a message wrote. Now a narrow row per undelivered event holds what the worker orders and
-- waits on; it is inserted with the event and deleted when the event is delivered or
-- dead-lettered, and the event's own update names no indexed column (HOT, on the same page).
-- `webhook_events.state` still says what happened to each event (the events API); the two are
-- written by the same statements.
create table webhook_pending (
  event_id bigint primary key,
  destination_id bigint not null,
  tenant_id uuid not null,
  ordering_key text not null
);
-- A destination's queue, in order (claims, the sweep, the oldest event's lag).
create index webhook_pending_queue on webhook_pending (destination_id, event_id);
-- "Is an earlier event of this conversation still undelivered on another destination?"
create index webhook_pending_ordering on webhook_pending (tenant_id, ordering_key, event_id);

insert into webhook_pending (event_id, destination_id, tenant_id, ordering_key)
select id, destination_id, tenant_id, ordering_key from webhook_events
where state = 'pending' and destination_id is not null;

-- A pending event without a destination cannot be sent (none is written so; a destination deleted
-- by hand would leave one): dead-lettered, so it can be replayed.
update webhook_events set state = 'dead', dead_at = now(), last_error = coalesce(last_error, 'No destination.')
where state = 'pending' and destination_id is null;

-- Every dead event has its dead_at (written with the state since migration 3); made sure of here,
-- since the index below finds dead letters by it.
update webhook_events set dead_at = created_at where state = 'dead' and dead_at is null;

drop index webhook_events_queue;
drop index webhook_events_ordering;
-- Dead letters by `dead_at`, set exactly while an event is dead, instead of by `state`: a
-- predicate naming `state` would keep the delivered update from being HOT.
drop index webhook_events_dead;
create index webhook_events_dead on webhook_events (tenant_id, id) where dead_at is not null;
-- Room on each page for the delivered version of every event on it: an event is about 1 KB, so at
-- fillfactor 70 a page had room for two new versions and half of the delivered updates still
-- moved to another page (measured with --wal); at 50 all stayed. The table's pages are half empty
-- while delivered events are kept (SWITCHBOARD_RETENTION_TENANT_WEBHOOK_DAYS): disk traded for
-- writing each delivery once, small, with no index entries.
alter table webhook_events set (fillfactor = 50);
