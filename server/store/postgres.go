package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"runtime"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // the "pgx" database/sql driver
)

// openPostgres opens the PostgreSQL database at the URL dsn through pgx:
// one pool for reads and writes (PostgreSQL has no single writer to spare),
// and migrates it.
func openPostgres(dsn string, o options) (*pool, error) {
	name := Redact(dsn)
	db, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	n := max(8, 4*runtime.NumCPU())
	db.SetMaxOpenConns(n)
	db.SetMaxIdleConns(n)
	ctx := context.Background()
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, fmt.Errorf("open %s: %w", name, err)
	}
	if o.mustExist {
		// The database is there, or PingContext failed; a wordgarden
		// database has the table of migrations applied.
		var made bool
		if err := db.QueryRowContext(ctx, `SELECT to_regclass('goose_db_version') IS NOT NULL`).Scan(&made); err != nil {
			db.Close()
			return nil, fmt.Errorf("open %s: %w", name, err)
		}
		if !made {
			db.Close()
			return nil, fmt.Errorf("%s: %w", name, ErrNoDatabase)
		}
	}
	if err := migrate(ctx, postgres, db); err != nil {
		db.Close()
		return nil, fmt.Errorf("prepare %s: %w", name, err)
	}
	return &pool{DB: db, dialect: postgres}, nil
}

// Redact is dsn as messages and logs may show it: a PostgreSQL URL without
// its password, a SQLite path as it is.
func Redact(dsn string) string {
	if !IsPostgres(dsn) {
		return dsn
	}
	u, err := url.Parse(dsn)
	if err != nil {
		return "the PostgreSQL database"
	}
	return u.Redacted()
}

// pgCode is the SQLSTATE of a PostgreSQL error, or "".
func pgCode(err error) string {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		return pe.Code
	}
	return ""
}

// PostgreSQL's SQLSTATEs the store tells apart.
const (
	pgUniqueViolation      = "23505"
	pgForeignKeyViolation  = "23503"
	pgSerializationFailure = "40001"
	pgDeadlockDetected     = "40P01"
	pgInvalidText          = "22021" // character_not_in_repertoire: not UTF-8
)

// isPostgresPrimaryKey reports whether err is a unique violation of a
// primary key, which PostgreSQL names <table>_pkey.
func isPostgresPrimaryKey(err error) bool {
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == pgUniqueViolation && len(pe.ConstraintName) > 5 &&
		pe.ConstraintName[len(pe.ConstraintName)-5:] == "_pkey"
}

// mustRetry reports whether a PostgreSQL transaction failed only because
// another ran beside it, so that running it again may succeed.
func mustRetry(err error) bool {
	c := pgCode(err)
	return c == pgSerializationFailure || c == pgDeadlockDetected
}
