package server

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/labstack/echo/v4"
)

// TestAPIETag: API answers carry a strong ETag made from the body, whether
// the answer came from the page cache (gzipped for clients that take gzip,
// as Go's client does) or was rendered anew (for a signed-in person), and
// If-None-Match gets 304 until the data changes.
func TestAPIETag(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	identity := func(c *client) *client {
		c.header.Set("Accept-Encoding", "identity")
		return c
	}
	for _, path := range []string{"/api/v1/terms", "/api/v1/terms/social-prescribing", "/api/v1/rounds",
		"/api/v1/terms/social-prescribing/embed", "/api/openapi.json"} {
		t.Run(path, func(t *testing.T) {
			first := a.visitor().get(path).wantStatus(t, http.StatusOK) // rendered, then kept
			tags := map[string]string{}
			gzipped := false
			for who, c := range map[string]func() *client{
				"from the cache, gzipped":    a.visitor,
				"from the cache, not zipped": func() *client { return identity(a.visitor()) },
				"signed in, rendered anew":   func() *client { return a.as(a.statutory) },
			} {
				res := c().get(path).wantStatus(t, http.StatusOK)
				tag := res.header.Get("ETag")
				if len(tag) < 20 || !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) {
					t.Fatalf("%s: ETag = %q, want a strong tag", who, tag)
				}
				if cc := res.header.Get("Cache-Control"); cc != "no-cache" {
					t.Errorf("%s: Cache-Control = %q, want no-cache", who, cc)
				}
				if res.body != first.body {
					t.Errorf("%s: the body differs from the first answer's", who)
				}
				if again := c().get(path).header.Get("ETag"); again != tag {
					t.Errorf("%s: ETag %q, then %q", who, tag, again)
				}
				for _, inm := range []string{tag, "W/" + tag, `"other", ` + tag, "*"} {
					cc := c()
					cc.header.Set("If-None-Match", inm)
					res := cc.get(path)
					if res.status != http.StatusNotModified || res.body != "" || res.header.Get("ETag") != tag {
						t.Errorf("%s: If-None-Match: %s: got %d with %d bytes, ETag %q; want 304, empty, same tag",
							who, inm, res.status, len(res.body), res.header.Get("ETag"))
					}
				}
				cc := c()
				cc.header.Set("If-None-Match", `"not the tag"`)
				cc.get(path).wantStatus(t, http.StatusOK)
				tags[who] = tag
				gzipped = gzipped || res.raw.Uncompressed
			}
			if strings.HasPrefix(path, "/api/v1/terms") && !gzipped {
				t.Error("no answer came gzipped from the cache; the test no longer tests that")
			}
			// HEAD gets the tag GET would.
			req, _ := http.NewRequest(http.MethodHead, a.ts.URL+path, nil)
			req.Header.Set("Accept-Encoding", "identity")
			if head := a.visitor().do(req); head.status != http.StatusOK || head.header.Get("ETag") != tags["from the cache, not zipped"] {
				t.Errorf("HEAD: %d, ETag %q, want 200 and %q", head.status, head.header.Get("ETag"), tags["from the cache, not zipped"])
			}
			// The same bytes, the same tag; the gzipped bytes, another.
			if tags["from the cache, not zipped"] != tags["signed in, rendered anew"] {
				t.Errorf("the same answer has two tags: %v", tags)
			}
			if gzipped && tags["from the cache, gzipped"] == tags["from the cache, not zipped"] {
				t.Errorf("the gzipped and plain answers share a strong tag: %v", tags)
			}
		})
	}

	// A change to the glossary changes the tag.
	c := a.visitor()
	before := c.get("/api/v1/terms").header.Get("ETag")
	c.header.Set("If-None-Match", before)
	a.as(a.statutory).post("/terms", url.Values{"title": {"Carer"}, "markdown": {"Someone who looks after another person."}}).
		wantRedirect(t, "/terms/carer")
	res := c.get("/api/v1/terms").wantStatus(t, http.StatusOK)
	if res.header.Get("ETag") == before || !strings.Contains(res.body, "carer") {
		t.Errorf("after a new term: ETag %q (was %q)", res.header.Get("ETag"), before)
	}

	// Errors and pages for people get no tag.
	if tag := a.visitor().get("/api/v1/terms/nobody").header.Get("ETag"); tag != "" {
		t.Errorf("a 404 has ETag %q", tag)
	}
	if tag := a.visitor().get("/terms/social-prescribing").header.Get("ETag"); tag != "" {
		t.Errorf("a page for people has ETag %q", tag)
	}
}

