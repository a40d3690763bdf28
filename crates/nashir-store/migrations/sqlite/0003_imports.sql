-- Imports and the URLs of the old site: where each imported record came from (so a re-run
-- updates instead of duplicating), the old paths that answer 301 to the new canonical URLs,
-- and static pages (WordPress pages, with their hierarchy). Same text as
-- ../postgres/0003_imports.sql but for identity columns.

-- One row per imported record: (source site, kind, id there) → id here.
CREATE TABLE import_keys (
    source    TEXT NOT NULL,
    kind      TEXT NOT NULL,
    source_id TEXT NOT NULL,
    local_id  BIGINT NOT NULL,
    PRIMARY KEY (source, kind, source_id)
);

-- Old paths (with their query, as `/?p=12`) and what they now mean: `article:ID`,
-- `page:ID`, `category:ID`, `tag:ID` or `author:ID`, resolved to the current canonical URL
-- at request time so a later slug change still lands right.
CREATE TABLE redirects (
    old_path   TEXT PRIMARY KEY,
    target     TEXT NOT NULL,
    created_at BIGINT NOT NULL
);

-- Static pages, served at /page/{parent}/{child}.
CREATE TABLE pages (
    id         INTEGER PRIMARY KEY,
    parent_id  BIGINT REFERENCES pages(id),
    slug       TEXT NOT NULL,
    title      TEXT NOT NULL,
    body_html  TEXT NOT NULL,
    status     TEXT NOT NULL,
    menu_order BIGINT NOT NULL DEFAULT 0,
    author_id  BIGINT REFERENCES people(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX pages_sibling_slug ON pages (COALESCE(parent_id, 0), slug);

-- Imports make slugs unique across articles; finding a taken slug must not scan the table.
CREATE INDEX articles_by_slug ON articles (slug);

-- The home page leads with the newest sticky story; finding it must not scan the archive.
CREATE INDEX articles_sticky ON articles (sticky, status, published_at);
