package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"wordgarden/server/model"
)

func TestHome(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/").wantStatus(t, http.StatusOK)
	if got := res.text("h1"); got != "Glossary" {
		t.Errorf("h1 = %q", got)
	}
	var letters []string
	res.doc.Find("section h3").Each(func(_ int, s *goquery.Selection) { letters = append(letters, text(s)) })
	if strings.Join(letters, " ") != "S W" {
		t.Errorf("A–Z letters = %v, want [S W]", letters)
	}
	dt := res.doc.Find("dl.index dt a").First()
	if text(dt) != "Social prescribing" || dt.AttrOr("href", "") != "/terms/social-prescribing" {
		t.Errorf("first entry = %q -> %q", text(dt), dt.AttrOr("href", ""))
	}
	if got := text(res.doc.Find("dl.index dd").First()); got != "Help from your GP to join local groups." {
		t.Errorf("first summary = %q", got)
	}
	if res.doc.Find(`a[href="/terms/new"]`).Length() != 0 {
		t.Error("a visitor is offered to start a term")
	}
	if a.as(a.voluntary).get("/").doc.Find(`nav a[href="/terms/new"]`).Length() != 1 {
		t.Error("a partner is not offered to start a term")
	}
	if a.as(a.resident).get("/").doc.Find(`a[href="/terms/new"]`).Length() != 0 {
		t.Error("a resident is offered to start a term")
	}
}

func TestSecurityHeaders(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/")
	for h, want := range map[string]string{
		"X-Content-Type-Options": "nosniff",
		"X-Frame-Options":        "DENY",
		"Referrer-Policy":        "same-origin",
	} {
		if got := res.header.Get(h); got != want {
			t.Errorf("%s = %q, want %q", h, got, want)
		}
	}
	csp := res.header.Get("Content-Security-Policy")
	if !strings.Contains(csp, "default-src 'self'") || strings.Contains(csp, "unsafe-inline") {
		t.Errorf("Content-Security-Policy = %q", csp)
	}
}

