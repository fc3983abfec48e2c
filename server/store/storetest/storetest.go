// Package storetest gives each test a fresh, empty database of its own, on
// the backend the test run asks for: SQLite by default, PostgreSQL when
// WORDGARDEN_TEST_POSTGRES holds a database URL, such as
//
//	WORDGARDEN_TEST_POSTGRES='postgres://postgres:postgres@127.0.0.1/wordgarden_test?sslmode=disable' \
//	    go test -tags sqlite_fts5 ./...
//
// On PostgreSQL each test gets a schema of its own in that database,
// dropped when the test ends, so tests run side by side as they do on
// SQLite files.
package storetest

import (
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// Env names the variable that holds the PostgreSQL URL tests run on.
const Env = "WORDGARDEN_TEST_POSTGRES"

// Postgres reports whether this test run is on PostgreSQL.
func Postgres() bool {
	return os.Getenv(Env) != ""
}

// DSN returns what store.Open takes for a fresh database: a new file in
// the test's temporary folder, or a new PostgreSQL schema, dropped when the
// test ends.
func DSN(t testing.TB) string {
	t.Helper()
	base := os.Getenv(Env)
	if base == "" {
		return filepath.Join(t.TempDir(), "test.db")
	}
	db, err := admin(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	schema := "wgtest_" + rand.Text()[:16]
	// rand.Text is upper-case base32: unquoted, PostgreSQL folds it to
	// lower case, the same name in every statement.
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("%s: make a schema: %v", Env, err)
	}
	t.Cleanup(func() {
		if _, err := db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`); err != nil {
			t.Errorf("drop the test's schema %s: %v", schema, err)
		}
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("%s: %v", Env, err)
	}
	q := u.Query()
	// public holds the extensions (citext, unaccent), made once below.
	q.Set("search_path", schema+",public")
	u.RawQuery = q.Encode()
	return u.String()
}

var (
	adminOnce sync.Once
	adminDB   *sql.DB
	adminErr  error
)

// admin is one pool on the base database, shared by the tests of this
// process, for making and dropping their schemas. It makes the extensions
// the schema needs in public, once, so that the tests' migrations (which
// say CREATE EXTENSION IF NOT EXISTS) never race to make them.
func admin(base string) (*sql.DB, error) {
	adminOnce.Do(func() {
		adminDB, adminErr = sql.Open("pgx", base)
		if adminErr != nil {
			return
		}
		adminDB.SetMaxOpenConns(4)
		for _, ext := range []string{"citext", "unaccent"} {
			_, err := adminDB.Exec(`CREATE EXTENSION IF NOT EXISTS ` + ext + ` SCHEMA public`)
			var pe *pgconn.PgError
			// Another test process made it in the same moment.
			if errors.As(err, &pe) && pe.Code == "23505" {
				err = nil
			}
			if err != nil {
				adminErr = fmt.Errorf("make the extension %s: %w", ext, err)
				return
			}
		}
	})
	return adminDB, adminErr
}
