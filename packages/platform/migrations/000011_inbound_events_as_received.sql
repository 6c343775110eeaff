-- Meta's webhook bodies are kept as the text they arrived in (json) instead of jsonb: PostgreSQL no
-- longer parses each POST into its binary form (the platform reads the body back whole, never
-- queries inside it), the raw event keeps its key order, and the platform does not serialise the
-- parsed body again to store it. Text that no PostgreSQL value can hold (U+0000, unpaired
-- surrogates) is replaced before it is stored (inbound/routes.ts).
alter table inbound_events alter column body type json using body::json;