// TestPartnersWriteAndAmend follows the wiki's main path: a statutory partner
// starts a term, a voluntary partner amends it, anyone reads the page, the
// history and the diff.
func TestPartnersWriteAndAmend(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sam, val := a.as(a.statutory), a.as(a.voluntary)

	form := sam.get("/terms/new").wantStatus(t, http.StatusOK)
	for _, field := range []string{"title", "markdown"} {
		if form.doc.Find(`label[for="`+field+`"]`).Length() != 1 {
			t.Errorf("field %s has no label", field)
		}
	}
	sam.post("/terms", url.Values{
		"title":    {"Neighbourhood working"},
		"markdown": {"Health and care services **working together** in your area. A [[Primary care network]] is part of it."},
	}).wantRedirect(t, "/terms/neighbourhood-working")

	term := sam.get("/terms/neighbourhood-working").wantStatus(t, http.StatusOK)
	if got := term.text(".flash"); !strings.Contains(got, "is started") {
		t.Errorf("no confirmation after starting the term: %q", got)
	}
	if !strings.Contains(term.text(".agreed"), "No wording is agreed yet") {
		t.Errorf("a new term shows agreed wording: %q", term.text(".agreed"))
	}
	first := term.doc.Find("li.version").First()
	if got := text(first.Find(".wording strong")); got != "working together" {
		t.Errorf("rendered wording = %q", text(first.Find(".wording")))
	}
	if got := text(first.Find(".badge")); got != "Statutory" {
		t.Errorf("badge = %q, want Statutory", got)
	}
	if !strings.Contains(text(first.Find(".byline")), "Sam, Southwark Council") {
		t.Errorf("byline = %q", text(first.Find(".byline")))
	}
	missing := first.Find("a.wikilink.missing")
	if missing.AttrOr("href", "") != "/terms/primary-care-network" {
		t.Errorf("the link to a missing term is not marked missing: %q", first.Find(".wording").Text())
	}
	// Reloading does not show the confirmation again.
	if sam.get("/terms/neighbourhood-working").doc.Find(".flash").Length() != 0 {
		t.Error("the confirmation shows twice")
	}

	nw, _ := a.store.Term(context.Background(), "neighbourhood-working")
	vs, _ := a.store.Versions(context.Background(), nw.ID)
	firstID := strconv.FormatInt(vs[0].ID, 10)

	amendForm := val.get("/terms/neighbourhood-working/propose?amend="+firstID).wantStatus(t, http.StatusOK)
	if got := amendForm.doc.Find("textarea#markdown").Text(); got != vs[0].Markdown {
		t.Errorf("the amend form does not start from the version's text: %q", got)
	}
	if got := amendForm.doc.Find(`input[name="parent_id"]`).AttrOr("value", ""); got != firstID {
		t.Errorf("parent_id = %q, want %s", got, firstID)
	}
	res := val.post("/terms/neighbourhood-working/versions", url.Values{
		"markdown":  {"Health and care services and **community groups** working together where you live."},
		"parent_id": {firstID},
	})
	loc := res.header.Get("Location")
	if res.status != http.StatusSeeOther || !strings.HasPrefix(loc, "/versions/") {
		t.Fatalf("amend answered %d to %q", res.status, loc)
	}
	secondID := strings.TrimPrefix(loc, "/versions/")

	version := a.visitor().get(loc).wantStatus(t, http.StatusOK)
	if got := version.text(".badge"); got != "Voluntary & community" {
		t.Errorf("badge = %q", got)
	}
	if !strings.Contains(version.text(".byline"), "amends version "+firstID) {
		t.Errorf("byline = %q", version.text(".byline"))
	}
	diffLink := version.doc.Find(`a[href^="/terms/neighbourhood-working/diff"]`).AttrOr("href", "")
	if diffLink != "/terms/neighbourhood-working/diff?from="+firstID+"&to="+secondID {
		t.Errorf("link to the changes = %q", diffLink)
	}

	page := a.visitor().get("/terms/neighbourhood-working")
	if n := page.doc.Find("li.version").Length(); n != 2 {
		t.Fatalf("term page lists %d versions, want 2", n)
	}
	var badges []string
	page.doc.Find("li.version .badge").Each(func(_ int, s *goquery.Selection) { badges = append(badges, text(s)) })
	if len(badges) != 2 || badges[0] == badges[1] {
		t.Errorf("badges = %v, want one of each sector", badges)
	}

	history := a.visitor().get("/terms/neighbourhood-working/history").wantStatus(t, http.StatusOK)
	rows := history.doc.Find("table.history tbody tr")
	if rows.Length() != 2 || !strings.Contains(text(rows.First()), "Val") {
		t.Errorf("history rows = %d, newest first should be Val's: %q", rows.Length(), text(rows.First()))
	}
	if !strings.Contains(text(rows.Last()), "Southwark Council") || !strings.Contains(text(rows.Last()), "Statutory") {
		t.Errorf("history row lacks organisation and sector: %q", text(rows.Last()))
	}

	diff := a.visitor().get(diffLink).wantStatus(t, http.StatusOK)
	if got := text(diff.doc.Find(".diff ins")); !strings.Contains(got, "community groups") {
		t.Errorf("inserted text = %q", got)
	}
	if got := text(diff.doc.Find(".diff del")); !strings.Contains(got, "in your area") {
		t.Errorf("deleted text = %q", got)
	}

	// Creating the missing term turns the link live.
	sam.post("/terms", url.Values{"title": {"Primary care network"}, "markdown": {"GP practices working together."}}).
		wantRedirect(t, "/terms/primary-care-network")
	page = a.visitor().get("/versions/" + firstID)
	link := page.doc.Find(`.wording a[href="/terms/primary-care-network"]`)
	if link.Length() != 1 || link.HasClass("missing") {
		t.Errorf("the link did not turn live: class %q", link.AttrOr("class", ""))
	}
}

