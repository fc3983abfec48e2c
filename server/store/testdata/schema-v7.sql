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

-- Neighbourhoods residents belong to and vote from.
CREATE TABLE IF NOT EXISTS neighbourhoods (
    id         INTEGER PRIMARY KEY,
    slug       TEXT NOT NULL UNIQUE,
    name       TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS users (
    id               INTEGER PRIMARY KEY,
    -- Partners and facilitators sign in with their email; residents join with
    -- an invite code and sign in with their name, unique among residents.
    email            TEXT UNIQUE COLLATE NOCASE,
    name             TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('resident', 'partner', 'facilitator')),
    organisation_id  INTEGER REFERENCES organisations (id),
    neighbourhood_id INTEGER REFERENCES neighbourhoods (id),
    password_hash    TEXT NOT NULL,
    created_at       TIMESTAMP NOT NULL,
    -- A facilitator may switch an account off: it cannot sign in until it
    -- is switched on again.
    disabled_at      TIMESTAMP,
    -- An erased resident keeps this row, so that their ballots still count
    -- and their comments still have an author: the name is replaced by
    -- "A former resident" and the password by nothing.
    erased_at        TIMESTAMP,
    CHECK ((role = 'partner') = (organisation_id IS NOT NULL)),
    CHECK ((role = 'resident') = (neighbourhood_id IS NOT NULL)),
    CHECK ((role = 'resident') = (email IS NULL))
);
CREATE INDEX IF NOT EXISTS users_organisation ON users (organisation_id);
CREATE UNIQUE INDEX IF NOT EXISTS users_resident_name ON users (name COLLATE NOCASE)
    WHERE role = 'resident' AND erased_at IS NULL;

