package store

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ErrBackupExists means the file a backup was to be written to exists
// already; a backup never replaces a file.
var ErrBackupExists = errors.New("the backup file exists already")

// Backup writes a consistent copy of the whole database to a new file at
// path, while the store goes on serving and taking ballots.
//
// It runs SQLite's VACUUM INTO on one of the read connections: the copy is
// the database as one read transaction sees it, so it holds every write
// committed before the backup began and nothing of those committed after,
// and, as WAL lets readers run beside the writer, writers never wait for it.
// The copy is written to a temporary file beside path, flushed to disk, and
// only then given its name, so a file at path is always a whole backup. An
// existing file at path is never replaced: Backup returns ErrBackupExists.
//
// A PostgreSQL database is backed up with PostgreSQL's own tools:
// Backup returns ErrBackupPostgres.
func (s *Store) Backup(ctx context.Context, path string) error {
	if s.dialect == postgres {
		return ErrBackupPostgres
	}
	return backup(ctx, s.r.DB, path)
}

// ErrBackupPostgres says that wordgarden does not copy a PostgreSQL
// database itself.
var ErrBackupPostgres = errors.New("backup: wordgarden copies SQLite databases only; back up a PostgreSQL database with pg_dump (pg_dump --format=custom --file=wordgarden.dump DATABASE_URL) or the server's continuous archiving")

// BackupFile writes a consistent copy of the wordgarden database at dbPath
// to a new file at path, as Store.Backup does, while a server may be using
// the database. Unlike Open, it never writes to the database: it takes no
// write lock, so however busy the server's writer is, the backup does not
// wait for it, nor it for the backup. A file that is not a wordgarden
// database is refused, and a missing one is not made.
func BackupFile(ctx context.Context, dbPath, path string) error {
	if !fts5Available() {
		return errors.New("this binary was built without SQLite FTS5, which the search index needs: build with -tags sqlite_fts5")
	}
	if _, err := os.Stat(dbPath); err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	abs, err := filepath.Abs(dbPath)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	// mode=rw: never create the file. The connection only reads, but may
	// need to make the WAL index of a database no one has open.
	db, err := sql.Open("sqlite3", "file:"+abs+"?mode=rw&_busy_timeout=5000")
	if err != nil {
		return fmt.Errorf("backup: open %s: %w", dbPath, err)
	}
	defer db.Close()
	db.SetMaxOpenConns(1)
	var v, tables int
	if err := db.QueryRowContext(ctx, `PRAGMA user_version`).Scan(&v); err != nil {
		return fmt.Errorf("backup: read %s: %w", dbPath, err)
	}
	err = db.QueryRowContext(ctx, `SELECT count(*) FROM sqlite_schema
		WHERE type = 'table' AND name IN ('terms', 'versions', 'rounds', 'ballots')`).Scan(&tables)
	switch {
	case err != nil:
		return fmt.Errorf("backup: read %s: %w", dbPath, err)
	case v == 0 || tables != 4:
		return fmt.Errorf("backup: %s is not a wordgarden database", dbPath)
	case v > legacySchemaVersion:
		return fmt.Errorf("backup: %s has schema version %d, newer than this wordgarden knows (%d)", dbPath, v, legacySchemaVersion)
	}
	return backup(ctx, db, path)
}

// backup runs VACUUM INTO on a connection of db, into a new file at path.
func backup(ctx context.Context, db *sql.DB, path string) (err error) {
	if path == "" {
		return errors.New("backup: no file name")
	}
	// An absolute path, so that SQLite never reads the name as a URI.
	abs, err := filepath.Abs(path)
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return fmt.Errorf("backup to %s: %w", path, ErrBackupExists)
	} else if !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	dir := filepath.Dir(abs)
	suffix := make([]byte, 6)
	rand.Read(suffix)
	tmp := filepath.Join(dir, "."+filepath.Base(abs)+".partial-"+hex.EncodeToString(suffix))
	defer func() {
		if rmErr := os.Remove(tmp); rmErr != nil && !errors.Is(rmErr, fs.ErrNotExist) && err == nil {
			err = fmt.Errorf("backup to %s: remove %s: %w", path, tmp, rmErr)
		}
	}()

	if _, err := db.ExecContext(ctx, `VACUUM INTO ?`, tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if err := syncFile(tmp); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	// A hard link gives the copy its name only if the name is free, in one
	// step; the temporary name is removed above.
	if err := os.Link(tmp, abs); err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("backup to %s: %w", path, ErrBackupExists)
		}
		// A file system without hard links: check and rename instead.
		if _, statErr := os.Lstat(abs); statErr == nil {
			return fmt.Errorf("backup to %s: %w", path, ErrBackupExists)
		}
		if err := os.Rename(tmp, abs); err != nil {
			return fmt.Errorf("backup to %s: %w", path, err)
		}
	}
	if err := syncFile(dir); err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// syncFile flushes a file, or a folder's list of names, to disk.
func syncFile(name string) error {
	f, err := os.Open(name)
	if err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return fmt.Errorf("sync %s: %w", name, err)
	}
	return f.Close()
}
