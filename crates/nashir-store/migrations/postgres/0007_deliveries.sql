-- Outgoing HTTP notifications made from outbox events (WebSub pings, IndexNow pings; later
-- CDN purges and webhooks). One row per (event, kind, target): every instance's dispatcher
-- may offer the same event, the unique key keeps one. Sent by whichever instance claims it.
CREATE TABLE deliveries (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    kind            TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL UNIQUE,
    target_url      TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_status     BIGINT,
    last_error      TEXT
);
CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
