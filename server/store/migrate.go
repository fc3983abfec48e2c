package store

import (
	"context"
	"database/sql"
	"embed"
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"log/slog"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrationFiles are the schema's numbered migrations, a folder per
// dialect. The two are written side by side: a change to one is a change to
// the other, under the same number.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrationFiles embed.FS

// legacySchemaVersion is the PRAGMA user_version of a SQLite database made
// when migrations began, which migration 1 sets. Before then each release
// bumped it; since then goose's table records the migrations applied.
const legacySchemaVersion = 7

// migrate brings the database's schema up to date with the numbered
// migrations in migrations/<dialect>, with goose. On PostgreSQL a session
// advisory lock makes two servers starting at once take turns.
func migrate(ctx context.Context, d dialect, db *sql.DB) error {
	if d == sqlite {
		var v int
		if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
			return fmt.Errorf("read schema version: %w", err)
		}
		if v > legacySchemaVersion {
			return fmt.Errorf("the database has schema version %d, newer than this wordgarden knows (%d)", v, legacySchemaVersion)
		}
		if v > 0 && v < legacySchemaVersion {
			if err := upgradeLegacy(db, v); err != nil {
				return err
			}
		}
	}
	p, err := migrator(ctx, d, db)
	if err != nil {
		return err
	}
	have, err := p.GetDBVersion(ctx)
	if err != nil {
		return fmt.Errorf("read schema version: %w", err)
	}
	sources := p.ListSources()
	if known := sources[len(sources)-1].Version; have > known {
		return fmt.Errorf("the database is at migration %d, newer than this wordgarden knows (%d)", have, known)
	}
	if _, err := p.Up(ctx); err != nil {
		return fmt.Errorf("apply migrations: %w", err)
	}
	return nil
}

// migrator is goose's provider of the dialect's migrations on db.
func migrator(ctx context.Context, d dialect, db *sql.DB) (*goose.Provider, error) {
	files, err := fs.Sub(migrationFiles, "migrations/"+map[dialect]string{sqlite: "sqlite", postgres: "postgres"}[d])
	if err != nil {
		return nil, err
	}
	opts := []goose.ProviderOption{goose.WithSlog(slog.New(slog.DiscardHandler))}
	gd := goose.DialectSQLite3
	if d == postgres {
		gd = goose.DialectPostgres
		id, err := migrationLockID(ctx, db)
		if err != nil {
			return nil, err
		}
		// Asked for every second, up to five minutes: goose's default is
		// every five seconds, long for a server waiting to start.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
		if err != nil {
			return nil, err
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gd, db, files, opts...)
	if err != nil {
		return nil, fmt.Errorf("read migrations: %w", err)
	}
	if len(p.ListSources()) == 0 {
		return nil, errors.New("read migrations: none found")
	}
	return p, nil
}

// migrationLockID is the advisory lock that servers migrating one
// schema take turns on. It is the schema's own (goose's default is one for
// the whole database), so that sites in other schemas of the same database,
// tests among them, start without waiting for each other.
func migrationLockID(ctx context.Context, db *sql.DB) (int64, error) {
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return 0, fmt.Errorf("find the schema: %w", err)
	}
	h := fnv.New64a()
	h.Write([]byte("wordgarden migrations " + schema))
	return int64(h.Sum64()), nil
}

// upgradeLegacy brings a SQLite database made before migrations began
// (user_version 1 to 6) to where migration 1 stands, all in one
// transaction: the changes migration 1's CREATE ... IF NOT EXISTS cannot
// make, then migration 1 itself.
func upgradeLegacy(db *sql.DB, v int) error {
	first, err := fs.ReadFile(migrationFiles, "migrations/sqlite/00001_schema.sql")
	if err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return fmt.Errorf("apply schema: %w", err)
	}
	defer tx.Rollback()
	if v == 1 {
		for _, stmt := range upgradeTo2 {
			if _, err := tx.Exec(stmt); err != nil {
				return fmt.Errorf("upgrade schema from version 1: %s: %w", stmt, err)
			}
		}
	}
	if v == 1 || v == 2 {
		for _, stmt := range upgradeTo3 {
			if _, err := tx.Exec(stmt); err != nil {
				return fmt.Errorf("upgrade schema from version %d: %s: %w", v, stmt, err)
			}
		}
	}
	// Version 4 (Easy Read) only adds a table, its index and triggers,
	// which schema.sql makes on a version-3 database as on a new one;
	// so do version 6 (residents registered at an event) and version 7
	// (paper ballots: print runs, sheets and entries).
	if v >= 1 && v < 5 {
		for _, stmt := range upgradeTo5 {
			if _, err := tx.Exec(stmt); err != nil {
				return fmt.Errorf("upgrade schema from version %d: %s: %w", v, stmt, err)
			}
		}
	}
	if _, err := tx.Exec(string(first)); err != nil {
		return fmt.Errorf("apply schema: %w", err)
	}
	if v == 1 || v == 2 {
		// The search index was made again, with columns for translations.
		if err := indexAll(context.Background(), &txn{Tx: tx, dialect: sqlite}); err != nil {
			return fmt.Errorf("upgrade schema from version %d: %w", v, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("apply schema: %w", err)
	}
	return nil
}

// upgradeTo2 brings a version-1 database to version 2 (accounts that can be
// switched off and residents who can be erased). CREATE TABLE IF NOT EXISTS
// leaves an existing table as it is, so new columns are added here; the
// index and trigger dropped here are made again, changed, by schema.sql.
var upgradeTo2 = []string{
	`ALTER TABLE users ADD COLUMN disabled_at TIMESTAMP`,
	`ALTER TABLE users ADD COLUMN erased_at TIMESTAMP`,
	// Erased residents all have the same name, so it is unique only
	// among the others.
	`DROP INDEX users_resident_name`,
	// Erasing takes the resident's name out of their comments.
	`DROP TRIGGER comments_immutable`,
}

// upgradeTo3 brings a version-2 database to version 3 (wordings in other
// languages, rounds in a language). The search index is an FTS5 table,
// which takes no new columns: it is dropped, made again by schema.sql and
// filled afresh. The index dropped here is made again on (term, language).
var upgradeTo3 = []string{
	`ALTER TABLE versions ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'`,
	`ALTER TABLE versions ADD COLUMN translates_id INTEGER REFERENCES versions (id)`,
	`ALTER TABLE versions ADD COLUMN title TEXT NOT NULL DEFAULT ''`,
	`ALTER TABLE rounds ADD COLUMN lang TEXT NOT NULL DEFAULT 'en'`,
	`DROP INDEX rounds_one_open_per_term`,
	`DROP TABLE term_search`,
}

// upgradeTo5 brings a version-4 database to version 5 (rounds extended or
// cancelled). The index and trigger dropped here are made again, changed,
// by schema.sql: one open round per term counts rounds not cancelled, and
// the closing time is no longer among the fixed rules. IF EXISTS, because
// upgradeTo3 has dropped the index already on an older database.
var upgradeTo5 = []string{
	`ALTER TABLE rounds ADD COLUMN cancelled_at TIMESTAMP`,
	`DROP INDEX IF EXISTS rounds_one_open_per_term`,
	`DROP TRIGGER IF EXISTS rounds_rules_fixed`,
}
