-- The reading site's tables: people, the category tree, tags, articles with their
-- categories and tags, reader comments, breaking items, and the outbox of events.
-- Storage rules (see ARCHITECTURE.md): times are BIGINT unix microseconds UTC, booleans
-- INTEGER 0/1, JSON as TEXT; this file and ../sqlite/0001_site.sql say the same thing.

-- Staff and bylines. A person without a password hash cannot log in (imported authors).
CREATE TABLE people (
    id            BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug          TEXT NOT NULL UNIQUE,
    name          TEXT NOT NULL,
    email         TEXT UNIQUE,
    bio           TEXT NOT NULL DEFAULT '',
    role          TEXT NOT NULL DEFAULT 'author',
    password_hash TEXT,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    BIGINT NOT NULL
);

-- Categories nest; a slug is unique among its siblings, so the whole path names one category.
CREATE TABLE categories (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    parent_id   BIGINT REFERENCES categories(id),
    slug        TEXT NOT NULL,
    name        TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    position    BIGINT NOT NULL DEFAULT 0,
    created_at  BIGINT NOT NULL
);
CREATE UNIQUE INDEX categories_sibling_slug ON categories (COALESCE(parent_id, 0), slug);

CREATE TABLE tags (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- `status` is a PublishState word. `published_at` is what readers see as the date;
-- `modified_at` is the "updated" time shown when a published story changed.
-- `version` grows on every save (edit conflicts are detected against it).
CREATE TABLE articles (
    id                  BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title               TEXT NOT NULL,
    slug                TEXT NOT NULL,
    excerpt             TEXT NOT NULL DEFAULT '',
    featured_image      TEXT,
    status              TEXT NOT NULL,
    author_id           BIGINT NOT NULL REFERENCES people(id),
    primary_category_id BIGINT REFERENCES categories(id),
    publish_at          BIGINT,
    published_at        BIGINT,
    modified_at         BIGINT,
    created_at          BIGINT NOT NULL,
    updated_at          BIGINT NOT NULL,
    version             BIGINT NOT NULL DEFAULT 1,
    sticky              INTEGER NOT NULL DEFAULT 0,
    -- Last, so reading a list's columns never walks through a long body's overflow pages.
    body_html           TEXT NOT NULL
);
CREATE INDEX articles_by_status_date ON articles (status, published_at DESC, id DESC);
CREATE INDEX articles_by_author ON articles (author_id, published_at DESC);

-- Every category an article is filed under, the primary one included, so one join finds
-- a category's articles.
CREATE TABLE article_categories (
    article_id  BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    category_id BIGINT NOT NULL REFERENCES categories(id),
    PRIMARY KEY (article_id, category_id)
);
CREATE INDEX article_categories_by_category ON article_categories (category_id, article_id);

CREATE TABLE article_tags (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    tag_id     BIGINT NOT NULL REFERENCES tags(id),
    PRIMARY KEY (article_id, tag_id)
);
CREATE INDEX article_tags_by_tag ON article_tags (tag_id, article_id);

-- Reader comments. The email is kept for moderation and never shown.
CREATE TABLE comments (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    article_id   BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    parent_id    BIGINT REFERENCES comments(id),
    author_name  TEXT NOT NULL,
    author_email TEXT NOT NULL,
    author_url   TEXT,
    body         TEXT NOT NULL,
    status       TEXT NOT NULL,
    created_at   BIGINT NOT NULL
);
CREATE INDEX comments_by_article ON comments (article_id, status, created_at);

-- The ticker: live from starts_at until expires_at, shown in `position` order.
CREATE TABLE breaking_items (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    text       TEXT NOT NULL,
    article_id BIGINT REFERENCES articles(id) ON DELETE SET NULL,
    starts_at  BIGINT NOT NULL,
    expires_at BIGINT NOT NULL,
    position   BIGINT NOT NULL DEFAULT 0,
    created_at BIGINT NOT NULL
);
CREATE INDEX breaking_items_live ON breaking_items (expires_at, starts_at);

-- Events readers can see, written in the same transaction as the change; subscribers
-- (page cache, search, CDN purge) consume them in id order.
CREATE TABLE outbox (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic      TEXT NOT NULL,
    payload    TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Small facts about this site's data (for example whether demo content was loaded).
CREATE TABLE site_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
