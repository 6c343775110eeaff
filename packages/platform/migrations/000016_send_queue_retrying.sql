-- A conversation's messages go to Meta in the order they were accepted, also when one has to be
-- tried again: a queued message is not claimed while an earlier message to the same recipient
-- from the same number waits for its retry (or is in flight). Only messages with an attempt on
-- record can wait so, and they are few; a message is accepted with `attempts` 0, so this index
-- costs the accept path nothing.
create index send_queue_retrying on send_queue (phone_number_id, recipient, message_id) where attempts > 0;
