-- The category bar in a chosen order, with links of its own: what a migrated site's primary
-- menu held. Empty means the default bar (the top-level categories by position). A link
-- names a category (shown with its current name and path unless `label` overrides it) or a URL.
CREATE TABLE nav_links (
    id          BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    position    BIGINT NOT NULL,
    label       TEXT NOT NULL DEFAULT '',
    category_id BIGINT REFERENCES categories(id) ON DELETE CASCADE,
    url         TEXT,
    created_at  BIGINT NOT NULL
);
