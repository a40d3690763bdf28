-- Integrations: keys for the Admin API, each acting as its own person (a byline with a
-- role, no email and no password: it cannot log in) so revisions, permissions and the audit
-- log name it. Only a hash of each secret is kept; the prefix finds the key.
ALTER TABLE people ADD COLUMN integration BIGINT NOT NULL DEFAULT 0;
CREATE TABLE api_keys (
    id           BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    person_id    BIGINT NOT NULL REFERENCES people(id),
    name         TEXT NOT NULL,
    prefix       TEXT NOT NULL UNIQUE,
    secret_hash  TEXT NOT NULL,
    created_by   BIGINT REFERENCES people(id) ON DELETE SET NULL,
    created_at   BIGINT NOT NULL,
    last_used_at BIGINT,
    revoked_at   BIGINT
);
-- A create retried with the same Idempotency-Key gets the first answer again.
CREATE TABLE api_idempotency (
    key_id          BIGINT NOT NULL REFERENCES api_keys(id),
    idempotency_key TEXT NOT NULL,
    request_hash    TEXT NOT NULL,
    status          BIGINT NOT NULL,
    body            TEXT NOT NULL,
    created_at      BIGINT NOT NULL,
    PRIMARY KEY (key_id, idempotency_key)
);
-- Every change made in the newsroom or through the Admin API: who (a person, through a key
-- or a session), what, when.
CREATE TABLE audit_log (
    id        BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    at        BIGINT NOT NULL,
    person_id BIGINT REFERENCES people(id) ON DELETE SET NULL,
    key_id    BIGINT REFERENCES api_keys(id) ON DELETE SET NULL,
    action    TEXT NOT NULL,
    subject   TEXT NOT NULL,
    detail    TEXT NOT NULL DEFAULT '',
    status    BIGINT NOT NULL
);
CREATE INDEX audit_log_by_time ON audit_log (at, id);
CREATE INDEX audit_log_by_person ON audit_log (person_id, at);