// TestConditionalGET: what withETag answers to each conditional header,
// for an answer that is gzipped (as the page cache sends it) and one that
// is not. Whether a tag matches is net/http's decision (ServeContent); this
// says which decisions the site relies on.
func TestConditionalGET(t *testing.T) {
	t.Parallel()
	plain := []byte(`{"slug":"wellbeing"}`)
	gzipped := gzipBytes(plain)
	e := echo.New()
	e.Use(etags)
	reading := []string{http.MethodGet, http.MethodHead}
	e.Match(reading, "/api/plain", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, plain) })
	e.Match(reading, "/api/gzipped", func(c echo.Context) error {
		c.Response().Header().Set(echo.HeaderContentEncoding, "gzip")
		return c.JSONBlob(http.StatusOK, gzipped)
	})
	for path, body := range map[string][]byte{"/api/plain": plain, "/api/gzipped": gzipped} {
		tag := etagOf(body)
		for _, tc := range []struct {
			method, header, value string
			want                  int
		}{
			{http.MethodGet, "", "", http.StatusOK},
			{http.MethodGet, "If-None-Match", tag, http.StatusNotModified},
			{http.MethodGet, "If-None-Match", "W/" + tag, http.StatusNotModified}, // weak comparison
			{http.MethodGet, "If-None-Match", `"x", ` + tag, http.StatusNotModified},
			{http.MethodGet, "If-None-Match", `"x" , W/` + tag + " ", http.StatusNotModified},
			{http.MethodGet, "If-None-Match", "*", http.StatusNotModified},
			{http.MethodGet, "If-None-Match", `"x"`, http.StatusOK},
			{http.MethodGet, "If-None-Match", tag[:len(tag)-1] + `x"`, http.StatusOK},
			{http.MethodGet, "If-None-Match", strings.Trim(tag, `"`), http.StatusOK}, // not a tag
			{http.MethodHead, "If-None-Match", tag, http.StatusNotModified},
			{http.MethodHead, "", "", http.StatusOK},
			{http.MethodGet, "If-Match", tag, http.StatusOK},
			{http.MethodGet, "If-Match", "W/" + tag, http.StatusPreconditionFailed}, // strong comparison
			{http.MethodGet, "If-Match", `"x"`, http.StatusPreconditionFailed},
			{http.MethodGet, "Range", "bytes=0-3", http.StatusPartialContent},
		} {
			req := httptest.NewRequest(tc.method, path, nil)
			if tc.header != "" {
				req.Header.Set(tc.header, tc.value)
			}
			rec := httptest.NewRecorder()
			e.ServeHTTP(rec, req)
			res := rec.Result()
			name := fmt.Sprintf("%s %s %s: %q", tc.method, path, tc.header, tc.value)
			if res.StatusCode != tc.want {
				t.Errorf("%s: %d, want %d", name, res.StatusCode, tc.want)
				continue
			}
			got := rec.Body.Bytes()
			switch tc.want {
			case http.StatusOK:
				want := body
				if tc.method == http.MethodHead {
					want = nil
				}
				if res.Header.Get("ETag") != tag || !bytes.Equal(got, want) || res.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
					t.Errorf("%s: ETag %q, %d bytes, Content-Length %q; want %q, %d, %d",
						name, res.Header.Get("ETag"), len(got), res.Header.Get("Content-Length"), tag, len(want), len(body))
				}
			case http.StatusNotModified:
				// No body, and nothing that describes one: a client must
				// not try to unzip an empty body.
				if res.Header.Get("ETag") != tag || len(got) != 0 ||
					res.Header.Get("Content-Encoding") != "" || res.Header.Get("Content-Length") != "" {
					t.Errorf("%s: 304 with ETag %q, %d bytes, Content-Encoding %q, Content-Length %q",
						name, res.Header.Get("ETag"), len(got), res.Header.Get("Content-Encoding"), res.Header.Get("Content-Length"))
				}
			case http.StatusPartialContent:
				if !bytes.Equal(got, body[:4]) {
					t.Errorf("%s: %q, want %q", name, got, body[:4])
				}
			}
		}
	}
}

