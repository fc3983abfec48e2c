package atom

import (
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

func TestMarshalEscapes(t *testing.T) {
	when := time.Date(2026, 3, 5, 14, 30, 0, 0, time.FixedZone("BST", 3600))
	hostile := `</title><script>alert(1)</script> & "x"`
	body, err := Marshal(Feed{
		Base: "https://g.example/", ID: "https://g.example/feed.atom", Title: hostile, Updated: when,
		Links: []Link{{Rel: "self", Href: "https://g.example/feed.atom?a=1&b=2"}},
		Entries: []Entry{{ID: "tag:g.example,2026-03-05:version/1", Title: hostile, Updated: when, Published: when,
			Content: &Text{Type: "html", Body: `<p>A <a href="/terms/x">link</a> ]]> </p>`}}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(body), xml.Header) || strings.Contains(string(body), "<script>") {
		t.Fatalf("feed:\n%s", body)
	}
	var back struct {
		Base    string `xml:"http://www.w3.org/XML/1998/namespace base,attr"`
		Title   string `xml:"title"`
		Updated string `xml:"updated"`
		Link    struct {
			Href string `xml:"href,attr"`
		} `xml:"link"`
		Entry struct {
			Title   string `xml:"title"`
			Content string `xml:"content"`
		} `xml:"entry"`
	}
	if err := xml.Unmarshal(body, &back); err != nil {
		t.Fatal(err)
	}
	if back.Title != hostile || back.Entry.Title != hostile || back.Entry.Content != `<p>A <a href="/terms/x">link</a> ]]> </p>` {
		t.Errorf("read back %+v", back)
	}
	if back.Updated != "2026-03-05T13:30:00Z" || back.Base != "https://g.example/" || back.Link.Href != "https://g.example/feed.atom?a=1&b=2" {
		t.Errorf("updated %q, base %q, link %q", back.Updated, back.Base, back.Link.Href)
	}
}

func TestTagURI(t *testing.T) {
	day := time.Date(2026, 3, 5, 23, 30, 0, 0, time.FixedZone("", -3600)) // 6 March in UTC
	for site, want := range map[string]string{
		"https://glossary.example.org":     "tag:glossary.example.org,2026-03-06:version/7",
		"http://127.0.0.1:8080":            "tag:127.0.0.1,2026-03-06:version/7",
		"https://Glossary.Example.org:443": "tag:glossary.example.org,2026-03-06:version/7",
	} {
		if got, err := TagURI(site, day, "version/7"); err != nil || got != want {
			t.Errorf("TagURI(%q) = %q, %v; want %q", site, got, err, want)
		}
	}
	if _, err := TagURI("not a url", day, "x"); err == nil {
		t.Error("a site address without a host made a tag")
	}
}
