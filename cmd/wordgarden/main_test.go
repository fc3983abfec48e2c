package main

import (
	"bytes"
	"context"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wordgarden"
	"wordgarden/server/model"
	"wordgarden/server/store"
	"wordgarden/server/store/storetest"
	"wordgarden/server/termfile"
)

// wg runs the command line and returns its exit code and output.
func wg(t *testing.T, stdin string, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := run(args, strings.NewReader(stdin), &out, &errOut)
	return code, out.String(), errOut.String()
}

// newDatabase makes an empty database, as serve would, and returns its
// --db: a file in a folder of its own, or a PostgreSQL schema of its own
// (storetest). Only serve makes one.
func newDatabase(t *testing.T) string {
	t.Helper()
	db := storetest.DSN(t)
	createDatabase(t, db)
	return db
}

// createDatabase makes an empty database at db.
func createDatabase(t *testing.T, db string) {
	t.Helper()
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestCommandsNeedADatabase runs every command but serve with --db
// pointing where there is no database: each refuses, says so and what to
// do, and makes no file. (Serve makes the database: TestServe.)
func TestCommandsNeedADatabase(t *testing.T) {
	t.Parallel()
	terms := t.TempDir()
	if err := os.WriteFile(filepath.Join(terms, "good.md"), []byte("---\ntitle: Good\n---\nFine words.\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		stdin string
		args  []string // DB is the missing database, OUT a file or folder to write
	}{
		{"user add", "a long enough password\n", []string{"user", "add", "--db", "DB", "--email", "fran@example.org", "--name", "Fran", "--role", "facilitator"}},
		{"import", "", []string{"import", "--db", "DB", terms}},
		{"export", "", []string{"export", "--db", "DB", "OUT"}},
		{"export csv", "", []string{"export", "--db", "DB", "--format", "csv", "--site-url", "https://glossary.example.org", "OUT"}},
		{"neighbourhood add", "", []string{"neighbourhood", "add", "--db", "DB", "Peckham"}},
		{"invites", "", []string{"invites", "--db", "DB", "--neighbourhood", "peckham", "--count", "3"}},
		{"tally", "", []string{"tally", "--db", "DB", "1"}},
		{"backup", "", []string{"backup", "--db", "DB", "OUT"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			dir := t.TempDir()
			db := filepath.Join(dir, "missing.db")
			args := slices.Clone(tc.args)
			for i, a := range args {
				switch a {
				case "DB":
					args[i] = db
				case "OUT":
					args[i] = filepath.Join(dir, "out")
				}
			}
			code, stdout, stderr := wg(t, tc.stdin, args...)
			want := fmt.Sprintf("no database at %s: start wordgarden serve --db %s first, or check the path", db, db)
			if code != 1 || stdout != "" || !strings.Contains(stderr, want) {
				t.Errorf("exit %d, %q %q; want exit 1 and %q", code, stdout, stderr, want)
			}
			if left, _ := os.ReadDir(dir); len(left) != 0 {
				t.Errorf("a refused command made %v", left)
			}
		})
	}
}

func TestHelp(t *testing.T) {
	t.Parallel()
	for _, args := range [][]string{{"-h"}, {"help"}, {"--help"}} {
		code, out, _ := wg(t, "", args...)
		if code != 0 {
			t.Errorf("%v: exit %d", args, code)
		}
		for _, want := range []string{"serve", "--addr", "user add", "import", "export", "WORDGARDEN_DB", "WORDGARDEN_SESSION_KEY"} {
			if !strings.Contains(out, want) {
				t.Errorf("%v: help does not mention %s", args, want)
			}
		}
	}
	if code, _, errOut := wg(t, "", "frobnicate"); code != 2 || !strings.Contains(errOut, "unknown command") {
		t.Errorf("unknown command: exit %d, %q", code, errOut)
	}
}

func TestUserAdd(t *testing.T) {
	t.Parallel()
	db := newDatabase(t)
	tests := []struct {
		name  string
		stdin string
		args  []string
		code  int
		out   string
	}{
		{"facilitator", "a long enough password\n", []string{"--email", "fran@example.org", "--name", "Fran", "--role", "facilitator"}, 0, "Added facilitator Fran <fran@example.org>"},
		{"partner of a new organisation", "a long enough password\n", []string{"--email", "sam@example.org", "--name", "Sam", "--role", "partner", "--org", "Southwark Council", "--sector", "statutory"}, 0, "Added organisation Southwark Council"},
		{"partner of a known organisation", "a long enough password\n", []string{"--email", "sue@example.org", "--name", "Sue", "--role", "partner", "--org", "southwark council"}, 0, "Added partner Sue"},
		{"new organisation without sector", "a long enough password\n", []string{"--email", "val@example.org", "--name", "Val", "--role", "partner", "--org", "Peckham Hub"}, 2, ""},
		{"wrong sector for a known organisation", "a long enough password\n", []string{"--email", "val@example.org", "--name", "Val", "--role", "partner", "--org", "Southwark Council", "--sector", "voluntary"}, 2, ""},
		{"partner without organisation", "a long enough password\n", []string{"--email", "x@example.org", "--name", "X", "--role", "partner"}, 2, ""},
		{"resident", "a long enough password\n", []string{"--email", "r@example.org", "--name", "R", "--role", "resident"}, 2, ""},
		{"no password", "", []string{"--email", "y@example.org", "--name", "Y", "--role", "facilitator"}, 2, ""},
		{"short password", "short\n", []string{"--email", "y@example.org", "--name", "Y", "--role", "facilitator"}, 1, ""},
		{"taken email", "a long enough password\n", []string{"--email", "FRAN@example.org", "--name", "F", "--role", "facilitator"}, 1, ""},
		{"not add", "", nil, 2, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			args := append([]string{"user", "add", "--db", db}, tt.args...)
			if tt.args == nil {
				args = []string{"user", "remove"}
			}
			code, out, errOut := wg(t, tt.stdin, args...)
			if code != tt.code || !strings.Contains(out, tt.out) {
				t.Errorf("exit %d, out %q, err %q; want exit %d and %q", code, out, errOut, tt.code, tt.out)
			}
			if code != 0 && errOut == "" {
				t.Error("a failure says nothing")
			}
		})
	}
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	ctx := context.Background()
	sam, err := st.Authenticate(ctx, "sam@example.org", "a long enough password")
	if err != nil || sam.OrganisationName != "Southwark Council" || sam.Sector != model.Statutory {
		t.Errorf("Sam = %+v, %v", sam, err)
	}
	users, _ := st.Users(ctx)
	if len(users) != 3 {
		t.Errorf("%d users, want 3 (Fran, Sam, Sue)", len(users))
	}
}

// TestExportImportRoundTrip exports the starter glossary and imports it into a
// fresh database: every term's agreed markdown comes back the same.
func TestExportImportRoundTrip(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	first, second, out := filepath.Join(dir, "first.db"), filepath.Join(dir, "second.db"), filepath.Join(dir, "export")

	st, err := store.Open(first, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	if err := loadStarter(context.Background(), st, &bytes.Buffer{}); err != nil {
		t.Fatal(err)
	}
	// A term with no agreed wording is left out of the export.
	st.CreateOrganisation(context.Background(), "Council", model.Statutory)
	st.Close()
	starter, err := termfile.ReadDir(wordgarden.Content, "content")
	if err != nil {
		t.Fatal(err)
	}

	code, stdout, stderr := wg(t, "", "export", "--db", first, out)
	if code != 0 {
		t.Fatalf("export: exit %d: %s", code, stderr)
	}
	if want := fmt.Sprintf("Exported %d terms", len(starter)); !strings.Contains(stdout, want) {
		t.Errorf("export said %q, want %q", stdout, want)
	}
	createDatabase(t, second)
	code, stdout, stderr = wg(t, "", "import", "--db", second, out)
	if code != 0 {
		t.Fatalf("import: exit %d: %s", code, stderr)
	}

	want := agreedMarkdown(t, first)
	got := agreedMarkdown(t, second)
	if len(want) != len(starter) || len(got) != len(want) {
		t.Fatalf("terms: starter %d, first %d, after round trip %d", len(starter), len(want), len(got))
	}
	for slug, md := range want {
		if got[slug] != md {
			t.Errorf("%s changed in the round trip:\n%q\n%q", slug, md, got[slug])
		}
	}
	for _, f := range starter {
		if want[f.Slug] != f.Markdown {
			t.Errorf("%s: stored markdown differs from content/%s.md", f.Slug, f.Slug)
		}
	}

	// The agreed translations go out as LANG/SLUG.md, as the starter
	// glossary keeps them, and come back as the agreed wordings in their
	// languages, tied to the English wordings they translate.
	starterES, err := termfile.ReadDir(wordgarden.Content, "content/es")
	if err != nil {
		t.Fatal(err)
	}
	exportedES, err := termfile.ReadDir(os.DirFS(out), "es")
	if err != nil {
		t.Fatalf("export wrote no es/ folder: %v", err)
	}
	if len(starterES) == 0 || !slices.Equal(exportedES, starterES) {
		t.Errorf("es/ as exported:\n%+v\nwant content/es:\n%+v", exportedES, starterES)
	}
	wantTr, gotTr := agreedTranslations(t, first), agreedTranslations(t, second)
	if len(wantTr) != len(starterES) || !maps.Equal(gotTr, wantTr) {
		t.Errorf("agreed translations after the round trip:\n%v\nwant %v", gotTr, wantTr)
	}

	// Importing again changes nothing and says so.
	code, stdout, _ = wg(t, "", "import", "--db", second, out)
	if code != 0 || !strings.Contains(stdout, "Imported 0 terms") || !strings.Contains(stdout, fmt.Sprintf("skipped %d", len(starter))) ||
		!strings.Contains(stdout, fmt.Sprintf("Imported 0 translations; skipped %d", len(starterES))) {
		t.Errorf("second import: exit %d, %q", code, stdout)
	}
}

// agreedTranslations are the current agreed translations in db, as
// "lang/slug" and the file export writes for each.
func agreedTranslations(t *testing.T, db string) map[string]termfile.File {
	t.Helper()
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	byLang, err := translationFiles(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]termfile.File{}
	for lang, files := range byLang {
		for _, f := range files {
			m[lang+"/"+f.Slug] = f
		}
	}
	return m
}

func agreedMarkdown(t *testing.T, db string) map[string]string {
	t.Helper()
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	files, _, err := agreedFiles(context.Background(), st)
	if err != nil {
		t.Fatal(err)
	}
	m := map[string]string{}
	for _, f := range files {
		m[f.Slug] = f.Markdown
	}
	return m
}

func TestImportBadFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "good.md"), []byte("---\ntitle: Good\n---\nFine words.\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "bad.md"), []byte("no front matter\n"), 0o644)
	db := filepath.Join(dir, "i.db")
	createDatabase(t, db)
	code, _, errOut := wg(t, "", "import", "--db", db, dir)
	if code != 1 || !strings.Contains(errOut, "bad.md") {
		t.Errorf("exit %d, %q: want a failure naming bad.md", code, errOut)
	}
	st, _ := store.Open(db, cheapHashing)
	defer st.Close()
	if n, _ := st.CountTerms(context.Background()); n != 0 {
		t.Errorf("a failed import stored %d terms", n)
	}
	if code, _, _ := wg(t, "", "import", "--db", db); code != 2 {
		t.Errorf("import without a folder: exit %d, want 2", code)
	}
}
