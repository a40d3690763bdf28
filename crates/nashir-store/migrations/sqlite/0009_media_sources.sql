-- Files a migrated site served from wp-content/uploads, by their path below `uploads/`,
-- now photos of the media library: their old URLs (and the `/uploads/…` URLs an import
-- wrote into bodies) answer 301 with the photo's file. The copied originals, which held
-- their metadata, are deleted once the photo is in the library.
CREATE TABLE media_sources (
    path     TEXT PRIMARY KEY,
    media_id INTEGER NOT NULL REFERENCES media(id) ON DELETE CASCADE
);
