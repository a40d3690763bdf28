-- Webhooks: URLs an administrator registered for some events. Their deliveries are rows of
-- `deliveries` (kind 'webhook') pointing back here, signed with the hook's secret when sent.
CREATE TABLE webhooks (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    url         TEXT NOT NULL,
    -- Comma-separated event names (article.published, comment.held, …).
    events      TEXT NOT NULL,
    secret      TEXT NOT NULL,
    created_by  BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at  BIGINT NOT NULL,
    disabled_at BIGINT
);
ALTER TABLE deliveries ADD COLUMN webhook_id BIGINT REFERENCES webhooks(id) ON DELETE CASCADE;
CREATE INDEX deliveries_by_webhook ON deliveries (webhook_id, id);
