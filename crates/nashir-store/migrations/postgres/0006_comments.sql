-- Reader comments grow what moderation needs. Emails are kept in lower case, so "the first
-- comment of an email waits" matches however a commenter types it; the writer's address is
-- kept for moderation and erased after a while by a scheduled job; a comment set aside as
-- spam or trash remembers the status it had; staff replies name their writer; text_key (a
-- hash of the normalized text) finds the same text posted twice in a day.
ALTER TABLE comments ADD COLUMN author_ip TEXT;
ALTER TABLE comments ADD COLUMN staff_id BIGINT REFERENCES people(id);
ALTER TABLE comments ADD COLUMN status_before TEXT;
ALTER TABLE comments ADD COLUMN text_key TEXT NOT NULL DEFAULT '';
ALTER TABLE comments ADD COLUMN updated_at BIGINT;
UPDATE comments SET author_email = LOWER(TRIM(author_email));
CREATE INDEX comments_by_email ON comments (author_email, status);
CREATE INDEX comments_by_status ON comments (status, created_at DESC, id DESC);
CREATE INDEX comments_by_text ON comments (text_key, created_at);
CREATE INDEX comments_by_address ON comments (author_ip, created_at) WHERE author_ip IS NOT NULL;

-- Comments can be closed per article (an imported "closed" post, or the editor's choice).
ALTER TABLE articles ADD COLUMN comments_open INTEGER NOT NULL DEFAULT 1;

-- Approved comments per article, for lists and the article page. A table of its own: a
-- column added to articles would sit after the body, and lists would read every body's
-- overflow pages to reach it.
CREATE TABLE comment_counts (
    article_id BIGINT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    approved   BIGINT NOT NULL
);
INSERT INTO comment_counts (article_id, approved)
    SELECT article_id, COUNT(*) FROM comments WHERE status = 'approved' GROUP BY article_id;

-- Erasures of a commenter, logged without the email.
CREATE TABLE comment_erasures (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    erased_at    BIGINT NOT NULL,
    by_person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    mode         TEXT NOT NULL,
    comments     BIGINT NOT NULL
);

-- Mail to send, written in the transaction that causes it and sent by whichever instance
-- claims it first, with retries.
CREATE TABLE mail_queue (
    id              BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    recipient       TEXT NOT NULL,
    subject         TEXT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    attempts        BIGINT NOT NULL DEFAULT 0,
    next_attempt_at BIGINT NOT NULL,
    claimed_until   BIGINT,
    sent_at         BIGINT,
    failed_at       BIGINT,
    last_error      TEXT
);
CREATE INDEX mail_queue_due ON mail_queue (next_attempt_at) WHERE sent_at IS NULL AND failed_at IS NULL;
