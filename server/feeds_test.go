package server

import (
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

// atomFeed is what a feed reader reads of an Atom feed, parsed here apart
// from package atom's own types, so that a mistake in those shows.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Base    string      `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
	ID      string      `xml:"id"`
	Title   string      `xml:"title"`
	Updated string      `xml:"updated"`
	Links   []atomLink  `xml:"link"`
	Author  *atomPerson `xml:"author"`
	Entries []atomEntry `xml:"entry"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
	Href string `xml:"href,attr"`
}

type atomPerson struct {
	Name string `xml:"name"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomEntry struct {
	ID       string      `xml:"id"`
	Title    string      `xml:"title"`
	Updated  string      `xml:"updated"`
	Links    []atomLink  `xml:"link"`
	Author   *atomPerson `xml:"author"`
	Category struct {
		Term string `xml:"term,attr"`
	} `xml:"category"`
	Summary *atomText `xml:"summary"`
	Content *atomText `xml:"content"`
}

func (f atomFeed) link(rel string) string {
	for _, l := range f.Links {
		if l.Rel == rel {
			return l.Href
		}
	}
	return ""
}

// getFeed fetches a feed and checks what RFC 4287 asks of it: a feed id,
// title, updated time and self link, and entries each with an id, a title,
// an updated time, a link, an author (theirs or the feed's) and a summary
// or content. It checks that the feed reader's parser reads it too.
func getFeed(t *testing.T, c *client, path string) atomFeed {
	t.Helper()
	res := c.get(path).wantStatus(t, http.StatusOK)
	if ct := res.header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("%s: Content-Type = %q", path, ct)
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(res.body), &f); err != nil {
		t.Fatalf("%s is not XML an Atom reader can read: %v", path, err)
	}
	if f.ID == "" || f.Title == "" || f.link("self") != c.app.ts.URL+path || f.link("alternate") == "" {
		t.Errorf("%s: id %q, title %q, self %q, alternate %q", path, f.ID, f.Title, f.link("self"), f.link("alternate"))
	}
	if _, err := time.Parse(time.RFC3339, f.Updated); err != nil {
		t.Errorf("%s: updated %q is not an RFC 3339 time: %v", path, f.Updated, err)
	}
	ids := map[string]bool{}
	for _, e := range f.Entries {
		if _, err := time.Parse(time.RFC3339, e.Updated); err != nil {
			t.Errorf("%s: entry %q: updated %q: %v", path, e.Title, e.Updated, err)
		}
		if !strings.HasPrefix(e.ID, "tag:127.0.0.1,") || ids[e.ID] {
			t.Errorf("%s: entry %q has id %q, want a tag: URI of its own", path, e.Title, e.ID)
		}
		ids[e.ID] = true
		if e.Title == "" || len(e.Links) == 0 || !strings.HasPrefix(e.Links[0].Href, c.app.ts.URL+"/") {
			t.Errorf("%s: entry %q has links %v, want an absolute link to this site", path, e.Title, e.Links)
		}
		if (e.Author == nil || e.Author.Name == "") && f.Author == nil {
			t.Errorf("%s: entry %q has no author", path, e.Title)
		}
		if e.Summary == nil && e.Content == nil {
			t.Errorf("%s: entry %q has neither summary nor content", path, e.Title)
		}
	}

	parsed, err := gofeed.NewParser().ParseString(res.body)
	if err != nil {
		t.Fatalf("%s: a feed reader's parser cannot read it: %v", path, err)
	}
	if parsed.FeedType != "atom" || parsed.Title != f.Title || len(parsed.Items) != len(f.Entries) {
		t.Errorf("%s: the feed reader's parser read a %s feed %q of %d items, want atom %q of %d",
			path, parsed.FeedType, parsed.Title, len(parsed.Items), f.Title, len(f.Entries))
	}
	for i, it := range parsed.Items {
		if it.GUID != f.Entries[i].ID || it.Link != f.Entries[i].Links[0].Href || it.UpdatedParsed == nil {
			t.Errorf("%s: item %d read as %q %q %v", path, i, it.GUID, it.Link, it.UpdatedParsed)
		}
	}
	return f
}