func TestFormErrorsKeepWhatWasTyped(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sam := a.as(a.statutory)
	tests := []struct {
		name, title, markdown, field, message string
	}{
		{"no title", "", "Some words.", "title", "Enter the word"},
		{"no wording", "Carer", "  ", "markdown", "Write the wording"},
		{"taken title", "Wellbeing", "Feeling fine.", "title", "already a term"},
		{"title without letters", "???", "Words.", "title", "at least one letter"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res := sam.post("/terms", url.Values{"title": {tt.title}, "markdown": {tt.markdown}})
			res.wantStatus(t, http.StatusUnprocessableEntity)
			if got := res.text(".error-summary"); !strings.Contains(got, tt.message) {
				t.Errorf("error summary = %q, want it to say %q", got, tt.message)
			}
			if got := res.text("#" + tt.field + "-error"); !strings.Contains(got, tt.message) {
				t.Errorf("field error = %q", got)
			}
			if res.doc.Find("#"+tt.field).AttrOr("aria-invalid", "") != "true" {
				t.Errorf("field %s is not marked invalid", tt.field)
			}
			if got := res.doc.Find("#title").AttrOr("value", ""); got != tt.title {
				t.Errorf("title kept = %q, want %q", got, tt.title)
			}
			if got := res.doc.Find("#markdown").Text(); got != tt.markdown {
				t.Errorf("markdown kept = %q, want %q", got, tt.markdown)
			}
		})
	}
	if n, _ := a.store.CountTerms(context.Background()); n != 2 {
		t.Errorf("refused forms changed the glossary: %d terms", n)
	}

	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	wb, _ := a.store.Term(context.Background(), "wellbeing")
	bad := []struct {
		name   string
		form   url.Values
		status int
	}{
		{"parent of another term", url.Values{"markdown": {"x"}, "parent_id": {strconv.FormatInt(wb.AgreedVersionID, 10)}}, http.StatusBadRequest},
		{"parent not a number", url.Values{"markdown": {"x"}, "parent_id": {"seven"}}, http.StatusBadRequest},
		{"empty wording", url.Values{"markdown": {""}}, http.StatusUnprocessableEntity},
	}
	for _, tt := range bad {
		res := sam.post("/terms/social-prescribing/versions", tt.form)
		if res.status != tt.status {
			t.Errorf("%s: status %d, want %d", tt.name, res.status, tt.status)
		}
	}
	if vs, _ := a.store.Versions(context.Background(), sp.ID); len(vs) != 1 {
		t.Errorf("refused proposals were stored: %d versions", len(vs))
	}
	sam.post("/terms/no-such-term/versions", url.Values{"markdown": {"x"}}).wantStatus(t, http.StatusNotFound)
}

func TestTermPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/terms/social-prescribing").wantStatus(t, http.StatusOK)
	if got := res.text("h1"); got != "Social prescribing" {
		t.Errorf("h1 = %q", got)
	}
	if !strings.Contains(res.text(".agreed .wording"), "Your GP can put you in touch") {
		t.Errorf("agreed wording = %q", res.text(".agreed .wording"))
	}
	if !strings.Contains(res.text(".agreed .byline"), "starter glossary") {
		t.Errorf("agreed byline = %q", res.text(".agreed .byline"))
	}
	if res.doc.Find(`.agreed a.wikilink[href="/terms/wellbeing"]:not(.missing)`).Length() != 1 {
		t.Error("the link to Wellbeing is not live")
	}
	if res.doc.Find(`.agreed a.wikilink.missing[href="/terms/link-worker"]`).Length() != 1 {
		t.Error("the link to Link worker is not marked missing")
	}
	if res.doc.Find(`a[href*="/propose"]`).Length() != 0 {
		t.Error("a visitor is offered to propose a wording")
	}

	wb := a.visitor().get("/terms/wellbeing")
	if got := wb.text(`section[aria-labelledby="used-heading"] li`); got != "Social prescribing" {
		t.Errorf("Wellbeing is used in %q, want Social prescribing", got)
	}

	missing := a.visitor().get("/terms/link-worker").wantStatus(t, http.StatusNotFound)
	if !strings.Contains(missing.text("h1"), "Link worker") {
		t.Errorf("missing term page h1 = %q", missing.text("h1"))
	}
	if missing.doc.Find(`main a[href="/terms/social-prescribing"]`).Length() != 1 {
		t.Error("the missing term page does not say which terms link to it")
	}
	offer := a.as(a.voluntary).get("/terms/link-worker").doc.Find(`a[href^="/terms/new?title="]`)
	if offer.AttrOr("href", "") != "/terms/new?title=Link%20worker" {
		t.Errorf("offer to start the term = %q", offer.AttrOr("href", ""))
	}
	form := a.as(a.voluntary).get("/terms/new?title=Link%20worker")
	if got := form.doc.Find("#title").AttrOr("value", ""); got != "Link worker" {
		t.Errorf("the new term form does not start with the title: %q", got)
	}
}

func TestFairOrder(t *testing.T) {
	t.Parallel()
	v := func(id int64, s model.Sector) model.Version { return model.Version{ID: id, Sector: s} }
	vs := []model.Version{
		v(1, model.Statutory), v(2, model.Statutory), v(3, model.Statutory),
		v(4, model.Voluntary), v(5, ""), v(6, model.Voluntary),
	}
	leads := map[model.Sector]int{}
	for i := range 200 {
		got := fairOrder(vs, "term-"+strconv.Itoa(i))
		if len(got) != len(vs) {
			t.Fatalf("fairOrder lost versions: %v", got)
		}
		leads[got[0].Sector]++
		// Sectors take turns while both have versions left.
		for j := 1; j < 4; j++ {
			if got[j].Sector == got[j-1].Sector {
				t.Fatalf("seed %d: two %s versions in a row at %d: %v", i, got[j].Sector, j, ids(got))
			}
		}
		if got[len(got)-1].ID != 5 {
			t.Errorf("the version without a sector should come last: %v", ids(got))
		}
	}
	// Across terms, each sector leads about half the time.
	if leads[model.Statutory] < 70 || leads[model.Voluntary] < 70 {
		t.Errorf("leads = %v, want each sector to lead about half of 200 terms", leads)
	}
}

