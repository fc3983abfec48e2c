package server

import (
	"bytes"
	"compress/gzip"
	"context"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
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

// TestPageCacheEvictsLeastRecentlyUsed: over budget, the page used longest
// ago goes, not one that was just asked for; a page of an older generation
// is a miss; the budget counts each page once, however often it is kept.
func TestPageCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	pc := newPageCache()
	quarter := cachedPage{gen: 1, status: http.StatusOK, gzipped: make([]byte, pageCacheBytes/4)}
	for _, k := range []string{"/a", "/b", "/c", "/d"} {
		pc.put(k, quarter)
	}
	pc.put("/d", quarter) // rendered again: replaces, does not add
	if _, ok := pc.get("/a", 1); !ok {
		t.Fatal("the cache is full, not over, and lost a page")
	}
	pc.put("/e", quarter) // over budget: /b, used longest ago, goes
	for k, want := range map[string]bool{"/a": true, "/b": false, "/c": true, "/d": true, "/e": true} {
		if _, ok := pc.get(k, 1); ok != want {
			t.Errorf("%s kept: %v, want %v", k, ok, want)
		}
	}
	if pc.size != pageCacheBytes {
		t.Errorf("size %d, want %d", pc.size, pageCacheBytes)
	}
	if _, ok := pc.get("/a", 2); ok {
		t.Error("a page of an older generation was a hit")
	}
}

// TestDataCacheEvictsLeastRecentlyUsed: the same for data, by entries, one
// generation at a time.
func TestDataCacheEvictsLeastRecentlyUsed(t *testing.T) {
	t.Parallel()
	d := dataCache[string]{max: 2}
	d.put(1, "a", "A")
	d.put(1, "b", "B")
	d.get(1, "a")
	d.put(1, "c", "C") // b, used longest ago, goes
	for k, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if v, ok := d.get(1, k); ok != want || ok && v != strings.ToUpper(k) {
			t.Errorf("%s: %q, %v; want kept %v", k, v, ok, want)
		}
	}
	if _, ok := d.get(2, "a"); ok {
		t.Error("an entry of an older generation was a hit")
	}
	d.put(2, "b", "B2")
	if _, ok := d.get(2, "a"); ok {
		t.Error("an entry of an older generation outlived a newer one")
	}
	if v, ok := d.get(2, "b"); !ok || v != "B2" {
		t.Errorf("b at generation 2: %q, %v", v, ok)
	}
	if _, ok := d.get(1, "c"); ok {
		t.Error("the cache answers for a generation it no longer holds")
	}
}

// BenchmarkPageCache looks pages up from every core at once, as visitors
// do. "hit": every page asked for is kept. "zipf": 10,000 pages of 2 KB
// are asked for by popularity (Zipf, s=1.1, as the load command does),
// more than the budget holds, and each one missed is kept; hits/op is the
// share found. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench PageCache -cpu 1,2 ./server/
func BenchmarkPageCache(b *testing.B) {
	gzipped := make([]byte, 2048)
	keys := make([]string, 10000)
	for i := range keys {
		keys[i] = "/terms/term-" + strconv.Itoa(i)
	}
	b.Run("hit", func(b *testing.B) {
		pc := newPageCache()
		for _, k := range keys[:1000] {
			pc.put(k, cachedPage{gen: 1, status: http.StatusOK, gzipped: gzipped})
		}
		b.RunParallel(func(pb *testing.PB) {
			i := rand.IntN(1000)
			for pb.Next() {
				if _, ok := pc.get(keys[i%1000], 1); !ok {
					b.Error("a kept page was missed")
					return
				}
				i++
			}
		})
	})
	b.Run("zipf", func(b *testing.B) {
		pc := newPageCache()
		var hits, lookups atomic.Int64
		b.RunParallel(func(pb *testing.PB) {
			zipf := rand.NewZipf(rand.New(rand.NewPCG(rand.Uint64(), 1)), 1.1, 1, uint64(len(keys)-1))
			var h, n int64
			for pb.Next() {
				k := keys[zipf.Uint64()]
				n++
				if _, ok := pc.get(k, 1); ok {
					h++
					continue
				}
				pc.put(k, cachedPage{gen: 1, status: http.StatusOK, gzipped: gzipped})
			}
			hits.Add(h)
			lookups.Add(n)
		})
		b.ReportMetric(float64(hits.Load())/float64(lookups.Load()), "hits/op")
	})
}
