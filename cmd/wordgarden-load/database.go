package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
	_ "github.com/mattn/go-sqlite3"

	"wordgarden/server/store"
)

// The data set is written and read with plain SQL on either backend, as
// -db says: a SQLite file or a postgres:// URL. The SQL in this command
// numbers its arguments $1, $2, ... in the order they appear, which
// PostgreSQL reads as numbers and go-sqlite3 binds in order of appearance,
// so one text serves both.

// openBulk opens the data set's database for building it and signing
// residents in: one connection, and on SQLite no fsync, no foreign key
// checks (rows go in by explicit id, in whatever order is quickest) and a
// big cache.
func openBulk(ctx context.Context, dsn string) (*sql.DB, error) {
	var db *sql.DB
	var err error
	if store.IsPostgres(dsn) {
		db, err = sql.Open("pgx", dsn)
	} else {
		q := url.Values{}
		q.Set("_busy_timeout", "10000")
		q.Set("_foreign_keys", "off")
		q.Set("_synchronous", "OFF")
		q.Set("_txlock", "immediate")
		q.Set("_cache_size", "-262144") // 256 MB
		db, err = sql.Open("sqlite3", "file:"+sqlitePath(dsn)+"?"+q.Encode())
	}
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(1)
	if !store.IsPostgres(dsn) {
		if _, err := db.ExecContext(ctx, `PRAGMA temp_store = MEMORY`); err != nil {
			db.Close()
			return nil, err
		}
	}
	return db, nil
}

// openRead opens the data set's database to read it while, or after, the
// server uses it.
func openRead(dsn string) (*sql.DB, error) {
	if store.IsPostgres(dsn) {
		return sql.Open("pgx", dsn)
	}
	return sql.Open("sqlite3", "file:"+sqlitePath(dsn)+"?mode=ro&_busy_timeout=5000")
}

func sqlitePath(dsn string) string { return strings.TrimPrefix(dsn, "file:") }

// settle makes what bulk writing left behind ready to serve: on SQLite the
// WAL is folded into the database file; on PostgreSQL the identity columns
// that were given explicit ids move past them, so the server's own inserts
// do not collide, and the planner learns the tables' sizes.
func settle(ctx context.Context, db *sql.DB, dsn string) error {
	if !store.IsPostgres(dsn) {
		_, err := db.ExecContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`)
		return err
	}
	for _, table := range []string{"organisations", "neighbourhoods", "users", "terms", "versions", "rounds"} {
		q := fmt.Sprintf(`SELECT setval(pg_get_serial_sequence('%[1]s', 'id'), (SELECT max(id) FROM %[1]s))`, table)
		if _, err := db.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("move %s's ids on: %w", table, err)
		}
	}
	_, err := db.ExecContext(ctx, `ANALYZE`)
	return err
}

// datasetSize is the data set's size on disk, in bytes.
func datasetSize(ctx context.Context, dsn string) (int64, error) {
	if !store.IsPostgres(dsn) {
		fi, err := os.Stat(sqlitePath(dsn))
		if err != nil {
			return 0, err
		}
		return fi.Size(), nil
	}
	db, err := openRead(dsn)
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var n int64
	err = db.QueryRowContext(ctx, `SELECT sum(pg_total_relation_size(c.oid))::bigint
		FROM pg_class c WHERE c.relnamespace = current_schema()::regnamespace AND c.relkind IN ('r', 'm')`).Scan(&n)
	return n, err
}

// existingDataset reports whether dsn holds a data set to reuse (with -keep)
// and how it was made. A data set this command made is removed when it is
// not to be kept; anything else there is left alone and refused.
func existingDataset(ctx context.Context, dsn string, keep bool) (datasetParams, bool, error) {
	var p datasetParams
	name := store.Redact(dsn)
	empty, err := isEmpty(ctx, dsn)
	if err != nil || empty {
		return p, false, err
	}
	db, err := openRead(dsn)
	if err != nil {
		return p, false, err
	}
	var doc []byte
	err = db.QueryRowContext(ctx, `SELECT value FROM settings WHERE key = $1`, datasetMarker).Scan(&doc)
	db.Close()
	if err != nil {
		return p, false, fmt.Errorf("%s exists and is not a finished wordgarden-load data set (%v): remove it or choose another -db", name, err)
	}
	if err := json.Unmarshal(doc, &p); err != nil {
		return p, false, fmt.Errorf("%s: %w", name, err)
	}
	if keep {
		return p, true, nil
	}
	return p, false, removeDataset(ctx, dsn)
}

// isEmpty reports whether there is nothing at dsn yet: no SQLite file, or
// no table in the PostgreSQL URL's schema (the first of its search_path).
func isEmpty(ctx context.Context, dsn string) (bool, error) {
	if !store.IsPostgres(dsn) {
		_, err := os.Stat(sqlitePath(dsn))
		if errors.Is(err, os.ErrNotExist) {
			return true, nil
		}
		return false, err
	}
	db, err := openRead(dsn)
	if err != nil {
		return false, err
	}
	defer db.Close()
	var tables int
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&tables)
	if err != nil {
		return false, fmt.Errorf("%s: %w", store.Redact(dsn), err)
	}
	return tables == 0, nil
}

// removeDataset removes a data set this command made: the SQLite file and
// its WAL files, or the PostgreSQL schema with everything in it, made
// again empty.
func removeDataset(ctx context.Context, dsn string) error {
	if !store.IsPostgres(dsn) {
		for _, suffix := range []string{"", "-wal", "-shm", "-journal"} {
			os.Remove(sqlitePath(dsn) + suffix)
		}
		return nil
	}
	db, err := openRead(dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	db.SetMaxOpenConns(1) // current_schema() and the DROP on one session
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return err
	}
	q := `DROP SCHEMA ` + quoteIdent(schema) + ` CASCADE; CREATE SCHEMA ` + quoteIdent(schema)
	if _, err := db.ExecContext(ctx, q); err != nil {
		return fmt.Errorf("remove the earlier data set in schema %s of %s: %w", schema, store.Redact(dsn), err)
	}
	return nil
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
