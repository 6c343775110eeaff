-- Which events a POST carried, as arrays on both sides instead of a link row per (event, attempt).
-- In the end-to-end benchmark (pg_stat_statements), recording a delivery was 21 % of PostgreSQL's
-- time, most of it the up to 100 link rows per POST (heap, two index entries, a foreign-key check
-- each). The attempt now lists its events (webhook_attempts.event_ids: the delivery log) and each
-- event lists its attempts (webhook_events.attempt_ids: an event's history, capped by the retry
-- window at a few dozen), written by the statements that already write those rows.
alter table webhook_attempts add column event_ids bigint[] not null default '{}';
alter table webhook_events add column attempt_ids bigint[] not null default '{}';

update webhook_attempts a set event_ids = l.ids
from (select attempt_id, array_agg(event_id order by event_id) as ids from webhook_attempt_events group by attempt_id) l
where l.attempt_id = a.id;

update webhook_events e set attempt_ids = l.ids
from (select event_id, array_agg(attempt_id order by attempt_id) as ids from webhook_attempt_events group by event_id) l
where l.event_id = e.id;

drop table webhook_attempt_events;

-- No foreign keys on the rows written per event and per POST, as on messages and the other
-- per-message tables: each inserted row's check takes a key-share lock on its tenant's row, which
-- every concurrent transaction of the tenant shares (a multixact per new locker). Measured in the
-- end-to-end benchmark: queuing ~90 events took 5.5 ms with the checks and 3.1 ms without.
-- Tenants and destinations are never deleted by the platform; their ids here are written from
-- rows just read in the same statement.
alter table webhook_events drop constraint webhook_events_tenant_id_fkey, drop constraint webhook_events_destination_id_fkey;
alter table webhook_attempts drop constraint webhook_attempts_tenant_id_fkey, drop constraint webhook_attempts_destination_id_fkey;
