package store

import (
	"context"
	"database/sql"
	_ "embed"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// schemaV4 is schema.sql as it was at user_version 4, before rounds could
// be extended or cancelled, residents registered at events and paper
// ballots entered.
//
//go:embed testdata/schema-v4.sql
var schemaV4 string

// upgraded makes a database as wordgarden made it at schema version from:
// that version's schema.sql, then stmts, each run with args. It opens it
// with Open, which upgrades it, and checks that the upgrade reached
// legacySchemaVersion. It returns the store, closed when the test ends, and the
// database's path.
func upgraded(t *testing.T, from int, schema string, stmts []string, args ...any) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "old.db")
	old, err := sql.Open("sqlite3", "file:"+path+"?_foreign_keys=on")
	if err != nil {
		t.Fatal(err)
	}
	for _, q := range append([]string{schema}, stmts...) {
		if _, err := old.Exec(q, args...); err != nil {
			t.Fatalf("make the version-%d database: %v", from, err)
		}
	}
	var v int
	if err := old.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != from {
		t.Fatalf("the fixture is at version %d (%v), want %d", v, err, from)
	}
	old.Close()

	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatalf("open the version-%d database: %v", from, err)
	}
	t.Cleanup(func() { s.Close() })
	if err := s.r.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != legacySchemaVersion {
		t.Errorf("user_version = %d (%v), want %d", v, err, legacySchemaVersion)
	}
	return s, path
}

// schemaV7 is schema.sql as the last release before migrations made it
// (user_version 7, no table of migrations): word for word the body of
// SQLite's migration 1, which never changes.
var schemaV7 = func() string {
	b, err := migrationFiles.ReadFile("migrations/sqlite/00001_schema.sql")
	if err != nil {
		panic(err)
	}
	return string(b)
}()

// A database made by the release before migrations opens with its rows,
// is recorded as at migration 1 and brought up to date from there, and
// opens again as it is.
func TestUpgradeFromLastReleaseToMigrations(t *testing.T) {
	t.Parallel()
	now := time.Now().UTC()
	s, path := upgraded(t, 7, schemaV7, []string{
		`INSERT INTO neighbourhoods (id, slug, name, created_at) VALUES (1, 'peckham', 'Peckham', ?1)`,
		`INSERT INTO terms (id, slug, title, created_at, updated_at) VALUES (1, 'care-navigator', 'Care navigator', ?1, ?1)`,
	}, now)
	ctx := context.Background()
	if n, err := s.NeighbourhoodBySlug(ctx, "peckham"); err != nil || n.Name != "Peckham" {
		t.Errorf("the old neighbourhood = %+v, %v", n, err)
	}
	applied := func(s *Store) []int64 {
		t.Helper()
		rows, err := s.r.Query(`SELECT version_id FROM goose_db_version WHERE is_applied ORDER BY id`)
		if err != nil {
			t.Fatal(err)
		}
		defer rows.Close()
		var vs []int64
		for rows.Next() {
			var v int64
			if err := rows.Scan(&v); err != nil {
				t.Fatal(err)
			}
			vs = append(vs, v)
		}
		return vs
	}
	// goose's start, then every migration from 1.
	p, err := migrator(t.Context(), sqlite, s.w.DB)
	if err != nil {
		t.Fatal(err)
	}
	want := []int64{0}
	for _, m := range p.ListSources() {
		want = append(want, m.Version)
	}
	if got := applied(s); !slices.Equal(got, want) || want[1] != 1 {
		t.Errorf("migrations recorded = %v, want %v", got, want)
	}
	s.Close()
	again, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatalf("open again: %v", err)
	}
	defer again.Close()
	if got := applied(again); !slices.Equal(got, want) {
		t.Errorf("after opening again, migrations recorded = %v, want %v", got, want)
	}
}

// A database from a newer wordgarden, with a migration this one does not
// know, is refused and left as it is.
func TestNewerMigrationRefused(t *testing.T) {
	t.Parallel()
	path := filepath.Join(t.TempDir(), "new.db")
	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.w.Exec(`INSERT INTO goose_db_version (version_id, is_applied) VALUES (999, 1)`); err != nil {
		t.Fatal(err)
	}
	s.Close()
	_, err = Open(path, cheapHashing)
	if err == nil || !strings.Contains(err.Error(), "migration 999, newer than this wordgarden knows") {
		t.Errorf("open = %v, want a refusal naming migration 999", err)
	}
}
