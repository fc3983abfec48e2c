package server

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"wordgarden/server/store"
)

func TestSharedPagesAreCached(t *testing.T) {
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
	if _, err := a.store.CreateVersion(ctx, wb.ID, store.NewVersion{Markdown: "Feeling good, day to day.", Author: &a.voluntary}); err != nil {
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
