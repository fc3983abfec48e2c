package store

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenMustExist: with MustExist, a path with no database is refused and
// no file is made there; without it (the server), Open makes the database.
func TestOpenMustExist(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	path := filepath.Join(dir, "missing.db")
	if s, err := Open(path, cheapHashing, MustExist()); !errors.Is(err, ErrNoDatabase) {
		if err == nil {
			s.Close()
		}
		t.Fatalf("Open of a missing file with MustExist: %v, want ErrNoDatabase", err)
	}
	if left, _ := os.ReadDir(dir); len(left) != 0 {
		t.Fatalf("a refused open left %v behind", left)
	}
	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	s, err = Open(path, cheapHashing, MustExist())
	if err != nil {
		t.Fatalf("Open of an existing database with MustExist: %v", err)
	}
	s.Close()
}

// TestOpenRefusesADamagedFile damages a page of a copy of a database, and a
// file that is no database at all: Open refuses both, says why, and leaves
// the file as it was.
func TestOpenRefusesADamagedFile(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := filepath.Join(dir, "good.db")
	s, err := Open(good, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	for i := range 200 {
		if _, err := s.ImportTerm(ctx, fmt.Sprintf("Term %d", i), "", strings.Repeat("Plain words. ", 40)); err != nil {
			t.Fatal(err)
		}
	}
	var root, pageSize int64
	if err := s.r.QueryRow(`SELECT rootpage FROM sqlite_schema WHERE name = 'versions'`).Scan(&root); err != nil {
		t.Fatal(err)
	}
	if err := s.r.QueryRow(`PRAGMA page_size`).Scan(&pageSize); err != nil {
		t.Fatal(err)
	}
	s.Close() // folds the write-ahead log into the file
	data, err := os.ReadFile(good)
	if err != nil {
		t.Fatal(err)
	}

	// The versions table's root page: its header and cell pointers.
	page := bytes.Clone(data)
	copy(page[(root-1)*pageSize:], bytes.Repeat([]byte{0xA5}, 64))
	// The file's header, where SQLite recognises its files.
	header := bytes.Clone(data)
	copy(header, "this is not a database, only a file with a .db name")
	for _, tc := range []struct {
		name string
		file []byte
		says string
	}{
		{"a damaged page", page, "is damaged (SQLite's quick_check found: "},
		{"a damaged header", header, "is not a wordgarden database"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(dir, strings.ReplaceAll(tc.name, " ", "-")+".db")
			if err := os.WriteFile(path, tc.file, 0o644); err != nil {
				t.Fatal(err)
			}
			s, err := Open(path, cheapHashing)
			if err == nil {
				s.Close()
				t.Fatal("Open took a damaged database")
			}
			if !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), path) {
				t.Errorf("Open said %q, want the path and %q", err, tc.says)
			}
			if after, _ := os.ReadFile(path); !bytes.Equal(after, tc.file) {
				t.Error("a refused open changed the file")
			}
		})
	}
	// The undamaged file opens.
	s, err = Open(good, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if n, err := s.CountTerms(ctx); err != nil || n != 200 {
		t.Errorf("the good copy has %d terms, %v", n, err)
	}
}
