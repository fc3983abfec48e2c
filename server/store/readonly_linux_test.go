package store

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tmpfs mounts a small file system of its own for a test, as big as size
// ("4m"), and unmounts it when the test ends. Mounting needs root; without
// it the test skips, saying so. CI runs as root (.ci/run), and there a
// mount that fails is a failure, not a skip.
func tmpfs(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("skipped: this test mounts a file system of its own, which needs root (CI runs it as root)")
	}
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", 0, "size="+size); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatalf("mount a tmpfs as root: %v", err)
		}
		t.Skipf("skipped: mount a tmpfs: %v", err)
	}
	// MNT_DETACH: a test that failed with a file still open must not leave
	// the mount behind.
	t.Cleanup(func() { syscall.Unmount(dir, syscall.MNT_DETACH) })
	return dir
}

// TestOpenReadOnly opens a database that cannot be written: the error says
// it is read-only, not SQLite's "unable to open database file: no such file
// or directory". Root writes files whatever their permissions say, so as
// root the database is on a file system remounted read-only, which binds
// root too; anyone else gets a file and a folder without write permission.
func TestOpenReadOnly(t *testing.T) {
	t.Parallel()
	type place struct {
		name, path string
		says       string
	}
	var places []place
	if os.Geteuid() == 0 {
		dir := tmpfs(t, "4m")
		path := filepath.Join(dir, "ro.db")
		newDatabase(t, path)
		if err := syscall.Mount("", dir, "", syscall.MS_REMOUNT|syscall.MS_RDONLY, ""); err != nil {
			t.Fatalf("remount read-only: %v", err)
		}
		places = append(places, place{"a read-only file system", path, path + " is read-only (read-only file system)"})
	} else {
		file := filepath.Join(t.TempDir(), "ro.db")
		newDatabase(t, file)
		if err := os.Chmod(file, 0o444); err != nil {
			t.Fatal(err)
		}
		folder := filepath.Join(t.TempDir(), "ro.db")
		newDatabase(t, folder)
		if err := os.Chmod(filepath.Dir(folder), 0o555); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { os.Chmod(filepath.Dir(folder), 0o755) })
		places = append(places,
			place{"a read-only file", file, file + " is read-only (permission denied)"},
			place{"a read-only folder", folder, "the folder " + filepath.Dir(folder) + " of the database is read-only"})
	}
	for _, p := range places {
		t.Run(p.name, func(t *testing.T) {
			for _, opts := range [][]Option{{cheapHashing}, {cheapHashing, MustExist()}} {
				s, err := Open(p.path, opts...)
				if err == nil {
					s.Close()
					t.Fatal("Open took a database it cannot write")
				}
				if msg := err.Error(); !strings.Contains(msg, p.says) || strings.Contains(msg, "no such file") ||
					!strings.Contains(msg, "ro.db-wal") {
					t.Errorf("Open said %q, want %q, and that wordgarden writes ro.db-wal beside it", msg, p.says)
				}
			}
		})
	}
}

// newDatabase makes a database at path and closes it.
func newDatabase(t *testing.T, path string) {
	t.Helper()
	s, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
}
