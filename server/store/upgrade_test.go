package store

import (
	"database/sql"
	_ "embed"
	"path/filepath"
	"testing"
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
// schemaVersion. It returns the store, closed when the test ends, and the
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
	if err := s.r.QueryRow(`PRAGMA user_version`).Scan(&v); err != nil || v != schemaVersion {
		t.Errorf("user_version = %d (%v), want %d", v, err, schemaVersion)
	}
	return s, path
}
