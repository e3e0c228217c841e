-- Telegram's flood control (429 retry_after) applies to the whole bot: with several delivery
-- processes, the one that is told writes here and the others pause too.
CREATE TABLE delivery_pause (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    until  TEXT NOT NULL
);
