package server

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/tally"
)

// framing reads whether a response lets other sites frame it.
func framing(res *response) (csp, xfo string) {
	return res.header.Get("Content-Security-Policy"), res.header.Get("X-Frame-Options")
}

// TestEmbedCanBeFramed: the embedded definition, and only it, may be shown
// in a frame on any site, fresh or from the page cache.
func TestEmbedCanBeFramed(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for i, c := range []*client{a.visitor(), a.visitor(), a.as(a.resident)} { // rendered, cached, signed in
		res := c.get("/api/v1/terms/social-prescribing/embed").wantStatus(t, http.StatusOK)
		csp, xfo := framing(res)
		if !strings.Contains(csp, "frame-ancestors *") || xfo != "" {
			t.Errorf("answer %d: CSP %q, X-Frame-Options %q; want frame-ancestors * and no X-Frame-Options", i, csp, xfo)
		}
		for _, want := range []string{"default-src 'none'", "style-src 'self'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("answer %d: CSP %q lacks %s", i, csp, want)
			}
		}
		if strings.Contains(csp, "script-src") || strings.Contains(csp, "unsafe") {
			t.Errorf("answer %d: CSP %q lets script in", i, csp)
		}
	}
	missing := a.visitor().get("/api/v1/terms/nobody-wrote-this/embed").wantStatus(t, http.StatusNotFound)
	if csp, xfo := framing(missing); !strings.Contains(csp, "frame-ancestors *") || xfo != "" {
		t.Errorf("the embed's 404 cannot be framed: %q, %q", csp, xfo)
	}
	if !strings.Contains(missing.text("main"), "no term here") {
		t.Errorf("the embed's 404 says %q", missing.text("main"))
	}

	// Every other page keeps frame-ancestors 'none' and DENY.
	for _, path := range []string{"/", "/terms/social-prescribing", "/api/v1/terms/social-prescribing", "/api/v1/terms",
		"/api/openapi.json", "/login", "/rounds", "/static/embed.css", "/healthz", "/nowhere", "/api/v1/terms/social-prescribing/embedded"} {
		for _, c := range []*client{a.visitor(), a.visitor()} {
			csp, xfo := framing(c.get(path))
			if !strings.Contains(csp, "frame-ancestors 'none'") || xfo != "DENY" {
				t.Errorf("%s may be framed: CSP %q, X-Frame-Options %q", path, csp, xfo)
			}
		}
	}
}

// TestEmbedShows: the agreed wording, where it came from, and a link back
// that leaves the frame; no site header, forms or scripts.
func TestEmbedShows(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()

	res := a.visitor().get("/api/v1/terms/social-prescribing/embed").wantStatus(t, http.StatusOK)
	if got := res.text("main .wording"); !strings.Contains(got, "Your GP can put you in touch") {
		t.Errorf("wording = %q", got)
	}
	if got := res.text("h1"); got != "Social prescribing" {
		t.Errorf("h1 = %q", got)
	}
	if got := res.text(".provenance"); !strings.Contains(got, "starter glossary") {
		t.Errorf("provenance = %q", got)
	}
	back := res.doc.Find(`.source a[href="/terms/social-prescribing"]`)
	if back.Length() != 1 || !strings.Contains(res.text(".source"), "opens in a new tab") {
		t.Errorf("no link back to the term page that says where it opens: %q", res.text(".source"))
	}
	res.doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		if target := a.AttrOr("target", ""); target != "_blank" {
			t.Errorf("the link to %s opens in %q, want a new tab (_blank): the site's pages refuse to be framed",
				a.AttrOr("href", ""), target)
		}
	})
	if res.doc.Find(".wording a.wikilink").Length() == 0 {
		t.Error("the wording's wiki links are gone")
	}
	if n := res.doc.Find("script, form, header, nav, base, [style]").Length(); n != 0 {
		t.Errorf("the embed has %d scripts, forms, headers or inline styles", n)
	}
	if href := res.doc.Find(`link[rel="stylesheet"]`).AttrOr("href", ""); href != "/static/embed.css" {
		t.Errorf("stylesheet = %q", href)
	}
	if lang := res.doc.Find("html").AttrOr("lang", ""); lang == "" {
		t.Error("no lang on html")
	}

	// Settled by residents: the provenance says so.
	r := a.openRound("wellbeing")
	if _, err := a.store.CastBallot(ctx, r.ID, a.resident, tally.Ballot{Approve: []int64{r.Candidates[1].ID}}); err != nil {
		t.Fatal(err)
	}
	if _, err := a.store.CloseRound(ctx, r.ID); err != nil {
		t.Fatal(err)
	}
	res = a.visitor().get("/api/v1/terms/wellbeing/embed").wantStatus(t, http.StatusOK)
	if got := res.text(".wording"); !strings.Contains(got, "Another wording of Wellbeing") {
		t.Errorf("after the vote the wording is %q", got)
	}
	if got := res.text(".provenance"); !strings.Contains(got, "Chosen by 1 resident") || res.doc.Find(".provenance a[href$='/results']").Length() != 1 {
		t.Errorf("provenance = %q", got)
	}

	// A term with no agreed wording says so.
	a.as(a.statutory).post("/terms", map[string][]string{"title": {"Carer"}, "markdown": {"Someone who looks after another person."}}).
		wantRedirect(t, "/terms/carer")
	res = a.visitor().get("/api/v1/terms/carer/embed").wantStatus(t, http.StatusOK)
	if got := res.text("main"); !strings.Contains(got, "No wording of this term is agreed yet") || strings.Contains(got, "looks after") {
		t.Errorf("a term with nothing agreed shows %q", got)
	}
}
