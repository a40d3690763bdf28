-- The newsroom: staff sessions (server-side, so they survive restarts and work across
-- instances), login failures for lockouts, revisions of published articles, old slugs that
-- keep redirecting, per-person autosaves, and who last changed an article (for conflict
-- messages). Same text as ../sqlite/0002_newsroom.sql but for identity columns.

-- A session is found by the SHA-256 of its cookie, so a leaked table cannot be replayed.
CREATE TABLE sessions (
    token_hash   TEXT PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    csrf_token   TEXT NOT NULL,
    created_at   BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at   BIGINT NOT NULL
);
CREATE INDEX sessions_by_person ON sessions (person_id);

-- One row per failed login; lockouts count rows in a sliding window.
CREATE TABLE login_failures (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email      TEXT NOT NULL,
    address    TEXT NOT NULL,
    failed_at  BIGINT NOT NULL
);
CREATE INDEX login_failures_by_pair ON login_failures (email, address, failed_at);
CREATE INDEX login_failures_by_address ON login_failures (address, failed_at);

-- The state of a published article before each save.
CREATE TABLE article_revisions (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    version    BIGINT NOT NULL,
    title      TEXT NOT NULL,
    slug       TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    excerpt    TEXT NOT NULL,
    saved_by   BIGINT REFERENCES people(id),
    saved_at   BIGINT NOT NULL
);
CREATE INDEX article_revisions_by_article ON article_revisions (article_id, id);

-- Slugs an article had before; its canonical URL is still found from them.
CREATE TABLE article_slugs (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    slug       TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (article_id, slug)
);

-- Unsaved editor text, one per article and person, restored when the editor reopens.
CREATE TABLE autosaves (
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    person_id    BIGINT NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    title        TEXT NOT NULL,
    body_html    TEXT NOT NULL,
    excerpt      TEXT NOT NULL,
    base_version BIGINT NOT NULL,
    saved_at     BIGINT NOT NULL,
    PRIMARY KEY (article_id, person_id)
);

ALTER TABLE articles ADD COLUMN updated_by BIGINT REFERENCES people(id);
CREATE INDEX articles_due ON articles (status, publish_at);