-- One-time invite codes, printed for a neighbourhood. Only a hash of each
-- code is kept; the code itself is shown once, on the page that prints it.
CREATE TABLE IF NOT EXISTS invites (
    id               INTEGER PRIMARY KEY,
    code_hash        BLOB NOT NULL UNIQUE,
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    created_at       TIMESTAMP NOT NULL,
    expires_at       TIMESTAMP,
    used_at          TIMESTAMP,
    user_id          INTEGER UNIQUE REFERENCES users (id),
    CHECK ((used_at IS NULL) = (user_id IS NULL))
);
CREATE INDEX IF NOT EXISTS invites_neighbourhood ON invites (neighbourhood_id);

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
-- "Used in": the terms whose agreed version links to a term.
CREATE INDEX IF NOT EXISTS terms_agreed ON terms (agreed_version_id);

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
    created_at        TIMESTAMP NOT NULL,
    -- The wording's language. English is the source: a version in another
    -- language translates the English version translates_id of the same
    -- term, and title is the term's title in that language (see the
    -- trigger versions_translation).
    lang              TEXT NOT NULL DEFAULT 'en',
    translates_id     INTEGER REFERENCES versions (id),
    title             TEXT NOT NULL DEFAULT ''
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
-- text of its agreed version and of every other English version, and the
-- titles and texts of its translations.
CREATE VIRTUAL TABLE IF NOT EXISTS term_search USING fts5 (
    title, agreed, proposed, translated_title, translated,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- A vote on one term. Its rules are fixed when it opens; result holds the
-- tally (JSON) stored in the same transaction that closes it.
CREATE TABLE IF NOT EXISTS rounds (
    id                INTEGER PRIMARY KEY,
    term_id           INTEGER NOT NULL REFERENCES terms (id),
    method            TEXT NOT NULL CHECK (method IN ('approval', 'ranked')),
    quorum            INTEGER NOT NULL CHECK (quorum >= 0),
    threshold_pct     INTEGER NOT NULL CHECK (threshold_pct BETWEEN 0 AND 100),
    opened_by         INTEGER NOT NULL REFERENCES users (id),
    opened_at         TIMESTAMP NOT NULL,
    closes_at         TIMESTAMP NOT NULL,
    closed_at         TIMESTAMP,
    outcome           TEXT CHECK (outcome IN ('settled', 'tie', 'no_quorum', 'below_threshold')),
    winner_version_id INTEGER REFERENCES versions (id),
    result            TEXT,
    -- The language of its candidates: a round in Spanish chooses the
    -- term's agreed Spanish wording (agreed_translations).
    lang              TEXT NOT NULL DEFAULT 'en',
    -- Set when a facilitator cancels the round before it closes (who and
    -- why are in round_changes): it takes no more ballots and is never
    -- counted, and the term may have another open round.
    cancelled_at      TIMESTAMP,
    CHECK ((closed_at IS NULL) = (outcome IS NULL) AND (closed_at IS NULL) = (result IS NULL)),
    CHECK ((outcome = 'settled') = (winner_version_id IS NOT NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS rounds_one_open_per_term ON rounds (term_id, lang)
    WHERE closed_at IS NULL AND cancelled_at IS NULL;
CREATE INDEX IF NOT EXISTS rounds_open ON rounds (closes_at) WHERE closed_at IS NULL;

-- The closing time is not among the fixed rules: it may move later while
-- the round is open (rounds_closing_later).
CREATE TRIGGER IF NOT EXISTS rounds_rules_fixed
BEFORE UPDATE OF term_id, method, quorum, threshold_pct, opened_by, opened_at ON rounds
BEGIN
    SELECT RAISE(ABORT, 'the rules of a round cannot change once it is open');
END;

CREATE TRIGGER IF NOT EXISTS rounds_closed_once
BEFORE UPDATE OF closed_at, outcome, winner_version_id, result ON rounds
WHEN OLD.closed_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a closed round cannot change');
END;

CREATE TABLE IF NOT EXISTS round_candidates (
    round_id   INTEGER NOT NULL REFERENCES rounds (id),
    version_id INTEGER NOT NULL REFERENCES versions (id),
    position   INTEGER NOT NULL,
    PRIMARY KEY (round_id, version_id)
) WITHOUT ROWID;

-- The neighbourhoods a round is limited to; none means every neighbourhood.
CREATE TABLE IF NOT EXISTS round_neighbourhoods (
    round_id         INTEGER NOT NULL REFERENCES rounds (id),
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    PRIMARY KEY (round_id, neighbourhood_id)
) WITHOUT ROWID;

-- One ballot per resident per round, kept so by the unique key; changing a
-- ballot replaces its marks and gives it a new receipt. The neighbourhood is
-- the voter's at voting time, so a tally needs no join to users.
CREATE TABLE IF NOT EXISTS ballots (
    id               INTEGER PRIMARY KEY,
    round_id         INTEGER NOT NULL REFERENCES rounds (id),
    user_id          INTEGER NOT NULL REFERENCES users (id),
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    marks            TEXT NOT NULL,
    receipt          TEXT NOT NULL UNIQUE,
    cast_at          TIMESTAMP NOT NULL,
    UNIQUE (round_id, user_id)
);
CREATE INDEX IF NOT EXISTS ballots_count ON ballots (round_id, neighbourhood_id, marks);

-- Local words to avoid, added by facilitators, which the plain-language check
-- flags beside GOV.UK's and the NHS's lists (server/plain/words).
CREATE TABLE IF NOT EXISTS local_words (
    id         INTEGER PRIMARY KEY,
    phrase     TEXT NOT NULL UNIQUE COLLATE NOCASE,
    suggestion TEXT NOT NULL,
    added_by   TEXT NOT NULL,
    created_at TIMESTAMP NOT NULL
);

-- Recent changes (GET /changes and the Atom feeds) read each table newest
-- first, a page at a time (server/store/changes.go).
CREATE INDEX IF NOT EXISTS terms_created ON terms (created_at);
CREATE INDEX IF NOT EXISTS versions_created ON versions (created_at);
CREATE INDEX IF NOT EXISTS rounds_opened ON rounds (opened_at);
CREATE INDEX IF NOT EXISTS rounds_closed ON rounds (closed_at) WHERE closed_at IS NOT NULL;

-- Feedback on a version ("test and learn"): a question, a suggestion, or
-- what happened when people were told the wording. Replies go one level
-- deep: a reply's parent is a comment that is no reply itself. Who wrote it
-- and where they speak from are copied in at writing, as for versions.
-- Comments are never deleted or edited; a facilitator hides one with a
-- reason, and it stays here.
CREATE TABLE IF NOT EXISTS comments (
    id                 INTEGER PRIMARY KEY,
    version_id         INTEGER NOT NULL REFERENCES versions (id),
    parent_id          INTEGER REFERENCES comments (id),
    author_id          INTEGER NOT NULL REFERENCES users (id),
    author_name        TEXT NOT NULL,
    author_role        TEXT NOT NULL CHECK (author_role IN ('resident', 'partner', 'facilitator')),
    organisation_name  TEXT NOT NULL DEFAULT '',
    sector             TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'statutory', 'voluntary')),
    neighbourhood_name TEXT NOT NULL DEFAULT '',
    kind               TEXT NOT NULL CHECK (kind IN ('question', 'suggestion', 'tried-it')),
    markdown           TEXT NOT NULL,
    -- Made from markdown once, when the comment is written.
    html               TEXT NOT NULL,
    created_at         TIMESTAMP NOT NULL,
    hidden_at          TIMESTAMP,
    hidden_by          INTEGER REFERENCES users (id),
    hidden_reason      TEXT,
    CHECK ((hidden_at IS NULL) = (hidden_by IS NULL) AND (hidden_at IS NULL) = (hidden_reason IS NULL)),
    CHECK (hidden_reason IS NULL OR trim(hidden_reason) <> '')
);
CREATE INDEX IF NOT EXISTS comments_version ON comments (version_id, id);
CREATE INDEX IF NOT EXISTS comments_parent ON comments (parent_id);
-- The spam limit counts a writer's comments of the last minute.
CREATE INDEX IF NOT EXISTS comments_author ON comments (author_id, created_at);
-- Recent changes list comments newest first.
CREATE INDEX IF NOT EXISTS comments_created ON comments (created_at);

CREATE TRIGGER IF NOT EXISTS comments_immutable
BEFORE UPDATE OF id, version_id, parent_id, author_id, author_role,
    organisation_name, sector, neighbourhood_name, kind, markdown, html, created_at ON comments
BEGIN
    SELECT RAISE(ABORT, 'comments are never edited');
END;

-- The one change a comment takes: erasing a resident takes their name out
-- of the copy in their comments, which then read "A former resident".
CREATE TRIGGER IF NOT EXISTS comments_author_erased
BEFORE UPDATE OF author_name ON comments
WHEN NOT (NEW.author_name = 'A former resident' AND OLD.author_role = 'resident'
    AND EXISTS (SELECT 1 FROM users WHERE id = OLD.author_id AND erased_at IS NOT NULL))
BEGIN
    SELECT RAISE(ABORT, 'comments are never edited');
END;

CREATE TRIGGER IF NOT EXISTS comments_hidden_once
BEFORE UPDATE OF hidden_at, hidden_by, hidden_reason ON comments
WHEN OLD.hidden_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a hidden comment stays hidden as it was');
END;

CREATE TRIGGER IF NOT EXISTS comments_never_deleted
BEFORE DELETE ON comments
BEGIN
    SELECT RAISE(ABORT, 'comments are never deleted');
END;

CREATE TRIGGER IF NOT EXISTS comments_one_level
BEFORE INSERT ON comments
WHEN NEW.parent_id IS NOT NULL
    AND NOT EXISTS (SELECT 1 FROM comments
        WHERE id = NEW.parent_id AND parent_id IS NULL AND version_id = NEW.version_id)
BEGIN
    SELECT RAISE(ABORT, 'a reply answers a comment on the same version that is no reply itself');
END;

-- Reports of comments to the facilitators, one per person per comment.
CREATE TABLE IF NOT EXISTS comment_reports (
    comment_id INTEGER NOT NULL REFERENCES comments (id),
    user_id    INTEGER NOT NULL REFERENCES users (id),
    reason     TEXT NOT NULL DEFAULT '',
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (comment_id, user_id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS comment_reports_time ON comment_reports (created_at);

-- One-time codes that let a person choose a new password, made by a
-- facilitator and handed over in person. As with invites, only a hash is
-- kept and the code is shown once. A person has at most one code that is
-- not used: a new one replaces it.
CREATE TABLE IF NOT EXISTS reset_codes (
    id         INTEGER PRIMARY KEY,
    code_hash  BLOB NOT NULL UNIQUE,
    user_id    INTEGER NOT NULL REFERENCES users (id),
    created_by INTEGER REFERENCES users (id), -- NULL: from the command line
    created_at TIMESTAMP NOT NULL,
    expires_at TIMESTAMP NOT NULL,
    used_at    TIMESTAMP
);
CREATE INDEX IF NOT EXISTS reset_codes_user ON reset_codes (user_id);

-- Translations (issue 13). A translation is a version in another language
-- that translates an English version of its own term; its amendments are
-- in its own language. Whether it is out of date (it translates a version
-- that is no longer the agreed English one) is worked out when read.
CREATE TRIGGER IF NOT EXISTS versions_translation
BEFORE INSERT ON versions
WHEN (NEW.lang = 'en') <> (NEW.translates_id IS NULL)
    OR (NEW.lang = 'en') <> (NEW.title = '')
    OR (NEW.translates_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM versions
        WHERE id = NEW.translates_id AND term_id = NEW.term_id AND lang = 'en'))
    OR (NEW.parent_id IS NOT NULL AND (SELECT lang FROM versions WHERE id = NEW.parent_id) IS NOT NEW.lang)
BEGIN
    SELECT RAISE(ABORT, 'a translation translates an English version of its term and amends one in its own language');
END;

-- A term's wordings in one language, and how many in English.
CREATE INDEX IF NOT EXISTS versions_term_lang ON versions (term_id, lang);

-- versions_immutable names the columns it had before translations; this
-- keeps the new ones as fixed.
CREATE TRIGGER IF NOT EXISTS versions_language_fixed
BEFORE UPDATE OF lang, translates_id, title ON versions
BEGIN
    SELECT RAISE(ABORT, 'versions are immutable');
END;

CREATE TRIGGER IF NOT EXISTS rounds_language_fixed
BEFORE UPDATE OF lang ON rounds
BEGIN
    SELECT RAISE(ABORT, 'the rules of a round cannot change once it is open');
END;

CREATE TRIGGER IF NOT EXISTS round_candidates_language
BEFORE INSERT ON round_candidates
WHEN (SELECT lang FROM versions WHERE id = NEW.version_id) IS NOT (SELECT lang FROM rounds WHERE id = NEW.round_id)
BEGIN
    SELECT RAISE(ABORT, 'the wordings of a round are all in its language');
END;

-- A term's agreed wording in a language other than English: the
-- translation a settled round in that language chose (round_id), or one
-- imported as agreed (no round). English's is terms.agreed_version_id.
CREATE TABLE IF NOT EXISTS agreed_translations (
    term_id    INTEGER NOT NULL REFERENCES terms (id),
    lang       TEXT NOT NULL CHECK (lang <> 'en'),
    version_id INTEGER NOT NULL REFERENCES versions (id),
    round_id   INTEGER REFERENCES rounds (id),
    agreed_at  TIMESTAMP NOT NULL,
    PRIMARY KEY (term_id, lang)
) WITHOUT ROWID;

CREATE TRIGGER IF NOT EXISTS agreed_translations_insert
BEFORE INSERT ON agreed_translations
WHEN NOT EXISTS (SELECT 1 FROM versions WHERE id = NEW.version_id AND term_id = NEW.term_id AND lang = NEW.lang)
BEGIN
    SELECT RAISE(ABORT, 'an agreed translation is a wording of its term in its language');
END;

CREATE TRIGGER IF NOT EXISTS agreed_translations_update
BEFORE UPDATE ON agreed_translations
WHEN NEW.term_id IS NOT OLD.term_id OR NEW.lang IS NOT OLD.lang
    OR NOT EXISTS (SELECT 1 FROM versions WHERE id = NEW.version_id AND term_id = NEW.term_id AND lang = NEW.lang)
BEGIN
    SELECT RAISE(ABORT, 'an agreed translation is a wording of its term in its language');
END;

-- Easy Read (issue 13). An Easy Read version explains a term's agreed
-- wording in short sentences, one idea a line, with a picture from
-- static/easyread/ if it helps. It is not voted on: the newest of a term in
-- a language is the one shown, and the older ones are its history. Like a
-- version it never changes, and who wrote it is copied in when written.
-- It is out of date when explains_id is no longer the term's agreed
-- wording, which is worked out when read.
CREATE TABLE IF NOT EXISTS easy_reads (
    id                INTEGER PRIMARY KEY,
    term_id           INTEGER NOT NULL REFERENCES terms (id),
    lang              TEXT NOT NULL DEFAULT 'en',
    markdown          TEXT NOT NULL,
    -- Made from markdown once, when written: each line a paragraph.
    html              TEXT NOT NULL,
    -- A file name in static/easyread/, or '' for none; its text
    -- alternative goes with it.
    image             TEXT NOT NULL DEFAULT '',
    image_alt         TEXT NOT NULL DEFAULT '',
    explains_id       INTEGER NOT NULL REFERENCES versions (id),
    author_id         INTEGER REFERENCES users (id),
    author_name       TEXT NOT NULL,
    author_role       TEXT NOT NULL CHECK (author_role IN ('partner', 'facilitator', 'import')),
    organisation_name TEXT NOT NULL DEFAULT '',
    sector            TEXT NOT NULL DEFAULT '' CHECK (sector IN ('', 'statutory', 'voluntary')),
    created_at        TIMESTAMP NOT NULL,
    CHECK ((image = '') = (image_alt = ''))
);
CREATE INDEX IF NOT EXISTS easy_reads_term ON easy_reads (term_id, lang, id);

CREATE TRIGGER IF NOT EXISTS easy_reads_explain_agreed_language
BEFORE INSERT ON easy_reads
WHEN NOT EXISTS (SELECT 1 FROM versions WHERE id = NEW.explains_id AND term_id = NEW.term_id AND lang = NEW.lang)
BEGIN
    SELECT RAISE(ABORT, 'an Easy Read version explains a wording of its term in its language');
END;

CREATE TRIGGER IF NOT EXISTS easy_reads_immutable
BEFORE UPDATE ON easy_reads
BEGIN
    SELECT RAISE(ABORT, 'Easy Read versions are immutable');
END;

CREATE TRIGGER IF NOT EXISTS easy_reads_never_deleted
BEFORE DELETE ON easy_reads
BEGIN
    SELECT RAISE(ABORT, 'Easy Read versions are never deleted');
END;

-- Residents a facilitator registered at an event (issue 14): a person
-- with no phone or email, given a slip with a one-time code (reset_codes)
-- to choose her first password with a helper. Until then her account has
-- no password and nobody can sign in to it. The row says who vouched for
-- her and when; it is never changed or deleted, and it stays when she is
-- erased, as her ballots do.
CREATE TABLE IF NOT EXISTS registrations (
    user_id       INTEGER PRIMARY KEY REFERENCES users (id),
    registered_by INTEGER REFERENCES users (id), -- NULL: from the command line
    registered_at TIMESTAMP NOT NULL
);

CREATE TRIGGER IF NOT EXISTS registrations_immutable
BEFORE UPDATE ON registrations
BEGIN
    SELECT RAISE(ABORT, 'registrations are never changed');
END;

CREATE TRIGGER IF NOT EXISTS registrations_never_deleted
BEFORE DELETE ON registrations
BEGIN
    SELECT RAISE(ABORT, 'registrations are never deleted');
END;

-- Changes to open rounds (issue 14): a facilitator moves a round's closing
-- time later, or cancels it with a reason. Append-only: what was changed,
-- by whom and when stays on the round's page. The facilitator's name is
-- copied in, as a version's author is.
CREATE TABLE IF NOT EXISTS round_changes (
    id            INTEGER PRIMARY KEY,
    round_id      INTEGER NOT NULL REFERENCES rounds (id),
    kind          TEXT NOT NULL CHECK (kind IN ('extend', 'cancel')),
    old_closes_at TIMESTAMP NOT NULL,
    new_closes_at TIMESTAMP,
    reason        TEXT NOT NULL DEFAULT '',
    by_id         INTEGER NOT NULL REFERENCES users (id),
    by_name       TEXT NOT NULL,
    created_at    TIMESTAMP NOT NULL,
    CHECK ((kind = 'extend') = (new_closes_at IS NOT NULL)),
    CHECK (kind = 'extend' OR trim(reason) <> '')
);
CREATE INDEX IF NOT EXISTS round_changes_round ON round_changes (round_id, id);
CREATE UNIQUE INDEX IF NOT EXISTS round_changes_one_cancel ON round_changes (round_id) WHERE kind = 'cancel';

CREATE TRIGGER IF NOT EXISTS round_changes_immutable
BEFORE UPDATE ON round_changes
BEGIN
    SELECT RAISE(ABORT, 'changes to rounds are never edited');
END;

CREATE TRIGGER IF NOT EXISTS round_changes_never_deleted
BEFORE DELETE ON round_changes
BEGIN
    SELECT RAISE(ABORT, 'changes to rounds are never deleted');
END;

-- A closing time moves only later, only while the round is open, and only
-- with the change recorded.
CREATE TRIGGER IF NOT EXISTS rounds_closing_later
BEFORE UPDATE OF closes_at ON rounds
WHEN OLD.closed_at IS NOT NULL OR OLD.cancelled_at IS NOT NULL
    OR NEW.closes_at <= OLD.closes_at
    OR NOT EXISTS (SELECT 1 FROM round_changes WHERE round_id = NEW.id AND kind = 'extend'
        AND new_closes_at = NEW.closes_at)
BEGIN
    SELECT RAISE(ABORT, 'a round''s closing time moves only later, while it is open, with the change recorded');
END;

-- A round is cancelled once, while open, with the cancellation recorded;
-- a cancelled round is never counted.
CREATE TRIGGER IF NOT EXISTS rounds_cancelled_once
BEFORE UPDATE OF cancelled_at ON rounds
WHEN OLD.cancelled_at IS NOT NULL OR OLD.closed_at IS NOT NULL
    OR NOT EXISTS (SELECT 1 FROM round_changes WHERE round_id = NEW.id AND kind = 'cancel')
BEGIN
    SELECT RAISE(ABORT, 'a round is cancelled once, while it is open, with the reason recorded');
END;

CREATE TRIGGER IF NOT EXISTS rounds_cancelled_never_counted
BEFORE UPDATE OF closed_at, outcome, winner_version_id, result ON rounds
WHEN OLD.cancelled_at IS NOT NULL
BEGIN
    SELECT RAISE(ABORT, 'a cancelled round is never counted');
END;

-- Paper ballots (issue 14). A facilitator prints numbered sheets for a
-- round and a neighbourhood, in print runs; each sheet's number is the
-- round's id, its serial and a check character (model.SheetNumber). What
-- was on a returned sheet is keyed in twice, by two facilitators or by one
-- who says so, as entries: marks as ballots store them, or spoiled with a
-- reason. Entries are never changed: a correction is another entry. The
-- sheet's state is worked out from its entries (model.Settle): the first
-- entry that agrees with an earlier one decides it, and the store takes no
-- entry after that, so a sheet counts once. Print runs and entries are the
-- audit log, append-only like versions.
CREATE TABLE IF NOT EXISTS paper_prints (
    id               INTEGER PRIMARY KEY,
    round_id         INTEGER NOT NULL REFERENCES rounds (id),
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    size             TEXT NOT NULL CHECK (size IN ('A4', 'A5')),
    sheets           INTEGER NOT NULL CHECK (sheets BETWEEN 1 AND 500),
    printed_by       INTEGER NOT NULL REFERENCES users (id),
    printed_by_name  TEXT NOT NULL,
    printed_at       TIMESTAMP NOT NULL,
    -- Where to hand the sheet in, printed on it; '' for nothing said.
    hand_in          TEXT NOT NULL DEFAULT ''
);
CREATE INDEX IF NOT EXISTS paper_prints_round ON paper_prints (round_id, id);

CREATE TABLE IF NOT EXISTS paper_sheets (
    id               INTEGER PRIMARY KEY,
    print_id         INTEGER NOT NULL REFERENCES paper_prints (id),
    round_id         INTEGER NOT NULL REFERENCES rounds (id),
    neighbourhood_id INTEGER NOT NULL REFERENCES neighbourhoods (id),
    serial           INTEGER NOT NULL CHECK (serial BETWEEN 1 AND 9999),
    -- The ballot number as typed, without hyphens: round id, serial in four
    -- digits, check character.
    number           TEXT NOT NULL UNIQUE,
    UNIQUE (round_id, serial)
);
CREATE INDEX IF NOT EXISTS paper_sheets_print ON paper_sheets (print_id, serial);

CREATE TABLE IF NOT EXISTS paper_entries (
    id              INTEGER PRIMARY KEY,
    sheet_id        INTEGER NOT NULL REFERENCES paper_sheets (id),
    round_id        INTEGER NOT NULL REFERENCES rounds (id),
    entered_by      INTEGER NOT NULL REFERENCES users (id),
    entered_by_name TEXT NOT NULL,
    -- As ballots.marks; NULL for a spoiled sheet, which has a reason.
    marks           TEXT,
    spoiled_reason  TEXT NOT NULL DEFAULT '',
    -- The facilitator said this is their own second entry of the sheet.
    same_person     INTEGER NOT NULL DEFAULT 0 CHECK (same_person IN (0, 1)),
    entered_at      TIMESTAMP NOT NULL,
    CHECK ((marks IS NULL) = (spoiled_reason != ''))
);
CREATE INDEX IF NOT EXISTS paper_entries_sheet ON paper_entries (sheet_id, id);
CREATE INDEX IF NOT EXISTS paper_entries_round ON paper_entries (round_id, id);

CREATE TRIGGER IF NOT EXISTS paper_entries_same_round
BEFORE INSERT ON paper_entries
WHEN NOT EXISTS (SELECT 1 FROM paper_sheets WHERE id = NEW.sheet_id AND round_id = NEW.round_id)
BEGIN
    SELECT RAISE(ABORT, 'a paper entry is of a sheet of its round');
END;

CREATE TRIGGER IF NOT EXISTS paper_prints_immutable
BEFORE UPDATE ON paper_prints
BEGIN
    SELECT RAISE(ABORT, 'print runs are never changed');
END;

CREATE TRIGGER IF NOT EXISTS paper_prints_never_deleted
BEFORE DELETE ON paper_prints
BEGIN
    SELECT RAISE(ABORT, 'print runs are never deleted');
END;

CREATE TRIGGER IF NOT EXISTS paper_sheets_immutable
BEFORE UPDATE ON paper_sheets
BEGIN
    SELECT RAISE(ABORT, 'paper sheets are never changed');
END;

CREATE TRIGGER IF NOT EXISTS paper_sheets_never_deleted
BEFORE DELETE ON paper_sheets
BEGIN
    SELECT RAISE(ABORT, 'paper sheets are never deleted');
END;

CREATE TRIGGER IF NOT EXISTS paper_entries_immutable
BEFORE UPDATE ON paper_entries
BEGIN
    SELECT RAISE(ABORT, 'paper entries are never changed: a correction is a new entry');
END;

CREATE TRIGGER IF NOT EXISTS paper_entries_never_deleted
BEFORE DELETE ON paper_entries
BEGIN
    SELECT RAISE(ABORT, 'paper entries are never deleted');
END;

PRAGMA user_version = 7;
