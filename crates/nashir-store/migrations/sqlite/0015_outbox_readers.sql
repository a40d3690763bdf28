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

-- Periodic jobs that must run once per period whichever instance runs them (scheduled
-- backups): the instance that moves `next_at` forward runs the job.
CREATE TABLE job_runs (
    name    TEXT PRIMARY KEY,
    next_at BIGINT NOT NULL
);
