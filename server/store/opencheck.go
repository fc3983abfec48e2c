package store

import (
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/mattn/go-sqlite3"
)

// ErrNoDatabase means Open was told the database must exist (MustExist),
// and there is none at the path.
var ErrNoDatabase = errors.New("no database")

// MustExist makes Open refuse a path with no database at it (ErrNoDatabase)
// rather than make a new, empty one there. Only the server makes a
// database: for the commands that work on one, a mistyped --db would
// otherwise leave an empty file behind and answer, say, "no round 3".
func MustExist() Option {
	return func(o *options) { o.mustExist = true }
}

// checkExists is MustExist's check, before SQLite opens the file (which
// then cannot make one either: Open adds mode=rw).
func checkExists(path string) error {
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("%s: %w", path, ErrNoDatabase)
	}
	return nil
}

// quickCheck runs SQLite's PRAGMA quick_check, which reads every page and
// checks the b-trees (not that indexes match their tables: that is
// integrity_check, several times slower), and says what it found if the
// file is damaged. A damaged database refuses to open: serving from one
// can lose ballots as it goes, and a backup taken now would copy the damage.
func quickCheck(db *sql.DB, path string) error {
	rows, err := db.Query("PRAGMA quick_check(5)")
	if err != nil {
		return damaged(path, err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var text string
		if err := rows.Scan(&text); err != nil {
			return damaged(path, err)
		}
		// A row can hold several lines, headed "*** in database main ***".
		for line := range strings.Lines(text) {
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") {
				found = append(found, line)
			}
		}
	}
	if err := rows.Err(); err != nil {
		return damaged(path, err)
	}
	if len(found) == 1 && found[0] == "ok" {
		return nil
	}
	return fmt.Errorf("the database %s is damaged (SQLite's quick_check found: %s): restore it from the latest backup (wordgarden backup makes them)",
		path, strings.Join(found, "; "))
}

// damaged words an error from reading the file for the check: it is not a
// database at all, or too damaged to check; anything else stays as it is.
func damaged(path string, err error) error {
	var se sqlite3.Error
	if errors.As(err, &se) {
		switch se.Code {
		case sqlite3.ErrNotADB:
			return fmt.Errorf("%s is not a wordgarden database, or its first page is damaged (%w): check the path, or restore the latest backup", path, err)
		case sqlite3.ErrCorrupt:
			return fmt.Errorf("the database %s is damaged (%w): restore it from the latest backup (wordgarden backup makes them)", path, err)
		}
	}
	return fmt.Errorf("check %s: %w", path, err)
}

// readOnlyError is an open that failed because the database cannot be
// written. It reads as what is read-only, not as SQLite's message, which
// for a read-only file system is "unable to open database file: no such
// file or directory".
type readOnlyError struct {
	msg string
	err error
}

func (e *readOnlyError) Error() string { return e.msg }
func (e *readOnlyError) Unwrap() error { return e.err }

// explainOpen turns an error from opening the database into a
// readOnlyError if the file, its -wal and -shm files, or its folder (where
// SQLite makes those) cannot be written; it runs only once an open has
// failed. It asks the file system rather than the permission bits, which
// root is not bound by.
func explainOpen(path string, err error) error {
	needs := fmt.Sprintf("wordgarden writes to the database, and to the %[1]s-wal and %[1]s-shm files SQLite keeps beside it: make them and their folder writable by the user wordgarden runs as",
		filepath.Base(path))
	for _, f := range []string{path, path + "-wal", path + "-shm"} {
		file, openErr := os.OpenFile(f, os.O_RDWR, 0)
		if openErr == nil {
			file.Close()
			continue
		}
		if readOnly(openErr) {
			return &readOnlyError{fmt.Sprintf("%s is read-only (%v): %s", f, unwrapPath(openErr), needs), err}
		}
	}
	probe, probeErr := os.CreateTemp(filepath.Dir(path), ".wordgarden-write-check-*")
	if probeErr != nil {
		if readOnly(probeErr) {
			return &readOnlyError{fmt.Sprintf("the folder %s of the database is read-only (%v): %s",
				filepath.Dir(path), unwrapPath(probeErr), needs), err}
		}
		return err
	}
	probe.Close()
	os.Remove(probe.Name())
	return err
}

// readOnly reports whether err says a file cannot be written.
func readOnly(err error) bool {
	return errors.Is(err, fs.ErrPermission) || errors.Is(err, syscall.EROFS)
}

// unwrapPath is the reason in a *fs.PathError, whose path the message
// already gives.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