func ids(vs []model.Version) []int64 {
	var out []int64
	for _, v := range vs {
		out = append(out, v.ID)
	}
	return out
}

func TestDiffBadInput(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	sp, _ := a.store.Term(context.Background(), "social-prescribing")
	wb, _ := a.store.Term(context.Background(), "wellbeing")
	id := strconv.FormatInt(sp.AgreedVersionID, 10)
	tests := map[string]int{
		"/terms/social-prescribing/diff":                                                                 http.StatusBadRequest,
		"/terms/social-prescribing/diff?from=" + id:                                                      http.StatusBadRequest,
		"/terms/social-prescribing/diff?from=x&to=" + id:                                                 http.StatusBadRequest,
		"/terms/social-prescribing/diff?from=-1&to=" + id:                                                http.StatusBadRequest,
		"/terms/social-prescribing/diff?from=" + strconv.FormatInt(wb.AgreedVersionID, 10) + "&to=" + id: http.StatusBadRequest,
		"/terms/nothing/diff?from=1&to=2":                                                                http.StatusNotFound,
		"/terms/social-prescribing/diff?from=" + id + "&to=" + id:                                        http.StatusOK,
	}
	for path, want := range tests {
		res := a.visitor().get(path)
		if res.status != want {
			t.Errorf("GET %s = %d, want %d", path, res.status, want)
		}
		if want == http.StatusBadRequest && res.text("main p") == "" {
			t.Errorf("GET %s: no message", path)
		}
	}
}

func TestSearchPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/search?q=gp+loc").wantStatus(t, http.StatusOK)
	hits := res.doc.Find("ol.hits li")
	if hits.Length() != 1 || text(hits.Find("h3 a")) != "Social prescribing" {
		t.Fatalf("hits = %q", text(hits))
	}
	if got := text(hits.Find("mark").First()); got != "GP" {
		t.Errorf("first highlighted word = %q, want GP", got)
	}
	if got := res.doc.Find("#q").AttrOr("value", ""); got != "gp loc" {
		t.Errorf("the search box does not keep the words: %q", got)
	}
	res = a.visitor().get("/search?q="+url.QueryEscape(`"<script>alert(1)</script>" NEAR(`)).wantStatus(t, http.StatusOK)
	if res.doc.Find("main script").Length() != 0 || !strings.Contains(res.text("h2"), "No terms match") {
		t.Errorf("hostile query: %q", res.text("main"))
	}
	a.visitor().get("/search?q="+strings.Repeat("a", 201)).wantStatus(t, http.StatusBadRequest)
	if a.visitor().get("/search").doc.Find("ol.hits").Length() != 0 {
		t.Error("an empty search lists results")
	}
}

func TestNotFoundAndErrors(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, path := range []string{"/nowhere", "/versions/999999", "/versions/abc", "/terms/no-such/history", "/terms/%E2%98%83"} {
		res := a.visitor().get(path)
		if res.status != http.StatusNotFound {
			t.Errorf("GET %s = %d, want 404", path, res.status)
		}
		if res.text("h1") == "" || res.doc.Find("header.site").Length() != 1 {
			t.Errorf("GET %s: not a proper page: %.200q", path, res.body)
		}
	}
	res := a.visitor().get("/terms/Social%20Prescribing")
	if res.status != http.StatusMovedPermanently || res.header.Get("Location") != "/terms/social-prescribing" {
		t.Errorf("a title as address: %d to %q, want 301 to the slug", res.status, res.header.Get("Location"))
	}
	res = a.visitor().get("/terms/new")
	res.wantRedirect(t, "/login?next=%2Fterms%2Fnew")
	res = a.as(a.resident).get("/terms/new").wantStatus(t, http.StatusForbidden)
	if !strings.Contains(res.text("main"), "Only partners and facilitators") {
		t.Errorf("403 page says %q", res.text("main"))
	}
}

