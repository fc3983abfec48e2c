package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"wordgarden/server/model"
)

// Bad and oversized input: each request gets a clear 4xx (or a bounded
// answer) quickly, and the database is left as it was unless a valid
// version was meant to be stored.

// dbCounts are the rows a request could add, counted through the store.
type dbCounts struct {
	terms, versions, users, organisations, neighbourhoods, invitesUnused, rounds, ballots int
}

func (a *testApp) counts() dbCounts {
	a.t.Helper()
	ctx := context.Background()
	var c dbCounts
	terms, err := a.store.Terms(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	c.terms = len(terms)
	for _, t := range terms {
		c.versions += t.Versions
	}
	for _, r := range []model.Role{model.Resident, model.Partner, model.Facilitator} {
		n, err := a.store.CountUsers(ctx, r)
		if err != nil {
			a.t.Fatal(err)
		}
		c.users += n
	}
	orgs, err := a.store.Organisations(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	c.organisations = len(orgs)
	ns, err := a.store.Neighbourhoods(ctx)
	if err != nil {
		a.t.Fatal(err)
	}
	c.neighbourhoods = len(ns)
	for _, n := range ns {
		c.invitesUnused += n.Unused
	}
	rounds, err := a.store.Rounds(ctx, 0)
	if err != nil {
		a.t.Fatal(err)
	}
	c.rounds = len(rounds)
	for _, r := range rounds {
		c.ballots += r.Ballots
	}
	return c
}

// unchanged fails the test if the database has changed since before.
func (a *testApp) unchanged(t *testing.T, what string, before dbCounts) {
	t.Helper()
	if after := a.counts(); after != before {
		t.Errorf("%s changed the database: before %+v, after %+v", what, before, after)
	}
}

// within runs fn and fails the test if it took longer than limit. The
// limit is generous: it catches a request that goes quadratic, not one that
// is a little slow on a busy machine. Clients made by timed have a timeout
// of their own, so a request that hangs fails rather than waits for ever.
func within[T any](t *testing.T, limit time.Duration, what string, fn func() T) T {
	t.Helper()
	start := time.Now()
	v := fn()
	took := time.Since(start)
	t.Logf("%s: %v", what, took.Round(time.Millisecond))
	if raceDetector {
		limit *= 10
	}
	if took > limit {
		t.Errorf("%s took %v, longer than %v", what, took, limit)
	}
	return v
}

// timed gives a client a timeout of 30 seconds.
func timed(c *client) *client {
	c.http.Timeout = 30 * time.Second
	return c
}

// rawGet fetches a page without parsing it, for pages whose HTML a parser
// might refuse; it returns the status and body.
func (c *client) rawGet(path string) (int, string) {
	c.t.Helper()
	req, err := http.NewRequest(http.MethodGet, c.app.ts.URL+path, nil)
	if err != nil {
		c.t.Fatal(err)
	}
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		c.t.Fatal(err)
	}
	return res.StatusCode, string(b)
}

// sendBody posts a raw form body. With chunked set the length is not sent
// ahead, so only reading the body can find it too large.
func (c *client) sendBody(path, body string, chunked bool) *response {
	c.t.Helper()
	var r io.Reader = strings.NewReader(body)
	if chunked {
		r = io.MultiReader(r) // a reader whose length net/http cannot see
	}
	req, err := http.NewRequest(http.MethodPost, c.app.ts.URL+path, r)
	if err != nil {
		c.t.Fatal(err)
	}
	if chunked {
		req.ContentLength = -1
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// TestOversizedBodies: a body over the 1 MB limit is refused with 413 and
// a page that says so, on every kind of form, whether its length is sent
// ahead or not; nothing is stored.
func TestOversizedBodies(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	r := a.openRound("social-prescribing")
	big := strings.Repeat("words ", 2<<20/6+1) // 2 MB
	partner, resident, visitor := timed(a.as(a.statutory)), timed(a.as(a.resident)), timed(a.visitor())
	forms := []struct {
		name   string
		c      *client
		path   string
		fields string
	}{
		{"a version", partner, "/terms/social-prescribing/versions", "markdown="},
		{"a new term", partner, "/terms", "title=Big&markdown="},
		{"a ballot", resident, fmt.Sprintf("/rounds/%d/ballot", r.ID), fmt.Sprintf("approve=%d&x=", r.Candidates[0].ID)},
		{"a join", visitor, "/join", "code=ABCD-EFGH&password=long+enough+password&name="},
		{"a sign-in", visitor, "/login", "password=long+enough+password&email="},
	}
	before := a.counts()
	for _, f := range forms {
		for _, chunked := range []bool{false, true} {
			name := fmt.Sprintf("%s of 2 MB (chunked: %v)", f.name, chunked)
			body := "_csrf=" + url.QueryEscape(f.c.csrf()) + "&" + f.fields + url.QueryEscape(big)
			res := within(t, 20*time.Second, name, func() *response { return f.c.sendBody(f.path, body, chunked) })
			// Without a length sent ahead, the limit is met only while the
			// form is read; readForm reads it first, so the answer is 413
			// either way.
			switch {
			case res.status != http.StatusRequestEntityTooLarge:
				t.Errorf("%s: status %d, want 413; page says %.200s", name, res.status, res.text("main"))
			case !strings.Contains(res.text("main"), "too large"):
				t.Errorf("%s: the page does not say why: %.200s", name, res.text("main"))
			}
		}
	}
	a.unchanged(t, "oversized bodies", before)
}

// TestMarkdownOfOneMegabyte: a wording of 1 MB is over the body limit
// (1 MB, counted in thousands) and is refused with 413; one of 900 KB passes
// that limit but not the wording limit, and is refused with 422 and the
// reason; for a new term and a new version alike. Nothing is stored.
func TestMarkdownOfOneMegabyte(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	partner := timed(a.as(a.voluntary))
	words := strings.Repeat("A definition that goes on. ", 1_000_000/27+1)
	before := a.counts()
	for _, size := range []int{1_000_000, 900_000} {
		md := words[:size]
		want, says := http.StatusRequestEntityTooLarge, "too large"
		if size < 1_000_000 {
			want, says = http.StatusUnprocessableEntity, "under 20000 characters"
		}
		for _, req := range []struct {
			name, path string
			form       url.Values
		}{
			{"version", "/terms/wellbeing/versions", url.Values{"markdown": {md}}},
			{"new term", "/terms", url.Values{"title": {"Long read"}, "markdown": {md}}},
		} {
			name := fmt.Sprintf("a %s of %d bytes", req.name, size)
			res := within(t, 20*time.Second, name, func() *response { return partner.post(req.path, req.form) })
			if res.status != want || !strings.Contains(res.text("main"), says) {
				t.Errorf("%s: status %d, want %d saying %q; page says %.300s", name, res.status, want, says, res.text("main"))
			}
		}
	}
	a.unchanged(t, "1 MB of markdown", before)

	// Just at the limit is fine.
	ok := strings.Repeat("x", model.MaxMarkdownLen)
	partner.post("/terms/wellbeing/versions", url.Values{"markdown": {ok}}).wantStatus(t, http.StatusSeeOther)
	if after := a.counts(); after.versions != before.versions+1 {
		t.Errorf("a wording of exactly %d bytes: %d versions, want %d", model.MaxMarkdownLen, after.versions, before.versions+1)
	}
}

// TestInvalidUTF8 sends bytes that are not UTF-8 in every kind of text
// people type: each is refused with a 4xx that says what is wrong, and
// nothing is stored. An invite code tried with a bad name stays unspent.
func TestInvalidUTF8(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	ctx := context.Background()
	partner, facilitator, visitor := timed(a.as(a.statutory)), timed(a.as(a.facilitator)), timed(a.visitor())
	ns, _ := a.store.Neighbourhoods(ctx)
	codes, err := a.store.CreateInvites(ctx, ns[0].ID, 1, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	const bad = "Care \xff\xfe na\xc3\x28vigator \xed\xa0\x80" // stray bytes, a broken pair, a surrogate
	before := a.counts()
	tests := []struct {
		name string
		c    *client
		path string
		form url.Values
	}{
		{"title", partner, "/terms", url.Values{"title": {bad}, "markdown": {"A fine wording."}}},
		{"markdown of a new term", partner, "/terms", url.Values{"title": {"Fine title"}, "markdown": {bad}}},
		{"markdown of a version", partner, "/terms/wellbeing/versions", url.Values{"markdown": {bad}}},
		{"join name", visitor, "/join", url.Values{"code": {codes[0]}, "name": {bad}, "password": {testPassword}}},
		{"organisation name", facilitator, "/admin/organisations", url.Values{"name": {bad}, "sector": {"voluntary"}}},
		{"neighbourhood name", facilitator, "/admin/neighbourhoods", url.Values{"name": {bad}}},
	}
	for _, tt := range tests {
		res := within(t, 10*time.Second, tt.name, func() *response { return tt.c.post(tt.path, tt.form) })
		if res.status < 400 || res.status > 499 {
			t.Errorf("invalid UTF-8 in the %s: status %d, want 4xx; page says %.300s", tt.name, res.status, res.text("main"))
			continue
		}
		if msg := res.text(".error-summary, [role=alert], .field-error, main"); !strings.Contains(msg, "characters") {
			t.Errorf("invalid UTF-8 in the %s: the page does not say what is wrong: %.300s", tt.name, msg)
		}
	}
	a.unchanged(t, "invalid UTF-8", before)

	// Search: a query that is not UTF-8 is refused, not searched.
	res := within(t, 10*time.Second, "search", func() *response { return visitor.get("/search?q=" + url.QueryEscape(bad)) })
	if res.status != http.StatusBadRequest {
		t.Errorf("invalid UTF-8 in a search: status %d, want 400", res.status)
	}
	// The API answers JSON, and a slug that is not UTF-8 is simply not found.
	res = within(t, 10*time.Second, "API term", func() *response { return visitor.get("/api/v1/terms/" + url.PathEscape(bad)) })
	if res.status != http.StatusNotFound || !strings.HasPrefix(res.header.Get("Content-Type"), "application/json") {
		t.Errorf("invalid UTF-8 in an API slug: status %d, %s", res.status, res.header.Get("Content-Type"))
	}

	// The invite code was not spent by the refused join.
	visitor.post("/join", url.Values{"code": {codes[0]}, "name": {"Robin"}, "password": {testPassword}}).wantRedirect(t, "/rounds")
}

// TestDeepNesting posts wordings nested thousands of levels deep: block
// quotes, lists, ordered lists, emphasis, links, brackets, and quotes and
// lists mixed. Each is answered within a few seconds (a generous limit, to
// catch runaway work, not to time it) and is either refused with 422 and a
// reason or stored as a sane version, whose pages answer quickly too.
// Nesting a definition might really use is stored.
func TestDeepNesting(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	partner := timed(a.as(a.voluntary))
	visitor := timed(a.visitor())
	deep := []struct {
		name, md string
		stored   bool // must be stored; otherwise it may be stored or refused
	}{
		{"10,000 block quotes", strings.Repeat(">", 10_000) + " deep", false},
		{"10,000 spaced block quotes", strings.Repeat("> ", 9_990) + "deep", false},
		{"9,990 nested lists", strings.Repeat("- ", 9_990) + "deep", false},
		{"6,600 nested ordered lists", strings.Repeat("1. ", 6_600) + "deep", false},
		{"5,000 quotes in lists", strings.Repeat("> - ", 4_990) + "deep", false},
		{"10,000 levels of emphasis", strings.Repeat("*", 9_990) + "deep" + strings.Repeat("*", 9_990), false},
		{"3,300 nested links", strings.Repeat("[", 3_300) + "deep" + strings.Repeat("](/x)", 3_300), false},
		{"20,000 open brackets", strings.Repeat("[", 19_990) + "deep", false},
		{"100 indented lists, line by line", nestedListLines(100), false},
		{"12 indented lists, line by line", nestedListLines(12), true},
		{"30 block quotes", strings.Repeat(">", 30) + " deep", true},
	}
	for _, d := range deep {
		if len(d.md) > model.MaxMarkdownLen {
			t.Fatalf("%s: %d bytes, over the limit of %d; the test should stay inside it", d.name, len(d.md), model.MaxMarkdownLen)
		}
		before := a.counts()
		res := within(t, 20*time.Second, d.name, func() *response {
			return partner.post("/terms/wellbeing/versions", url.Values{"markdown": {d.md}})
		})
		after := a.counts()
		switch {
		case res.status == http.StatusSeeOther:
			if after.versions != before.versions+1 {
				t.Errorf("%s: stored, but versions went from %d to %d", d.name, before.versions, after.versions)
			}
			loc := res.header.Get("Location")
			id, err := strconv.ParseInt(strings.TrimPrefix(loc, "/versions/"), 10, 64)
			if err != nil {
				t.Fatalf("%s: redirected to %q", d.name, loc)
			}
			v, err := a.store.Version(context.Background(), id)
			if err != nil {
				t.Fatal(err)
			}
			if v.Markdown != d.md || !strings.Contains(v.Text, "deep") && !strings.Contains(v.Text, "level") || len(v.HTML) > 40*len(d.md)+1000 {
				t.Errorf("%s: stored version %d has %d bytes of markdown, text %.80q, %d bytes of HTML",
					d.name, id, len(v.Markdown), v.Text, len(v.HTML))
			}
			if n := strings.Count(v.HTML, "<blockquote>") + strings.Count(v.HTML, "<li>") + strings.Count(v.HTML, "<em>") +
				strings.Count(v.HTML, "<strong>") + strings.Count(v.HTML, "<a "); n > model.MaxDepth {
				t.Errorf("%s: the stored HTML opens %d nested elements", d.name, n)
			}
			for _, path := range []string{loc, "/terms/wellbeing", "/terms/wellbeing/history", "/api/v1/terms/wellbeing",
				fmt.Sprintf("/terms/wellbeing/diff?from=%d&to=%d", id-1, id)} {
				status := within(t, 20*time.Second, d.name+": GET "+path, func() int {
					status, _ := visitor.rawGet(path)
					return status
				})
				if status != http.StatusOK {
					t.Errorf("%s: GET %s = %d", d.name, path, status)
				}
			}
		case d.stored:
			t.Errorf("%s: status %d, want it stored; page says %.300s", d.name, res.status, res.text("main"))
		case res.status == http.StatusUnprocessableEntity:
			a.unchanged(t, d.name, before)
			if !strings.Contains(res.text("main"), "too deeply") {
				t.Errorf("%s: refused, but the page does not say why: %.300s", d.name, res.text("main"))
			}
		default:
			t.Errorf("%s: status %d, want 303 (stored) or 422; page says %.300s", d.name, res.status, res.text("main"))
		}
	}
}

// nestedListLines is a list n levels deep, one item a line, each indented
// two more spaces than the last.
func nestedListLines(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%s- level %d\n", strings.Repeat("  ", i), i)
	}
	return b.String()
}

// TestThousandsOfWikiLinks stores a version with 3,000 wiki links to terms
// that do not exist yet, inside the wording limit: it is stored, every link
// is kept, the pages that show it answer quickly, and starting one of the
// linked terms turns its link live without trouble.
func TestThousandsOfWikiLinks(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	partner := timed(a.as(a.statutory))
	// 3,000 different terms, named 0, 1, ... z, 10, ... in base 36 to fit.
	var b strings.Builder
	var names []string
	for i := range 3000 {
		name := strconv.FormatInt(int64(i), 36)
		names = append(names, name)
		b.WriteString("[[" + name + "]]")
	}
	md := b.String()
	if len(md) > model.MaxMarkdownLen {
		t.Fatalf("%d bytes of markdown, over the limit", len(md))
	}
	before := a.counts()
	res := within(t, 20*time.Second, "3,000 wiki links", func() *response {
		return partner.post("/terms/wellbeing/versions", url.Values{"markdown": {md}})
	})
	res.wantStatus(t, http.StatusSeeOther)
	if after := a.counts(); after.versions != before.versions+1 || after.terms != before.terms {
		t.Errorf("versions %d -> %d, terms %d -> %d; want one more version", before.versions, after.versions, before.terms, after.terms)
	}
	loc := res.header.Get("Location")
	id, _ := strconv.ParseInt(strings.TrimPrefix(loc, "/versions/"), 10, 64)
	v, err := a.store.Version(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(v.HTML, `class="wikilink missing"`); n != 3000 {
		t.Errorf("%d missing-term links in the HTML, want 3000", n)
	}
	for _, path := range []string{loc, "/terms/wellbeing", "/terms/" + names[2999]} {
		res := within(t, 20*time.Second, "GET "+path, func() *response { return timed(a.visitor()).get(path) })
		if res.status != http.StatusOK && !(path == "/terms/"+names[2999] && res.status == http.StatusNotFound) {
			t.Errorf("GET %s = %d", path, res.status)
		}
	}
	// Starting a linked term re-renders the version, turning one link live.
	res = within(t, 20*time.Second, "start a linked term", func() *response {
		return partner.post("/terms", url.Values{"title": {names[2999]}, "markdown": {"Now it exists."}})
	})
	res.wantStatus(t, http.StatusSeeOther)
	v, _ = a.store.Version(context.Background(), id)
	if live := strings.Count(v.HTML, `class="wikilink"`); live != 1 {
		t.Errorf("%d live links after starting %q, want 1", live, names[2999])
	}
}

// TestLongSearchQueries: a 10,000-character query is refused with 400 and
// a reason; a long query within the limit, of many words, gets a bounded
// answer.
func TestLongSearchQueries(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	visitor := timed(a.visitor())
	before := a.counts()
	res := within(t, 10*time.Second, "a 10,000-character search", func() *response {
		return visitor.get("/search?q=" + url.QueryEscape(strings.Repeat("wellbeing ", 1000)))
	})
	res.wantStatus(t, http.StatusBadRequest)
	if !strings.Contains(res.text("main"), "too long") {
		t.Errorf("the page does not say why: %.200s", res.text("main"))
	}
	// 100 one-letter words with FTS syntax between them, 200 bytes.
	q := strings.Repeat("w*", 100)
	res = within(t, 10*time.Second, "a 200-byte search of 100 words", func() *response {
		return visitor.get("/search?q=" + url.QueryEscape(q))
	})
	res.wantStatus(t, http.StatusOK)
	if n := res.doc.Find("main li").Length(); n > 50 {
		t.Errorf("%d results, more than the page shows", n)
	}
	a.unchanged(t, "long searches", before)
}
