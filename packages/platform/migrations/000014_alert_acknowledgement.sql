-- An alert is acknowledged once someone has seen to it (POST /api/v1/alerts/{id}/acknowledge):
-- when, and by whom ('operator', or 'key:' and the id of the tenant's API key, as in
-- contact_events.actor). The first acknowledgement stands; the list can show the alerts nobody
-- has acknowledged yet.
alter table alerts add column acknowledged_at timestamptz, add column acknowledged_by text;
create index alerts_unacknowledged on alerts (tenant_id, id desc) where acknowledged_at is null;
