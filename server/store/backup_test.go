package store

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"wordgarden/server/model"
	"wordgarden/server/store/storetest"
	"wordgarden/server/tally"
	"wordgarden/server/wait"
)

// storeCounts are the row counts a backup is checked against.
type storeCounts struct {
	terms, versions, ballots int
}

func countRows(t testing.TB, s *Store) storeCounts {
	t.Helper()
	var c storeCounts
	err := s.r.QueryRow(`SELECT (SELECT count(*) FROM terms), (SELECT count(*) FROM versions),
		(SELECT count(*) FROM ballots)`).Scan(&c.terms, &c.versions, &c.ballots)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// TestBackupUnderLoad takes a backup while 8 goroutines cast and change
// ballots and propose versions, and checks that the copy is one consistent
// moment of the database: SQLite finds it sound, every table reads, every
// reference holds, and it holds everything committed before the backup
// began and nothing the live database does not have.
func TestBackupUnderLoad(t *testing.T) {
	t.Parallel()
	f := newVotingOn(t, newSQLiteStore(t))
	s := f.s
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	partner := newPartner(t, s, "Pat", model.Voluntary)
	var residents []model.User
	for i := range 48 {
		n := f.peckham
		if i%2 == 1 {
			n = f.walworth
		}
		residents = append(residents, f.resident(t, fmt.Sprintf("Resident %d", i), n))
	}

	var (
		stop    atomic.Bool
		wg      sync.WaitGroup
		writes  atomic.Int64
		started = make(chan struct{})
		once    sync.Once
	)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; !stop.Load(); i++ {
				if g%4 == 3 && i%3 == 0 {
					// Some goroutines propose versions, amending the last one.
					nv := model.NewVersion{Markdown: fmt.Sprintf("Wording %d-%d, see [[Care navigator]].", g, i), Author: &partner}
					if i%2 == 0 {
						nv.ParentID = f.b.ID
					}
					if _, err := s.CreateVersion(ctx, f.term.ID, nv); err != nil {
						t.Errorf("propose: %v", err)
						return
					}
				} else {
					u := residents[(g*7+i)%len(residents)]
					ids := [][]int64{{f.a.ID}, {f.b.ID}, {f.a.ID, f.b.ID}, {}}[i%4]
					if _, err := s.CastBallot(ctx, r.ID, u, tally.Ballot{Approve: ids}); err != nil {
						t.Errorf("cast: %v", err)
						return
					}
				}
				if writes.Add(1) == 40 {
					once.Do(func() { close(started) })
				}
			}
		}()
	}
	// Should the test stop early, the writers stop before the store closes.
	t.Cleanup(func() { stop.Store(true); wg.Wait() })
	select {
	case <-started:
	case <-time.After(20 * time.Second):
		stop.Store(true)
		wg.Wait()
		t.Fatal("the writers did not get going")
	}

	dir := t.TempDir()
	path := filepath.Join(dir, "backup.db")
	before := countRows(t, s)
	if err := s.Backup(ctx, path); err != nil {
		stop.Store(true)
		wg.Wait()
		t.Fatal(err)
	}
	after := countRows(t, s)
	writesAtBackup := writes.Load()
	// Let the writers go on after the backup, so that the live database
	// moves past the copy, then stop them.
	wait.For(t, 20*time.Second, "40 writes after the backup", func() bool { return writes.Load() >= writesAtBackup+40 })
	stop.Store(true)
	wg.Wait()
	live := countRows(t, s)
	t.Logf("writes: %d by the backup, %d in all; counts before %+v, after %+v, at the end %+v",
		writesAtBackup, writes.Load(), before, after, live)

	// Nothing but the backup is left in its folder.
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(entries) != 1 || entries[0].Name() != "backup.db" {
		t.Errorf("the backup folder holds %v, want only backup.db", entries)
	}

	b, err := Open(path, cheapHashing)
	if err != nil {
		t.Fatalf("open the backup: %v", err)
	}
	defer b.Close()
	checkSound(t, b)

	// Counts lie between what was committed when the backup began and what
	// was committed when it ended (ballots are replaced, never removed, so
	// their count only grows).
	got := countRows(t, b)
	t.Logf("backup counts %+v", got)
	for _, c := range []struct {
		name              string
		got, min, max, at int
	}{
		{"terms", got.terms, before.terms, after.terms, live.terms},
		{"versions", got.versions, before.versions, after.versions, live.versions},
		{"ballots", got.ballots, before.ballots, after.ballots, live.ballots},
	} {
		if c.got < c.min || c.got > c.max || c.got > c.at {
			t.Errorf("backup has %d %s; before the backup there were %d, after it %d, at the end %d",
				c.got, c.name, c.min, c.max, c.at)
		}
	}
	if got.ballots == 0 || got.versions <= 2 {
		t.Errorf("the backup missed the load: %+v", got)
	}

	// Versions never change, so each one in the backup is in the live
	// database as it is; each ballot's voter has a ballot there too.
	versions, err := b.Versions(ctx, f.term.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, bv := range versions {
		lv, err := s.Version(ctx, bv.ID)
		if err != nil {
			t.Fatalf("version %d of the backup: %v", bv.ID, err)
		}
		if lv.Markdown != bv.Markdown || lv.ParentID != bv.ParentID || lv.AuthorName != bv.AuthorName || !lv.CreatedAt.Equal(bv.CreatedAt) {
			t.Errorf("version %d differs: backup %+v, live %+v", bv.ID, bv, lv)
		}
	}
	br, err := b.Round(ctx, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !br.Open() || len(br.Candidates) != 2 || br.Ballots != got.ballots {
		t.Errorf("round in the backup: open %v, %d candidates, %d ballots; want open, 2, %d",
			br.Open(), len(br.Candidates), br.Ballots, got.ballots)
	}
	rows, err := b.r.Query(`SELECT user_id FROM ballots WHERE round_id = ?`, r.ID)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	for rows.Next() {
		var uid int64
		if err := rows.Scan(&uid); err != nil {
			t.Fatal(err)
		}
		var n int
		s.r.QueryRow(`SELECT count(*) FROM ballots WHERE round_id = ? AND user_id = ?`, r.ID, uid).Scan(&n)
		if n != 1 {
			t.Errorf("user %d has a ballot in the backup but %d live", uid, n)
		}
	}

	// The backup is a working database: a resident can vote in it.
	if _, err := b.CastBallot(ctx, r.ID, residents[0], tally.Ballot{Approve: []int64{f.a.ID}}); err != nil {
		t.Errorf("cast a ballot in the backup: %v", err)
	}
}

// checkSound fails the test unless the database passes SQLite's integrity
// and foreign key checks, its search index matches its terms, and every
// table reads to the end.
func checkSound(t *testing.T, s *Store) {
	t.Helper()
	var ok string
	if err := s.r.QueryRow(`PRAGMA integrity_check`).Scan(&ok); err != nil || ok != "ok" {
		t.Errorf("integrity_check = %q, %v", ok, err)
	}
	rows, err := s.r.Query(`PRAGMA foreign_key_check`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var table, parent string
		var rowid, fkid any
		rows.Scan(&table, &rowid, &parent, &fkid)
		t.Errorf("foreign key broken: %s row %v refers to a missing %s", table, rowid, parent)
	}
	rows.Close()
	if _, err := s.w.Exec(`INSERT INTO term_search (term_search) VALUES ('integrity-check')`); err != nil {
		t.Errorf("search index: %v", err)
	}
	var missing int
	s.r.QueryRow(`SELECT count(*) FROM terms WHERE id NOT IN (SELECT rowid FROM term_search)`).Scan(&missing)
	if missing != 0 {
		t.Errorf("%d terms are missing from the search index", missing)
	}

	var tables []string
	rows, err = s.r.Query(`SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE 'term_search_%'`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var name string
		rows.Scan(&name)
		tables = append(tables, name)
	}
	rows.Close()
	if len(tables) < 12 {
		t.Errorf("only %d tables: %v", len(tables), tables)
	}
	for _, name := range tables {
		rows, err := s.r.Query(`SELECT * FROM "` + name + `"`)
		if err != nil {
			t.Errorf("read %s: %v", name, err)
			continue
		}
		cols, _ := rows.Columns()
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		for rows.Next() {
			if err := rows.Scan(ptrs...); err != nil {
				t.Errorf("read %s: %v", name, err)
				break
			}
		}
		if err := rows.Err(); err != nil {
			t.Errorf("read %s: %v", name, err)
		}
		rows.Close()
	}
}

// TestBackupNeverReplacesAFile: a backup to a name that is taken fails and
// leaves the file as it was; a backup to a folder that does not exist fails
// and leaves nothing behind.
func TestBackupNeverReplacesAFile(t *testing.T) {
	t.Parallel()
	s := newSQLiteStore(t)
	ctx := context.Background()
	dir := t.TempDir()
	for _, content := range []string{"precious", ""} {
		path := filepath.Join(dir, fmt.Sprintf("taken-%d.db", len(content)))
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		err := s.Backup(ctx, path)
		if !errors.Is(err, ErrBackupExists) {
			t.Errorf("backup over a file with %q: err = %v, want ErrBackupExists", content, err)
		}
		if b, _ := os.ReadFile(path); string(b) != content {
			t.Errorf("the file was changed to %d bytes", len(b))
		}
	}
	if err := s.Backup(ctx, filepath.Join(dir, "no", "such", "folder.db")); err == nil {
		t.Error("a backup into a missing folder succeeded")
	}
	if err := s.Backup(ctx, ""); err == nil {
		t.Error("a backup with no name succeeded")
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 2 {
		t.Errorf("the folder holds %d files, want the 2 it had", len(entries))
	}

	// A second backup to a new name works, and the first is unchanged by it.
	first := filepath.Join(dir, "first.db")
	if err := s.Backup(ctx, first); err != nil {
		t.Fatal(err)
	}
	info, _ := os.Stat(first)
	if err := s.Backup(ctx, first); !errors.Is(err, ErrBackupExists) {
		t.Errorf("second backup to the same name: %v", err)
	}
	if info2, _ := os.Stat(first); !info2.ModTime().Equal(info.ModTime()) || info2.Size() != info.Size() {
		t.Error("the second backup touched the first")
	}
}

// TestBackupFile backs up a database by its file name, as the backup
// command does, while a store has it open and is writing, and refuses files
// that are not wordgarden databases without making or changing any.
func TestBackupFile(t *testing.T) {
	t.Parallel()
	f := newVotingOn(t, newSQLiteStore(t))
	ctx := context.Background()
	r := f.open(t, tally.Approval, 0, 0)
	rae := f.resident(t, "Rae", f.peckham)
	if _, err := f.s.CastBallot(ctx, r.ID, rae, tally.Ballot{Approve: []int64{f.b.ID}}); err != nil {
		t.Fatal(err)
	}
	var dbPath string
	f.s.r.QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&dbPath)
	dir := t.TempDir()
	out := filepath.Join(dir, "copy.db")
	if err := BackupFile(ctx, dbPath, out); err != nil {
		t.Fatal(err)
	}
	if err := BackupFile(ctx, dbPath, out); !errors.Is(err, ErrBackupExists) {
		t.Errorf("a second backup to the same name: %v", err)
	}
	b, err := Open(out, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	checkSound(t, b)
	if got, ok, err := b.MyBallot(ctx, r, rae.ID); !ok || err != nil || len(got.Approve) != 1 || got.Approve[0] != f.b.ID {
		t.Errorf("Rae's ballot in the copy: %+v %v %v", got, ok, err)
	}

	notDB := filepath.Join(dir, "notes.txt")
	os.WriteFile(notDB, []byte("not a database at all, just some words that are long enough to be a header"), 0o644)
	empty := filepath.Join(dir, "empty.db")
	os.WriteFile(empty, nil, 0o644)
	for _, src := range []string{notDB, empty, filepath.Join(dir, "missing.db")} {
		if err := BackupFile(ctx, src, filepath.Join(dir, "out.db")); err == nil {
			t.Errorf("backup of %s succeeded", filepath.Base(src))
		}
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if n := e.Name(); !strings.HasSuffix(n, "-wal") && !strings.HasSuffix(n, "-shm") {
			names = append(names, n) // the copy is open, with its WAL
		}
	}
	if !slices.Equal(names, []string{"copy.db", "empty.db", "notes.txt"}) {
		t.Errorf("the folder holds %v, want copy.db, empty.db and notes.txt", names)
	}
	if info, _ := os.Stat(empty); info.Size() != 0 {
		t.Error("the backup wrote to an empty file it refused")
	}
}

// A PostgreSQL database is not copied by wordgarden: Backup says to use
// pg_dump, and writes no file.
func TestBackupOnPostgresAdvisesPgDump(t *testing.T) {
	if !storetest.Postgres() {
		t.Skip("this run is on SQLite; set " + storetest.Env + " to run it on PostgreSQL")
	}
	t.Parallel()
	s := newStore(t)
	path := filepath.Join(t.TempDir(), "copy.db")
	err := s.Backup(context.Background(), path)
	if !errors.Is(err, ErrBackupPostgres) || !strings.Contains(err.Error(), "pg_dump") {
		t.Errorf("Backup = %v, want ErrBackupPostgres naming pg_dump", err)
	}
	if _, err := os.Stat(path); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a file was written at %s: %v", path, err)
	}
}
