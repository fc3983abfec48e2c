package server

import (
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"wordgarden/server/model"
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

// BenchmarkBallotCast casts and changes ballots through the whole HTTP stack
// (session cookie, CSRF, form, store, receipt page) from many residents at
// once, as the load command's ballot scenario does. Run with:
// go test -tags sqlite_fts5 -run '^$' -bench BallotCast ./server/
func BenchmarkBallotCast(b *testing.B) {
	a := newTestApp(b)
	r := a.openRound("social-prescribing")
	ctx := context.Background()
	hood, err := a.store.CreateNeighbourhood(ctx, "Camberwell")
	if err != nil {
		b.Fatal(err)
	}
	const residents = 64
	cookies := make([][]*http.Cookie, residents)
	for i := range residents {
		u := a.user(model.NewUser{Name: "Resident " + strconv.Itoa(i), Role: model.Resident, NeighbourhoodID: hood.ID})
		cookies[i] = a.as(u).http.Jar.Cookies(mustURL(a.ts.URL))
	}
	path := "/rounds/" + strconv.FormatInt(r.ID, 10) + "/ballot"
	var next atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(32) // 64 requests in flight on 2 cores, like the load run
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			i := next.Add(1)
			form := url.Values{"approve": {strconv.FormatInt(r.Candidates[i%2].ID, 10)}}
			req := httptest.NewRequest(http.MethodPost, path, strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("Sec-Fetch-Site", "same-origin")
			for _, c := range cookies[i%residents] {
				req.AddCookie(c)
			}
			rec := httptest.NewRecorder()
			a.srv.ServeHTTP(rec, req)
			if rec.Code != http.StatusOK {
				b.Fatalf("status %d: %s", rec.Code, rec.Body.String())
			}
		}
	})
}
