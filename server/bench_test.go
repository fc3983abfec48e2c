package server

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// BenchmarkTermPage serves a term page: to visitors, from the page cache,
// and to a signed-in partner, rendered for them. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench TermPage ./server/
func BenchmarkTermPage(b *testing.B) {
	a := newTestApp(b)
	signedIn := a.as(a.statutory)
	cookies := signedIn.http.Jar.Cookies(mustURL(a.ts.URL))
	for _, who := range []string{"visitor", "partner"} {
		b.Run(who, func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				req := httptest.NewRequest(http.MethodGet, "/terms/social-prescribing", nil)
				if who == "partner" {
					for _, c := range cookies {
						req.AddCookie(c)
					}
				}
				rec := httptest.NewRecorder()
				a.srv.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