// TestAPICORS: any origin may read the API, without credentials; pages for
// people are not shared with other origins.
func TestAPICORS(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	c := a.visitor()
	c.header.Set("Origin", "https://council.example")
	for _, path := range []string{"/api/v1/terms", "/api/v1/terms/nobody", "/api/openapi.json"} {
		res := c.get(path)
		if got := res.header.Get("Access-Control-Allow-Origin"); got != "*" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, want *", path, got)
		}
		if got := res.header.Get("Access-Control-Allow-Credentials"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Credentials = %q", path, got)
		}
		if !strings.Contains(res.header.Get("Access-Control-Expose-Headers"), "ETag") {
			t.Errorf("%s: scripts cannot read the ETag", path)
		}
		if len(res.cookies()) != 0 {
			t.Errorf("%s sets cookies: %v", path, res.cookies())
		}
	}
	for _, path := range []string{"/", "/terms/social-prescribing", "/login", "/rounds", "/healthz"} {
		if got := c.get(path).header.Get("Access-Control-Allow-Origin"); got != "" {
			t.Errorf("%s: Access-Control-Allow-Origin = %q, want none", path, got)
		}
	}

	// A preflight (a script that sends If-None-Match) may read, not write.
	req, _ := http.NewRequest(http.MethodOptions, a.ts.URL+"/api/v1/terms", nil)
	req.Header.Set("Origin", "https://council.example")
	req.Header.Set("Access-Control-Request-Method", "GET")
	req.Header.Set("Access-Control-Request-Headers", "if-none-match")
	res := a.visitor().do(req)
	if res.status != http.StatusNoContent || res.header.Get("Access-Control-Allow-Origin") != "*" {
		t.Fatalf("preflight: %d, Allow-Origin %q", res.status, res.header.Get("Access-Control-Allow-Origin"))
	}
	methods := res.header.Get("Access-Control-Allow-Methods")
	if !strings.Contains(methods, "GET") || strings.Contains(methods, "POST") || strings.Contains(methods, "DELETE") {
		t.Errorf("Access-Control-Allow-Methods = %q, want reading only", methods)
	}
	if !strings.Contains(strings.ToLower(res.header.Get("Access-Control-Allow-Headers")), "if-none-match") {
		t.Errorf("Access-Control-Allow-Headers = %q", res.header.Get("Access-Control-Allow-Headers"))
	}
	// A preflight that asks for more than reading is not granted it: the
	// browser then sends nothing. (GET, HEAD and POST need no grant, so
	// cross-site forms are the CSRF check's to refuse.)
	for _, ask := range []struct{ method, headers string }{
		{"DELETE", ""}, {"PUT", ""}, {"PATCH", ""},
		{"POST", "content-type"}, {"POST", "x-csrf-token"}, {"GET", "authorization"},
	} {
		req, _ := http.NewRequest(http.MethodOptions, a.ts.URL+"/api/v1/terms", nil)
		req.Header.Set("Origin", "https://council.example")
		req.Header.Set("Access-Control-Request-Method", ask.method)
		if ask.headers != "" {
			req.Header.Set("Access-Control-Request-Headers", ask.headers)
		}
		res := a.visitor().do(req)
		methods := strings.Split(strings.ReplaceAll(res.header.Get("Access-Control-Allow-Methods"), " ", ""), ",")
		headers := strings.Split(strings.ToLower(res.header.Get("Access-Control-Allow-Headers")), ",")
		for _, m := range methods {
			if m != "GET" && m != "HEAD" && m != "OPTIONS" {
				t.Errorf("a preflight for %s was granted %s: Allow-Methods %q", ask.method, m, methods)
			}
		}
		if ask.headers != "" && slices.Contains(headers, ask.headers) {
			t.Errorf("a preflight for header %s was granted: Allow-Headers %q", ask.headers, headers)
		}
		if got := res.header.Get("Access-Control-Allow-Credentials"); got != "" {
			t.Errorf("a preflight for %s got Allow-Credentials %q", ask.method, got)
		}
	}
	// No preflight outside the API.
	req, _ = http.NewRequest(http.MethodOptions, a.ts.URL+"/terms", nil)
	req.Header.Set("Origin", "https://council.example")
	req.Header.Set("Access-Control-Request-Method", "POST")
	if got := a.visitor().do(req).header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("a preflight for POST /terms got Access-Control-Allow-Origin %q", got)
	}
}

