-- +goose Up
-- PostgreSQL's migration 2 makes the table in which its servers share the
-- limits on sign-ins and joins. On SQLite there is one server, which keeps
-- them in memory (server/ratelimit): nothing to make. Kept so that the two
-- dialects' migrations have the same numbers.
SELECT 1;
