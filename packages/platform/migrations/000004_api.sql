-- What the /api/v1 asset endpoints show of a WABA and its numbers, read from Meta when a WABA is
-- attached or synced: the verified name, the (portfolio-level) messaging limit, the throughput
-- level behind `mps`, and when Meta was last asked.
alter table wabas add column synced_at timestamptz;

alter table phone_numbers
  add column verified_name text,
  add column messaging_limit_tier text,
  add column throughput_level text,
  add column synced_at timestamptz;

create index phone_numbers_waba on phone_numbers (waba_id);