// Feeds and open data are for programs: tagged, answered 304 when the
// reader has them, and sent without a CSRF cookie.
func TestFeedsAndOpenDataAreTagged(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, path := range []string{"/feed.atom", "/terms/wellbeing/feed.atom", "/glossary.json", "/glossary.csv"} {
		reader := a.visitor()
		// The plain body has one tag, the gzipped one another.
		reader.header.Set("Accept-Encoding", "identity")
		for range 2 { // rendered, then from the page cache
			first := reader.get(path).wantStatus(t, http.StatusOK)
			tag := first.header.Get("ETag")
			if tag == "" || len(first.cookies()) != 0 {
				t.Fatalf("%s: ETag %q, cookies %v; want a tag and no cookie", path, tag, first.cookies())
			}
			req, _ := http.NewRequest(http.MethodGet, a.ts.URL+path, nil)
			req.Header.Set("If-None-Match", tag)
			if again := reader.do(req); again.status != http.StatusNotModified {
				t.Errorf("%s with If-None-Match %s: %d, want 304", path, tag, again.status)
			}
		}
	}
}

// A page that does not show the site's address is kept once, whatever
// host name it was asked for by.
func TestMadeUpHostsShareOneKeptPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for i := range 3 {
		req := httptest.NewRequest(http.MethodGet, "/terms/wellbeing", nil)
		req.Host = "made-up-" + strconv.Itoa(i) + ".example"
		a.srv.ServeHTTP(httptest.NewRecorder(), req)
	}
	if a.srv.cache.misses != 1 || a.srv.cache.hits != 2 {
		t.Errorf("three host names: %d misses, %d hits; want 1 and 2", a.srv.cache.misses, a.srv.cache.hits)
	}
}

// BenchmarkETag sends a 6 KB API answer through etags: rendered (so
// tagged here) and kept (tagged already, as the page cache does), whole
// and as 304 to a client that has it; and, for scale, a term from the API
// through the whole application, from the page cache. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench ETag ./server/
func BenchmarkETag(b *testing.B) {
	a := newTestApp(b)
	for _, want := range []int{http.StatusOK, http.StatusNotModified} {
		b.Run("app/"+strconv.Itoa(want), func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/api/v1/terms/social-prescribing", nil)
			req.Header.Set("Accept-Encoding", "gzip")
			w := &discardResponse{header: http.Header{}}
			a.srv.ServeHTTP(w, req) // rendered and kept
			if want == http.StatusNotModified {
				req.Header.Set("If-None-Match", w.header.Get("ETag"))
			}
			b.ReportAllocs()
			for b.Loop() {
				clear(w.header)
				w.status = 0
				a.srv.ServeHTTP(w, req)
				if w.status != want {
					b.Fatalf("status %d, want %d", w.status, want)
				}
			}
		})
	}

	body := bytes.Repeat([]byte(`{"slug":"social-prescribing","title":"Social prescribing"},`), 100)
	tag := etagOf(body)
	e := echo.New()
	e.Use(etags)
	e.GET("/api/rendered", func(c echo.Context) error { return c.JSONBlob(http.StatusOK, body) })
	e.GET("/api/kept", func(c echo.Context) error {
		c.Response().Header().Set(headerETag, tag)
		return c.JSONBlob(http.StatusOK, body)
	})
	for _, path := range []string{"/api/rendered", "/api/kept"} {
		for _, want := range []int{http.StatusOK, http.StatusNotModified} {
			b.Run(path[len("/api/"):]+"/"+strconv.Itoa(want), func(b *testing.B) {
				req := httptest.NewRequest(http.MethodGet, path, nil)
				if want == http.StatusNotModified {
					req.Header.Set("If-None-Match", tag)
				}
				w := &discardResponse{header: http.Header{}}
				b.ReportAllocs()
				for b.Loop() {
					clear(w.header)
					w.status = 0
					e.ServeHTTP(w, req)
					if w.status != want {
						b.Fatalf("status %d, want %d", w.status, want)
					}
				}
			})
		}
	}
}

// discardResponse is a ResponseWriter that keeps only the status. Like
// net/http's own, it copies from readers with a pooled buffer (ReadFrom),
// so a benchmark does not count allocations a server would not make.
type discardResponse struct {
	header http.Header
	status int
}

func (w *discardResponse) Header() http.Header { return w.header }
func (w *discardResponse) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
}

func (w *discardResponse) Write(b []byte) (int, error) {
	w.WriteHeader(http.StatusOK)
	return len(b), nil
}

func (w *discardResponse) ReadFrom(r io.Reader) (int64, error) { return io.Copy(io.Discard, r) }
