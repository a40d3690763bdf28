-- A photo whose file was replaced: the files of its old upload (named by the old hash's
-- first 20 hex characters) answer 301 with the same size of the new file.
CREATE TABLE media_replaced (
    old_prefix TEXT PRIMARY KEY,
    media_id   INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE
);
