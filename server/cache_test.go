package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"testing"

	"wordgarden/server/model"
)

func TestSharedPagesAreCached(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	first := a.visitor().get("/terms/wellbeing").wantStatus(t, http.StatusOK)
	if a.srv.cache.misses != 1 || a.srv.cache.hits != 0 {
		t.Fatalf("after one visit: %d hits, %d misses", a.srv.cache.hits, a.srv.cache.misses)
	}
	second := a.visitor().get("/terms/wellbeing").wantStatus(t, http.StatusOK)
	if a.srv.cache.hits != 1 || second.body != first.body {
		t.Fatalf("the second visit was not served from the cache: %d hits", a.srv.cache.hits)
	}
	if second.header.Get("Content-Security-Policy") == "" || !strings.HasPrefix(second.header.Get("Content-Type"), "text/html") {
		t.Errorf("a cached page lost its headers: %v", second.header)
	}

	// Signed-in people get their own page, never the cached one.
	if got := a.as(a.statutory).get("/terms/wellbeing").text("header nav"); !strings.Contains(got, "Sam") {
		t.Errorf("a signed-in partner got the visitors' page: %q", got)
	}
	if strings.Contains(a.visitor().get("/terms/wellbeing").body, "Sam") {
		t.Error("a visitor got a signed-in page from the cache")
	}

	// A new version shows at once.
	wb, _ := a.store.Term(ctx, "wellbeing")
	if _, err := a.store.CreateVersion(ctx, wb.ID, model.NewVersion{Markdown: "Feeling good, day to day.", Author: &a.voluntary}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(a.visitor().get("/terms/wellbeing").text("main"), "Feeling good, day to day.") {
		t.Error("the cached page did not change after a new version")
	}

	// Ballots and sign-ins do not empty the cache.
	r := a.openRound("social-prescribing")
	gen := a.store.Generation()
	if _, err := a.store.CastBallot(ctx, r.ID, a.resident, tallyApprove(r.Candidates[0].ID)); err != nil {
		t.Fatal(err)
	}
	a.visitor().post("/login", url.Values{"email": {"sam@example.org"}, "password": {testPassword}})
	if a.store.Generation() != gen {
		t.Error("a ballot or a sign-in moved the page generation on")
	}
}

func TestCachedPagesAreGzipped(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	fetch := func(acceptEncoding string) (*http.Response, []byte) {
		t.Helper()
		req := httptest.NewRequest(http.MethodGet, "/terms/wellbeing", nil)
		if acceptEncoding != "" {
			req.Header.Set("Accept-Encoding", acceptEncoding)
		}
		rec := httptest.NewRecorder()
		a.srv.ServeHTTP(rec, req)
		res := rec.Result()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("Accept-Encoding %q: status %d", acceptEncoding, res.StatusCode)
		}
		body, _ := io.ReadAll(res.Body)
		return res, body
	}
	_, plain := fetch("") // the first visit renders the page and keeps it
	if !bytes.Contains(plain, []byte("How well you feel")) {
		t.Fatalf("the page does not show the wording:\n%s", plain)
	}
	res, kept := fetch("")
	if res.Header.Get("Content-Encoding") != "" || !bytes.Equal(kept, plain) {
		t.Errorf("a client that takes no gzip got %q, a different body: %v", res.Header.Get("Content-Encoding"), !bytes.Equal(kept, plain))
	}
	res, zipped := fetch("br, gzip;q=0.8")
	if res.Header.Get("Content-Encoding") != "gzip" || !slices.Contains(res.Header.Values("Vary"), "Accept-Encoding") {
		t.Fatalf("a client that takes gzip got Content-Encoding %q, Vary %q", res.Header.Get("Content-Encoding"), res.Header.Values("Vary"))
	}
	zr, err := gzip.NewReader(bytes.NewReader(zipped))
	if err != nil {
		t.Fatal(err)
	}
	unzipped, err := io.ReadAll(zr)
	if err != nil || !bytes.Equal(unzipped, plain) {
		t.Errorf("the gzipped page unzips to a different page (err %v)", err)
	}
	if res, _ := fetch("gzip;q=0"); res.Header.Get("Content-Encoding") != "" {
		t.Error("a client that refuses gzip (q=0) got it")
	}
}

func TestAcceptsGzip(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		header string
		want   bool
	}{
		{"", false},
		{"gzip", true},
		{"GZIP", true},
		{"gzip, deflate, br", true},
		{"br;q=1.0, gzip;q=0.5", true},
		{"gzip;q=0", false},
		{"gzip; q=0.000", false},
		{"deflate", false},
		{"x-gzip", false},
	} {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		if tc.header != "" {
			req.Header.Set("Accept-Encoding", tc.header)
		}
		if got := acceptsGzip(req); got != tc.want {
			t.Errorf("acceptsGzip(%q) = %v, want %v", tc.header, got, tc.want)
		}
	}
}