func TestFeeds(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	settled, failed := a.withHistory()
	c := a.visitor()
	site := a.ts.URL

	all := getFeed(t, c, "/feed.atom")
	if len(all.Entries) != 9 {
		t.Fatalf("the feed of all changes has %d entries, want 9", len(all.Entries))
	}
	if all.link("alternate") != site+"/changes" || all.Base != site+"/" {
		t.Errorf("feed alternate %q, base %q", all.link("alternate"), all.Base)
	}
	if all.Updated != all.Entries[0].Updated {
		t.Errorf("the feed was updated %s, its newest entry %s", all.Updated, all.Entries[0].Updated)
	}
	top := all.Entries[0]
	if top.Title != "Vote closed: Care navigator" || top.Links[0].Href != fmt.Sprintf("%s/rounds/%d/results", site, failed.ID) ||
		top.Category.Term != "closed" || !strings.HasSuffix(top.ID, fmt.Sprintf(":round/%d/closed", failed.ID)) {
		t.Errorf("newest entry = %+v", top)
	}
	agreed := all.Entries[2]
	if agreed.Title != "Wording agreed: Social prescribing" || agreed.Content == nil || agreed.Content.Type != "html" ||
		agreed.Content.Body != "<p>Another wording of Social prescribing.</p>\n" || agreed.Author.Name != "Val, Peckham Community Hub" {
		t.Errorf("settled entry = %+v, content %+v", agreed, agreed.Content)
	}
	amend := all.Entries[5]
	if amend.Title != "Amended wording: Care navigator" || !strings.Contains(amend.Content.Body, "<strong>guides</strong>") ||
		strings.Contains(amend.Content.Body, "<script") {
		t.Errorf("the amendment's entry is %q with content %q", amend.Title, amend.Content.Body)
	}

	// Reading it again gives the same ids: a feed reader shows nothing twice.
	if again := getFeed(t, c, "/feed.atom"); again.Entries[8].ID != all.Entries[8].ID {
		t.Errorf("entry ids changed between readings: %q, %q", all.Entries[8].ID, again.Entries[8].ID)
	}

	term := getFeed(t, c, "/terms/social-prescribing/feed.atom")
	var titles []string
	for _, e := range term.Entries {
		titles = append(titles, e.Title)
	}
	if strings.Join(titles, "|") != "Wording agreed: Social prescribing|Vote opened: Social prescribing|New wording: Social prescribing|New term: Social prescribing" {
		t.Errorf("the term's feed has %q", titles)
	}
	if term.link("alternate") != site+"/terms/social-prescribing" {
		t.Errorf("the term feed's page is %q", term.link("alternate"))
	}
	if res := c.get("/terms/nobody-wrote-this/feed.atom"); res.status != http.StatusNotFound {
		t.Errorf("the feed of a term nobody started answers %d, want 404", res.status)
	}

	rounds := getFeed(t, c, "/rounds.atom")
	var kinds []string
	for _, e := range rounds.Entries {
		kinds = append(kinds, e.Category.Term)
	}
	if strings.Join(kinds, " ") != "closed opened settled opened" {
		t.Errorf("the votes feed has entries of kinds %v", kinds)
	}
	_ = settled

	// Pages say where their feeds are.
	for path, want := range map[string]string{
		"/":                         "/feed.atom",
		"/terms/social-prescribing": "/terms/social-prescribing/feed.atom",
		"/rounds":                   "/rounds.atom",
		"/changes?kind=rounds":      "/rounds.atom",
		"/terms/care-navigator":     "/terms/care-navigator/feed.atom",
	} {
		for _, viewer := range []*client{c, a.as(a.voluntary)} {
			res := viewer.get(path).wantStatus(t, http.StatusOK)
			if href := res.doc.Find(`head link[rel="alternate"][type="application/atom+xml"]`).First().AttrOr("href", ""); href != want {
				t.Errorf("%s: feed %q, want %q", path, href, want)
			}
		}
	}
}

// TestFeedAddresses checks that feeds use the configured site address, and
// without one the address asked for, which is then never served to people
// who asked for another.
func TestFeedAddresses(t *testing.T) {
	t.Parallel()
	a := newTestApp(t)
	req, _ := http.NewRequest(http.MethodGet, a.ts.URL+"/feed.atom", nil)
	req.Host = "elsewhere.example"
	res := a.visitor().do(req)
	if !strings.Contains(res.body, `href="http://elsewhere.example/feed.atom"`) {
		t.Fatalf("a feed asked for at elsewhere.example does not say so: %.300s", res.body)
	}
	if f := getFeed(t, a.visitor(), "/feed.atom"); f.link("self") != a.ts.URL+"/feed.atom" {
		t.Errorf("after a request for another host, the feed's own link is %q", f.link("self"))
	}

	st := openTestStore(t)
	if _, err := st.ImportTerm(t.Context(), "Wellbeing", "", "How well you feel."); err != nil {
		t.Fatal(err)
	}
	srv, err := New(Config{Store: st, SessionKey: []byte("a test session key that is long enough"),
		Logger: slog.New(slog.NewTextHandler(io.Discard, nil)), SiteURL: "https://glossary.example.org/"})
	if err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/feed.atom", nil))
	var f atomFeed
	if err := xml.Unmarshal(rec.Body.Bytes(), &f); err != nil {
		t.Fatal(err)
	}
	if f.link("self") != "https://glossary.example.org/feed.atom" || !strings.HasPrefix(f.Entries[0].ID, "tag:glossary.example.org,") {
		t.Errorf("with a site address, self %q and entry id %q", f.link("self"), f.Entries[0].ID)
	}
	if _, err := New(Config{Store: st, SessionKey: []byte("a test session key that is long enough"), SiteURL: "glossary.example.org"}); err == nil {
		t.Error("a site address without http:// or https:// was taken")
	}
}
