-- Readers' views of articles by hour (unix seconds / 3600). Each instance counts beacons in
-- memory and adds its counts here every few seconds, one row write per article per flush;
-- instances merge by addition. "Most read" sums the last 24 hours or 7 days.
CREATE TABLE article_views (
    article_id BIGINT NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
    hour       BIGINT NOT NULL,
    views      BIGINT NOT NULL,
    PRIMARY KEY (article_id, hour)
);
CREATE INDEX article_views_by_hour ON article_views (hour, article_id);
