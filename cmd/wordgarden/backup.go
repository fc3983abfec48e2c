package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"wordgarden/server/store"
)

// backupCmd writes a consistent copy of the database to a new file. It is
// safe while the server is serving and taking ballots: the copy is one
// moment of the database, and the server's writes go on meanwhile.
func backupCmd(args []string, stdout, stderr io.Writer) error {
	var db string
	fs := newFlags("backup", stderr, &db)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return usageError("backup takes one file to write: wordgarden backup [--db PATH] FILE")
	}
	out := fs.Arg(0)
	if store.IsPostgres(db) {
		return store.ErrBackupPostgres
	}
	// Opening a database that is not there would make an empty one.
	if _, err := os.Stat(db); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return noDatabase(db)
		}
		return err
	}
	if _, err := os.Lstat(out); err == nil {
		return fmt.Errorf("%s exists already: a backup never replaces a file, so choose a new name", out)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	// BackupFile, not store.Open: it only reads, so a busy server's writes
	// never hold it up.
	if err := store.BackupFile(context.Background(), db, out); err != nil {
		if errors.Is(err, store.ErrBackupExists) {
			return fmt.Errorf("%s exists already: a backup never replaces a file, so choose a new name", out)
		}
		return err
	}
	info, err := os.Stat(out)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "Backed up %s to %s (%s).\n", db, out, byteSize(info.Size()))
	return nil
}

// byteSize says a file size the way people read it.
func byteSize(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d bytes", n)
}
