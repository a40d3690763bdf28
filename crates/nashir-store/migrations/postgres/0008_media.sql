-- The media library. A photo's files are named by the hash of what was uploaded and their
-- width and format, so their URLs follow from this row alone (an article page needs no extra
-- round trip for its photo). `status` is 'processing' until every variant is written by a
-- worker that claims the row under a lease (a crash leaves it to be claimed again), then
-- 'ready'; 'failed' keeps the reason.
CREATE TABLE media (
    id             BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    hash           TEXT NOT NULL,
    format         TEXT NOT NULL,
    original_name  TEXT NOT NULL,
    width          BIGINT NOT NULL,
    height         BIGINT NOT NULL,
    bytes          BIGINT NOT NULL,
    title          TEXT NOT NULL DEFAULT '',
    alt            TEXT NOT NULL DEFAULT '',
    caption        TEXT NOT NULL DEFAULT '',
    credit         TEXT NOT NULL DEFAULT '',
    status         TEXT NOT NULL,
    variants_done  BIGINT NOT NULL DEFAULT 0,
    variants_total BIGINT NOT NULL DEFAULT 0,
    claimed_until  BIGINT,
    attempts       BIGINT NOT NULL DEFAULT 0,
    last_error     TEXT,
    uploaded_by    BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at     BIGINT NOT NULL,
    updated_at     BIGINT NOT NULL
);
CREATE INDEX media_recent ON media (created_at);
CREATE INDEX media_waiting ON media (status) WHERE status = 'processing';
ALTER TABLE articles ADD COLUMN featured_media_id BIGINT REFERENCES media(id) ON DELETE SET NULL;
CREATE INDEX articles_featured_media ON articles (featured_media_id);
