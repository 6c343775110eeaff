-- Migration 16's index covered the messages that wait for their retry (attempts > 0), but a message
-- on its first attempt is in flight with attempts 0. Only the lease holder's lane sends, so one
-- lane never has a message in flight while it claims; but for a moment after a lease passes to
-- another process, the old holder's lane may mark a first attempt in flight after the new lane's
-- start-up recovery has looked, and the new lane then sent the next message of that conversation
-- ahead of it (the two-process PostgreSQL-restart fault scenario caught one). A message in flight
-- now holds its conversation back too, and this index finds both kinds.
drop index send_queue_retrying;
create index send_queue_holding on send_queue (phone_number_id, recipient, message_id)
  where attempts > 0 or in_flight_since is not null;