func TestStaticFiles(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	res := a.visitor().get("/static/style.css").wantStatus(t, http.StatusOK)
	if !strings.HasPrefix(res.header.Get("Content-Type"), "text/css") || !strings.Contains(res.body, "--ink") {
		t.Errorf("style.css: %s %.80q", res.header.Get("Content-Type"), res.body)
	}
	a.visitor().get("/static/nope.css").wantStatus(t, http.StatusNotFound)
}

func TestServerErrorPage(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.store.Close() // every query now fails
	for _, path := range []string{"/", "/api/v1/terms"} {
		res := a.visitor().get(path)
		if res.status != http.StatusInternalServerError {
			t.Errorf("GET %s = %d, want 500", path, res.status)
		}
		if strings.Contains(res.body, "sql") || strings.Contains(res.body, "closed") {
			t.Errorf("GET %s shows internal details: %.300s", path, res.body)
		}
	}
	if got := a.visitor().get("/").text("main p"); !strings.Contains(got, "went wrong on our side") {
		t.Errorf("500 page says %q", got)
	}
}

func TestLoadTestingBaseline(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	a.visitor().get("/_load/baseline").wantStatus(t, http.StatusNotFound)

	srv, err := New(Config{Store: a.store, SessionKey: []byte("a test session key that is long enough"), LoadTesting: true,
		Logger: a.srv.log})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/_load/baseline", nil))
	if rec.Code != http.StatusOK || rec.Body.Len() < 6000 || rec.Header().Get("Content-Security-Policy") == "" {
		t.Errorf("baseline: %d, %d bytes, CSP %q", rec.Code, rec.Body.Len(), rec.Header().Get("Content-Security-Policy"))
	}
}

// TestHomeOfALargeGlossary shows the index a letter at a time, a page at a
// time, once the glossary is too large for one page.
func TestHomeOfALargeGlossary(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	for i := range fullIndexMax + indexPageSize {
		title := fmt.Sprintf("Bench term %03d", i)
		if i%2 == 1 {
			title = fmt.Sprintf("Community word %03d", i)
		}
		if _, err := a.store.ImportTerm(ctx, title, "", "Words."); err != nil {
			t.Fatal(err)
		}
	}
	res := a.visitor().get("/").wantStatus(t, http.StatusOK)
	var letters []string
	res.doc.Find(".letters a").Each(func(_ int, s *goquery.Selection) { letters = append(letters, text(s)) })
	if strings.Join(letters, "") != "BCSW" {
		t.Errorf("letters = %v", letters)
	}
	if n := res.doc.Find("dl.index dt").Length(); n != indexPageSize {
		t.Errorf("first page lists %d terms, want %d", n, indexPageSize)
	}
	if got := res.doc.Find(`a[rel="next"]`).AttrOr("href", ""); got != "/?letter=B&page=2#az" {
		t.Errorf("next page link = %q", got)
	}
	res = a.visitor().get("/?letter=B&page=2").wantStatus(t, http.StatusOK)
	if n := res.doc.Find("dl.index dt").Length(); n != (fullIndexMax+indexPageSize)/2-indexPageSize {
		t.Errorf("second page of B lists %d terms", n)
	}
	if res.doc.Find(`a[rel="prev"]`).Length() != 1 || res.doc.Find(`a[rel="next"]`).Length() != 0 {
		t.Error("second page links are wrong")
	}
	if got := a.visitor().get("/?letter=W").text("dl.index dt"); got != "Wellbeing" {
		t.Errorf("letter W lists %q", got)
	}
	for _, path := range []string{"/?letter=Q", "/?letter=B&page=9", "/?letter=B&page=x"} {
		a.visitor().get(path).wantStatus(t, http.StatusNotFound)
	}
}

func TestHeadAnswersLikeGet(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	for _, path := range []string{"/", "/terms/wellbeing", "/api/v1/terms", "/static/style.css"} {
		for range 2 { // rendered, then from the page cache
			req, _ := http.NewRequest(http.MethodHead, a.ts.URL+path, nil)
			res, err := a.ts.Client().Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(res.Body)
			res.Body.Close()
			if res.StatusCode != http.StatusOK || len(body) != 0 || res.Header.Get("Content-Type") == "" {
				t.Errorf("HEAD %s: %d, %d bytes of body, Content-Type %q; want 200, no body, the GET's type",
					path, res.StatusCode, len(body), res.Header.Get("Content-Type"))
			}
		}
	}
	req, _ := http.NewRequest(http.MethodHead, a.ts.URL+"/terms/nobody-wrote-this", nil)
	if res, err := a.ts.Client().Do(req); err != nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("HEAD of a missing term: %v %v, want 404", res.StatusCode, err)
	}
}
