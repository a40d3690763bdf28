-- Category and tag pages list their articles newest first. Each filing row now carries the
-- article's publication time while it is published (NULL otherwise), so a page of a
-- category, its count and its newest article are read from one index in date order,
-- without gathering and sorting the category's articles (a category of thousands cost
-- milliseconds a page). The store keeps the column in step on every write that changes an
-- article's state, date or filing.
ALTER TABLE article_categories ADD COLUMN published_at BIGINT;
ALTER TABLE article_tags ADD COLUMN published_at BIGINT;
UPDATE article_categories SET published_at =
    (SELECT CASE WHEN a.status = 'published' THEN a.published_at END FROM articles a WHERE a.id = article_categories.article_id);
UPDATE article_tags SET published_at =
    (SELECT CASE WHEN a.status = 'published' THEN a.published_at END FROM articles a WHERE a.id = article_tags.article_id);
CREATE INDEX article_categories_by_date ON article_categories (category_id, published_at DESC, article_id DESC);
CREATE INDEX article_tags_by_date ON article_tags (tag_id, published_at DESC, article_id DESC);
