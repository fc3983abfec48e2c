-- The wordgarden schema. It is applied at every start, so every statement must
-- be safe to run again. Bump user_version (last line) when the schema changes
-- and teach server/store.migrate how to bring an older database up to date.

-- Small facts the application keeps about itself, such as the session key.
CREATE TABLE IF NOT EXISTS settings (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) WITHOUT ROWID;

-- Organisations of partners. Both sectors are equal partners.
CREATE TABLE IF NOT EXISTS organisations (
    id         INTEGER PRIMARY KEY,
    name       TEXT NOT NULL UNIQUE COLLATE NOCASE,
    sector     TEXT NOT NULL CHECK (sector IN ('statutory', 'voluntary')),
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    id              INTEGER PRIMARY KEY,
    -- Residents will join with an invite code and may have no email address.
    email           TEXT UNIQUE COLLATE NOCASE,
    name            TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('resident', 'partner', 'facilitator')),
    organisation_id INTEGER REFERENCES organisations (id),
    password_hash   TEXT NOT NULL,
    created_at      TIMESTAMP NOT NULL,
    CHECK ((role = 'partner') = (organisation_id IS NOT NULL)),
    CHECK (role = 'resident' OR email IS NOT NULL)
);
CREATE INDEX IF NOT EXISTS users_organisation ON users (organisation_id);

-- Signed-in sessions. The cookie holds a random token; only its hash is kept
-- here, so that signing out ends the session for good.
CREATE TABLE IF NOT EXISTS sessions (
    token_hash BLOB PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS sessions_expiry ON sessions (expires_at);

CREATE TABLE IF NOT EXISTS terms (
    id                INTEGER PRIMARY KEY,
    slug              TEXT NOT NULL UNIQUE,
    title             TEXT NOT NULL,
    -- The version a settled round adopted, or the one imported as agreed.
    agreed_version_id INTEGER REFERENCES versions (id),
    created_at        TIMESTAMP NOT NULL,
    updated_at        TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS terms_updated ON terms (updated_at);

-- One proposed wording of a term. Versions are never edited: an amendment is a
-- new version whose parent is the one it amends. Author, organisation and
-- sector are copied in at writing so that provenance never changes later.
CREATE TABLE IF NOT EXISTS versions (
    id                INTEGER PRIMARY KEY,
    term_id           INTEGER NOT NULL REFERENCES terms (id),
    parent_id         INTEGER REFERENCES versions (id),
    author_id         INTEGER REFERENCES users (id),
    author_name       TEXT NOT NULL,
    author_role       TEXT NOT NULL CHECK (author_role IN ('partner', 'facilitator', 'import')),
    organisation_name TEXT NOT NULL DEFAULT '',
    sector            TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'statutory', 'voluntary')),
    markdown          TEXT NOT NULL,
    -- Made from markdown once, when the version is written (and again only
    -- when a term it links to comes into being, to turn the link live).
    html              TEXT NOT NULL,
    text              TEXT NOT NULL,
    summary           TEXT NOT NULL,
    created_at        TIMESTAMP NOT NULL
);
CREATE INDEX IF NOT EXISTS versions_term ON versions (term_id, id);

CREATE TRIGGER IF NOT EXISTS versions_immutable
BEFORE UPDATE OF id, term_id, parent_id, author_id, author_name, author_role,
    organisation_name, sector, markdown, summary, created_at ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;

CREATE TRIGGER IF NOT EXISTS versions_never_deleted
BEFORE DELETE ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are never deleted');
END;

CREATE TRIGGER IF NOT EXISTS versions_parent_same_term
BEFORE INSERT ON versions
WHEN NEW.parent_id IS NOT NULL
    AND (SELECT term_id FROM versions WHERE id = NEW.parent_id) IS NOT NEW.term_id
BEGIN
    SELECT RAISE(ABORT, 'a version can only amend a version of the same term');
END;

-- Wiki links, [[...]], from a version to a term slug that may not exist yet.
CREATE TABLE IF NOT EXISTS links (
    version_id  INTEGER NOT NULL REFERENCES versions (id),
    target_slug TEXT NOT NULL,
    PRIMARY KEY (version_id, target_slug)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS links_target ON links (target_slug, version_id);

-- Full-text search, one row per term (rowid = terms.id): its title, the plain
-- text of its agreed version and of every other version.
CREATE VIRTUAL TABLE IF NOT EXISTS term_search USING fts5 (
    title, agreed, proposed,
    tokenize = 'unicode61 remove_diacritics 2'
);

PRAGMA user_version = 1;
