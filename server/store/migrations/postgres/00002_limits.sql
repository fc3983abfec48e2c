-- +goose Up
-- The limits on sign-ins and joins (server/limits.go), kept here so that
-- every server on the database counts the same tries (store.Limiter). A
-- key's row holds when its bucket is full again; a key with no row has all
-- its tries. Rows whose time has passed are swept now and then.
CREATE TABLE limits (
    name  TEXT NOT NULL,
    key   TEXT NOT NULL,
    until TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (name, key)
);
CREATE INDEX limits_until ON limits (until);
