-- Meta retries a webhook POST it considers undelivered, with the same body. Messages and statuses
-- are deduplicated by their ids, but template, quality and account changes carry none: a digest
-- of the body makes a retried POST a no-op as a whole.
alter table inbound_events add column digest bytea;
create unique index inbound_events_digest on inbound_events (digest);
