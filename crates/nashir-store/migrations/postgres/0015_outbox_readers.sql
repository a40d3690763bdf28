-- Where each instance is in the outbox (an instance is a data folder: its search index
-- resumes the outbox after the position it committed). The outbox is pruned up to the
-- oldest position of the instances seen within the retention period, and past the
-- retention period in any case. Added alone, so an older version keeps working beside it.
CREATE TABLE outbox_readers (
    instance TEXT PRIMARY KEY,
    position BIGINT NOT NULL,
    seen_at  BIGINT NOT NULL
);
CREATE INDEX outbox_created ON outbox (created_at);
